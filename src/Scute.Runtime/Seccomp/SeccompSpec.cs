namespace Scute.Runtime.Seccomp;

/// <summary>
/// The seccomp filter a backend installs before the command runs: <c>default</c> (Scute's own
/// profile), <c>unconfined</c> (no filter) or <c>profile</c> (an OCI seccomp JSON document, read
/// by the engine so the backend never opens a path named by a manifest).
/// </summary>
public sealed record SeccompSpec(string Mode, string? ProfileJson)
{
    public static SeccompSpec Default { get; } = new(SeccompModes.Default, null);

    public static SeccompSpec Unconfined { get; } = new(SeccompModes.Unconfined, null);
}
