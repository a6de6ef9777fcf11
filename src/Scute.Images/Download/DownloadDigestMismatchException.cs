using Scute.Store;

namespace Scute.Images.Download;

/// <summary>
/// Downloaded bytes are not the ones the reference, the index or the lock promised. A store
/// integrity error (exit 3), like stored bytes that no longer match their digest: in both cases
/// content is not what it claims to be, and nothing of it is kept.
/// </summary>
public sealed class DownloadDigestMismatchException : StoreException
{
    public DownloadDigestMismatchException() { }

    public DownloadDigestMismatchException(string message) : base(message) { }

    public DownloadDigestMismatchException(string message, Exception? innerException) : base(message, innerException) { }
}
