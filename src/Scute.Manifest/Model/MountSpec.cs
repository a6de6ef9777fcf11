namespace Scute.Manifest;

/// <summary>One entry of [mounts]: <c>label = "&lt;host&gt;:&lt;container&gt;[:ro]"</c>.</summary>
public sealed record MountSpec
{
    public required string Label { get; init; }

    /// <summary>The value as written (trimmed); identity uses this, never the expanded host path.</summary>
    public required string Written { get; init; }

    /// <summary>The host part as written, before <c>~</c> and relative paths are expanded.</summary>
    public required string HostPathWritten { get; init; }

    /// <summary>Absolute, normalized; <c>~</c> expanded, relative paths resolved against the manifest folder. Symlinks are NOT resolved here: the policy layer does that at check time.</summary>
    public required string HostPath { get; init; }

    /// <summary>Absolute path inside the environment, normalized (no duplicate or trailing slashes).</summary>
    public required string ContainerPath { get; init; }

    public required bool ReadOnly { get; init; }
}
