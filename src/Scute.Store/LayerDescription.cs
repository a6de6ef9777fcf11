using System.Text.Json.Serialization;

namespace Scute.Store;

public enum LayerKind
{
    [JsonStringEnumMemberName("base")] Base,
    [JsonStringEnumMemberName("dependency")] Dependency,
    [JsonStringEnumMemberName("policy")] Policy,
    [JsonStringEnumMemberName("snapshot")] Snapshot,
}

/// <summary>What a layer is: its kind, the layer below it, and the deterministic tar holding its files.</summary>
public sealed record LayerDescription
{
    public required LayerKind Kind { get; init; }

    public Digest? Parent { get; init; }

    public required Digest TarDigest { get; init; }

    public string? Note { get; init; }

    /// <summary>When a snapshot was committed; absent for other kinds.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}
