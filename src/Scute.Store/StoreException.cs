namespace Scute.Store;

/// <summary>A store problem the user must act on. The message is one line; the CLI maps it to exit code 3.</summary>
public class StoreException : Exception
{
    public StoreException()
    {
    }

    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
