namespace Scute.Manifest;

/// <summary>[runtime] and [runtime.resource_limits].</summary>
public sealed record RuntimeSection
{
    public const string DefaultBackend = "namespace";

    /// <summary>Lower-case: namespace, oci, podman or mock.</summary>
    public required string Backend { get; init; }

    public required bool NetworkIsolation { get; init; }

    public long? CpuShares { get; init; }

    public long? MemoryLimitMb { get; init; }
}
