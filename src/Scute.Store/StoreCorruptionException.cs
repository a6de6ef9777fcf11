namespace Scute.Store;

/// <summary>Stored bytes no longer match their digest or checksum. Names the file so the user can find it.</summary>
public sealed class StoreCorruptionException : StoreException
{
    public StoreCorruptionException()
    {
        ItemPath = "";
    }

    public StoreCorruptionException(string message)
        : base(message)
    {
        ItemPath = "";
    }

    public StoreCorruptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        ItemPath = "";
    }

    public StoreCorruptionException(string itemPath, string message, Exception? innerException = null)
        : base($"store corruption in {itemPath}: {message}", innerException)
    {
        ItemPath = itemPath;
    }

    public string ItemPath { get; }
}
