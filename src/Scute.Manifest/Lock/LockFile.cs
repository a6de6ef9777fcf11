namespace Scute.Manifest;

/// <summary>What <c>build</c> resolved, written next to the manifest so <c>build --locked</c> can reproduce or refuse.</summary>
public sealed record LockFile
{
    public const int CurrentVersion = 1;

    public int LockVersion { get; init; } = CurrentVersion;

    public required string EnvId { get; init; }

    public required string ShortId { get; init; }

    /// <summary>The image reference as the manifest wrote it.</summary>
    public required string BaseReference { get; init; }

    /// <summary>"sha256:&lt;hex&gt;" of the content it resolved to.</summary>
    public required string BaseDigest { get; init; }

    /// <summary>
    /// "sha256:&lt;hex&gt;" of the OCI image manifest the base came from (registries, layouts, archives),
    /// so the reference can be pinned as <c>repo@sha256:...</c>; null for other sources.
    /// </summary>
    public string? BaseManifestDigest { get; init; }

    /// <summary>For an alias: the image server's version (build) of the product that was used, e.g. "20250101_05:24".</summary>
    public string? BaseVersion { get; init; }

    /// <summary>
    /// For an alias or an http(s) URL: the 64 lower-case hex sha256 of the rootfs tarball as downloaded
    /// (the index's value, or what the download hashed to when the URL had no #sha256=).
    /// </summary>
    public string? BaseSha256 { get; init; }

    public required string Backend { get; init; }

    public required bool Gpu { get; init; }

    public required bool Audio { get; init; }

    public required IReadOnlyList<LockMount> Mounts { get; init; }

    public required bool NetworkIsolation { get; init; }

    public long? CpuShares { get; init; }

    public long? MemoryLimitMb { get; init; }

    public required IReadOnlyList<ResolvedPackage> Packages { get; init; }

    public required IReadOnlyList<string> Apps { get; init; }

    /// <summary>Canonical JSON of the effective security context; stored nested in the file, canonicalized on write.</summary>
    public required string SecurityContextJson { get; init; }
}
