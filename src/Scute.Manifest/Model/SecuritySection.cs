namespace Scute.Manifest;

/// <summary>
/// [security] as written, normalized but not judged: whether a value is allowed is the policy layer's call,
/// so unset values stay null rather than taking the profile's defaults here.
/// </summary>
public sealed record SecuritySection
{
    public const string DefaultProfile = "strict";

    /// <summary>Lower-case strict or dev.</summary>
    public required string Profile { get; init; }

    public int? User { get; init; }

    public int? Group { get; init; }

    public bool? ReadonlyRoot { get; init; }

    public bool? NoNewPrivileges { get; init; }

    /// <summary>Trimmed as written: default, unconfined, or a path to an OCI seccomp JSON file.</summary>
    public string? Seccomp { get; init; }

    /// <summary>Upper-case name without the CAP_ prefix → reason (trimmed), sorted ordinal.</summary>
    public required IReadOnlyDictionary<string, string> Capabilities { get; init; }

    /// <summary>Override key as written → reason (trimmed), sorted ordinal.</summary>
    public required IReadOnlyDictionary<string, string> Overrides { get; init; }
}
