namespace Scute.Manifest;

/// <summary>Everything the environment id depends on, and nothing machine-specific.</summary>
public sealed record IdentityInputs
{
    /// <summary>"sha256:&lt;hex&gt;" of the resolved base image content.</summary>
    public required string BaseDigest { get; init; }

    public required IReadOnlyList<ResolvedPackage> Packages { get; init; }

    public required IReadOnlyList<string> Apps { get; init; }

    public required bool Gpu { get; init; }

    public required bool Audio { get; init; }

    /// <summary>Only Label and Written are used, so the id does not depend on where the project is checked out.</summary>
    public required IReadOnlyList<MountSpec> Mounts { get; init; }

    public required string Backend { get; init; }

    public required bool NetworkIsolation { get; init; }

    public long? CpuShares { get; init; }

    public long? MemoryLimitMb { get; init; }

    /// <summary>Canonical JSON of the effective security context, from the policy layer; nested as JSON, not as a string.</summary>
    public required string SecurityContextJson { get; init; }

    /// <summary>The inputs of a parsed manifest on a resolved base, with its packages and security context (build and pull compute the same).</summary>
    public static IdentityInputs For(EnvironmentManifest manifest, string baseDigest, IReadOnlyList<ResolvedPackage> packages, string securityContextJson)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new IdentityInputs
        {
            BaseDigest = baseDigest,
            Packages = packages,
            Apps = manifest.Apps,
            Gpu = manifest.Gpu,
            Audio = manifest.Audio,
            Mounts = manifest.Mounts,
            Backend = manifest.Runtime.Backend,
            NetworkIsolation = manifest.Runtime.NetworkIsolation,
            CpuShares = manifest.Runtime.CpuShares,
            MemoryLimitMb = manifest.Runtime.MemoryLimitMb,
            SecurityContextJson = securityContextJson,
        };
    }
}
