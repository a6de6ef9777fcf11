using Scute.Store;

namespace Scute.Images.Registry;

/// <summary>
/// A blob to upload: its digest, size and media type, and how to write its bytes (again, at each
/// attempt): the caller streams them from the store, so nothing the size of a layer is held in memory.
/// </summary>
public sealed record PushBlob(Digest Digest, long Size, string MediaType, Action<Stream> Write)
{
    public static PushBlob FromBytes(byte[] content, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new PushBlob(Digest.Compute(content), content.Length, mediaType, s => s.Write(content));
    }
}

/// <summary>What happened to one blob of a push.</summary>
public enum BlobOutcome
{
    /// <summary>The repository already had it (HEAD answered 200).</summary>
    Present,

    /// <summary>The registry linked it from another repository of ours (cross-repository mount).</summary>
    Mounted,

    /// <summary>Its bytes were sent.</summary>
    Uploaded,
}
