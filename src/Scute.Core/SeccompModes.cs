namespace Scute.Core;

/// <summary>
/// The values of <c>security.seccomp</c> and of a run's seccomp mode: Scute's own profile, no filter,
/// or (any other value in a manifest) the path of an OCI seccomp JSON profile, which a run carries as
/// <see cref="Profile"/> with the document read by the engine.
/// </summary>
public static class SeccompModes
{
    public const string Default = "default";
    public const string Unconfined = "unconfined";
    public const string Profile = "profile";

    /// <summary>Whether a <c>security.seccomp</c> value names a profile file rather than a built-in mode.</summary>
    public static bool IsProfilePath(string value) => value is not (Default or Unconfined);
}
