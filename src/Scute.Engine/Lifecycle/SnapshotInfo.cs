using Scute.Store;

namespace Scute.Engine.Lifecycle;

/// <summary>One snapshot of an environment, as snapshots lists it.</summary>
public sealed record SnapshotInfo(Digest Layer, Digest TarDigest, Digest? Parent, DateTimeOffset? CreatedAt, string? Note, bool Current);
