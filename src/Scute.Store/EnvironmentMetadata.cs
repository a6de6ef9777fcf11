using System.Text.Json.Serialization;

namespace Scute.Store;

public enum EnvState
{
    [JsonStringEnumMemberName("defined")] Defined,
    [JsonStringEnumMemberName("built")] Built,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("frozen")] Frozen,
    [JsonStringEnumMemberName("archived")] Archived,
}

/// <summary>Everything the store records about one environment (store/metadata/&lt;env_id&gt;).</summary>
public sealed record EnvironmentMetadata
{
    public required string EnvId { get; init; }

    public required string ShortId { get; init; }

    public string? Name { get; init; }

    public required EnvState State { get; init; }

    public required string ManifestPath { get; init; }

    public required string BaseReference { get; init; }

    public required Digest BaseDigest { get; init; }

    public required string ImageKey { get; init; }

    public required string Backend { get; init; }

    /// <summary>Layer description digests, bottom first.</summary>
    public IReadOnlyList<Digest> Layers { get; init; } = [];

    /// <summary>Canonical normalized manifest; opaque to the store.</summary>
    public required string ManifestJson { get; init; }

    /// <summary>Effective security context; opaque to the store.</summary>
    public required string SecurityJson { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Snapshot layer digests made by commit, oldest first. GC roots: they are the user's work.</summary>
    public IReadOnlyList<Digest> Snapshots { get; init; } = [];

    /// <summary>The snapshot the upper dir was last committed as or restored from; parent of the next commit.</summary>
    public Digest? CurrentSnapshot { get; init; }

    /// <summary>The object holding the environment's SPDX document, made at build; null in environments built before SBOMs.</summary>
    public Digest? Sbom { get; init; }
}
