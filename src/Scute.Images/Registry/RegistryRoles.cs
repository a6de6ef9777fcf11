using Scute.Store;

namespace Scute.Images.Registry;

/// <summary>A manifest as the registry served it: its bytes, its media type, and the digest of the bytes.</summary>
public sealed record FetchedManifest(byte[] Content, string? MediaType, Digest Digest);

/// <summary>Reads manifests from one registry (distribution API v2: GET/HEAD /v2/&lt;name&gt;/manifests/&lt;reference&gt;).</summary>
public interface IManifestReader
{
    /// <summary>The manifest or index for a tag or digest; when a digest is asked for, the bytes are checked against it.</summary>
    Task<FetchedManifest> GetManifestAsync(string repository, string reference, CancellationToken ct);

    Task<bool> ManifestExistsAsync(string repository, string reference, CancellationToken ct);
}

/// <summary>Reads blobs from one registry (GET/HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;).</summary>
public interface IBlobReader
{
    /// <summary>The blob's bytes as they arrive; the caller checks them against the digest while it stores them.</summary>
    Task<Stream> GetBlobAsync(string repository, Digest digest, CancellationToken ct);

    Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken ct);
}
