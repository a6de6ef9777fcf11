namespace Scute.Policy.Audit;

/// <summary>Why a record is in the audit trail (DESIGN §2.5).</summary>
public static class AuditKind
{
    /// <summary>An accepted [security.overrides] entry.</summary>
    public const string Override = "override";

    /// <summary>A capability added by [security.capabilities].</summary>
    public const string Capability = "capability";

    /// <summary>A default the dev profile relaxes (writable root, the invoking user).</summary>
    public const string DevProfile = "dev_profile";

    /// <summary>A desktop grant (display, audio, GPU, a session bus name) and the manifest line that asked for it.</summary>
    public const string DesktopGrant = "desktop_grant";

    public static IReadOnlyList<string> All { get; } = [Capability, DesktopGrant, DevProfile, Override];
}
