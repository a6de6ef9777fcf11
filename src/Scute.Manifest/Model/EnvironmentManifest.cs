namespace Scute.Manifest;

/// <summary>The typed, validated and normalized manifest: what the user meant, whatever way they wrote it.</summary>
public sealed record EnvironmentManifest
{
    public required int ManifestVersion { get; init; }

    public required string BaseImage { get; init; }

    /// <summary>Trimmed, sorted ordinal, de-duplicated.</summary>
    public required IReadOnlyList<string> Packages { get; init; }

    /// <summary>Trimmed, sorted ordinal, de-duplicated.</summary>
    public required IReadOnlyList<string> Apps { get; init; }

    /// <summary>
    /// [gui] dbus_talk: well-known session bus names the environment may talk to, through
    /// xdg-dbus-proxy; never the bus itself. Sorted ordinal, de-duplicated.
    /// </summary>
    public IReadOnlyList<string> DbusTalk { get; init; } = [];

    public required bool Gpu { get; init; }

    public required bool Audio { get; init; }

    /// <summary>Sorted by label (ordinal).</summary>
    public required IReadOnlyList<MountSpec> Mounts { get; init; }

    public required RuntimeSection Runtime { get; init; }

    /// <summary>Null when the manifest has no [security] table; the policy layer then applies the dev profile.</summary>
    public SecuritySection? Security { get; init; }

    /// <summary>Absolute path of the manifest file.</summary>
    public required string SourcePath { get; init; }

    public string SourceFolder => Path.GetDirectoryName(SourcePath) ?? "/";

    /// <summary>
    /// Dotted key (<c>security.user</c>, <c>mounts.workspace</c>, <c>security</c> for a table header) → 1-based
    /// line, so later layers can point at the line a policy violation comes from.
    /// </summary>
    public required IReadOnlyDictionary<string, int> KeyLines { get; init; }
}
