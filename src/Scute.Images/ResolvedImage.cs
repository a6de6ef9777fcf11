using Scute.Store;

namespace Scute.Images;

/// <summary>
/// An unpacked base image in the cache: its rootfs and the digest of its content. Images that came
/// from an OCI manifest also carry that manifest's digest, which the lock records to pin them.
/// </summary>
public sealed record ResolvedImage(string Key, string RootfsPath, Digest ContentDigest, Digest? ManifestDigest = null);
