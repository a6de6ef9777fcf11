namespace Scute.Policy.Host;

/// <summary>
/// What this host allows (DESIGN §2.3). The system file is authoritative; a user file can only
/// tighten it (<see cref="HostPolicyMerge"/>).
/// </summary>
public sealed record HostPolicy
{
    public IReadOnlySet<string> AllowedProfiles { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "dev", "strict" };

    public bool OverridesAllowed { get; init; } = true;

    /// <summary>Host folders mounts may come from, besides the manifest's own folder.</summary>
    public IReadOnlyList<string> MountPrefixes { get; init; } = ["/home", "/tmp"];

    /// <summary>
    /// Secret and control locations no mount may be, lie in or contain, as written (<c>~/.ssh</c>):
    /// the built-in list plus what the files add. No file can remove an entry; a manifest can
    /// expose one only through an override (<see cref="SecretLocations"/>).
    /// </summary>
    public IReadOnlyList<string> DeniedMountSources { get; init; } = SecretLocations.Defaults;

    /// <summary>Capabilities a manifest may add (with a reason).</summary>
    public IReadOnlySet<string> AllowedCapabilities { get; init; } =
        new HashSet<string>(CapabilityNames.All.Except(KnownCapabilities.Dangerous), StringComparer.Ordinal);

    /// <summary>Variables passed in addition to the defaults.</summary>
    public IReadOnlyList<string> EnvironmentAllow { get; init; } = [];

    /// <summary>Variables never passed, in addition to the built-in secrets.</summary>
    public IReadOnlyList<string> EnvironmentDeny { get; init; } = [];

    public long? MaxCpuShares { get; init; }

    public long? MaxMemoryMb { get; init; }

    public bool GpuAllowed { get; init; } = true;

    public bool AudioAllowed { get; init; } = true;

    /// <summary>Whether an environment may have the Wayland socket and one X11 display socket ([gui] apps, hardware.gpu).</summary>
    public bool DisplayAllowed { get; init; } = true;

    /// <summary>Whether an environment may talk to session bus names ([gui] dbus_talk) through xdg-dbus-proxy.</summary>
    public bool SessionBusAllowed { get; init; } = true;

    /// <summary>Whether an environment may use the host network (network_isolation = false).</summary>
    public bool NetworkAllowed { get; init; } = true;

    /// <summary>Files it was read from, most authoritative first (for messages).</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    public static HostPolicy Default { get; } = new();
}
