namespace Scute.Store;

/// <summary>What <c>list</c> shows of an environment (its table, --json, the TUI and D-Bus lists): the metadata without its manifest, security context and layers.</summary>
public sealed record EnvironmentSummary
{
    public required string EnvId { get; init; }

    public required string ShortId { get; init; }

    public string? Name { get; init; }

    public required EnvState State { get; init; }

    public required string ManifestPath { get; init; }

    public required string BaseReference { get; init; }

    public required Digest BaseDigest { get; init; }

    public required string Backend { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public static EnvironmentSummary Of(EnvironmentMetadata m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new()
        {
            EnvId = m.EnvId,
            ShortId = m.ShortId,
            Name = m.Name,
            State = m.State,
            ManifestPath = m.ManifestPath,
            BaseReference = m.BaseReference,
            BaseDigest = m.BaseDigest,
            Backend = m.Backend,
            CreatedAt = m.CreatedAt,
        };
    }
}
