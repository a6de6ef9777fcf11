namespace Scute.Store;

/// <summary>
/// Content from outside the store (a registry blob, a layout's blob, an archive's layer) does not
/// hash to the digest that named it. Nothing of it is kept; the CLI maps it to exit code 3.
/// </summary>
public sealed class ContentDigestMismatchException : StoreException
{
    public ContentDigestMismatchException()
    {
        Origin = "";
    }

    public ContentDigestMismatchException(string message)
        : base(message)
    {
        Origin = "";
    }

    public ContentDigestMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Origin = "";
    }

    public ContentDigestMismatchException(string source, Digest expected, Digest actual)
        : base($"{source}: content hashes to {actual}, expected {expected}; nothing of it was kept")
    {
        Origin = source;
        Expected = expected;
        Actual = actual;
    }

    public string Origin { get; }

    public Digest Expected { get; }

    public Digest Actual { get; }
}
