using Scute.Store;

namespace Scute.Images;

/// <summary>An unpacked base image in the cache: its rootfs and the digest of its content.</summary>
public sealed record ResolvedImage(string Key, string RootfsPath, Digest ContentDigest);
