using Scute.Store;

namespace Scute.Images;

/// <summary>
/// An unpacked base image in the cache: its rootfs and the digest of its content. Images that came
/// from an OCI manifest also carry that manifest's digest, which the lock records to pin them.
/// </summary>
public sealed record ResolvedImage(string Key, string RootfsPath, Digest ContentDigest, Digest? ManifestDigest = null)
{
    /// <summary>For an alias: the image server's version that was used (recorded in the lock as base.version).</summary>
    public string? SourceVersion { get; init; }

    /// <summary>For a download: the 64 lower-case hex sha256 of the tarball (recorded in the lock as base.sha256).</summary>
    public string? SourceSha256 { get; init; }

    /// <summary>
    /// An object already in the store holding exactly the deterministic tar of <see cref="RootfsPath"/>
    /// (a folder image packed once on import, a tarball whose entries were packed while it was unpacked):
    /// the base layer uses it instead of packing the rootfs again.
    /// </summary>
    public Digest? RootfsTar { get; init; }
}
