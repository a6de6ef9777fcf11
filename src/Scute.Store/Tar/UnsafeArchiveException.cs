namespace Scute.Store.Tar;

/// <summary>An archive entry that would land outside the target or write through a link. Names the entry and why.</summary>
public sealed class UnsafeArchiveException : Exception
{
    public UnsafeArchiveException()
    {
        EntryName = "";
    }

    public UnsafeArchiveException(string message)
        : base(message)
    {
        EntryName = "";
    }

    public UnsafeArchiveException(string message, Exception? innerException)
        : base(message, innerException)
    {
        EntryName = "";
    }

    public UnsafeArchiveException(string entryName, string reason, Exception? innerException = null)
        : base($"unsafe archive entry '{entryName}': {reason}", innerException)
    {
        EntryName = entryName;
    }

    public string EntryName { get; }
}
