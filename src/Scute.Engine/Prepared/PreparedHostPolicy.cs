using Scute.Policy.Host;

namespace Scute.Engine.Prepared;

/// <summary>The host policy as build read it, so exec need not parse the files again while their bytes are unchanged.</summary>
internal sealed record PreparedHostPolicy
{
    public required IReadOnlyList<string> AllowedProfiles { get; init; }

    public required bool OverridesAllowed { get; init; }

    public required IReadOnlyList<string> MountPrefixes { get; init; }

    public required IReadOnlyList<string> DeniedMountSources { get; init; }

    public required IReadOnlyList<string> AllowedCapabilities { get; init; }

    public required IReadOnlyList<string> EnvironmentAllow { get; init; }

    public required IReadOnlyList<string> EnvironmentDeny { get; init; }

    public long? MaxCpuShares { get; init; }

    public long? MaxMemoryMb { get; init; }

    public required bool GpuAllowed { get; init; }

    public required bool AudioAllowed { get; init; }

    public required bool DisplayAllowed { get; init; }

    public required bool SessionBusAllowed { get; init; }

    public required bool NetworkAllowed { get; init; }

    public required IReadOnlyList<string> Sources { get; init; }

    public static PreparedHostPolicy From(HostPolicy p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new PreparedHostPolicy
        {
            AllowedProfiles = [.. p.AllowedProfiles.Order(StringComparer.Ordinal)],
            OverridesAllowed = p.OverridesAllowed,
            MountPrefixes = p.MountPrefixes,
            DeniedMountSources = p.DeniedMountSources,
            AllowedCapabilities = [.. p.AllowedCapabilities.Order(StringComparer.Ordinal)],
            EnvironmentAllow = p.EnvironmentAllow,
            EnvironmentDeny = p.EnvironmentDeny,
            MaxCpuShares = p.MaxCpuShares,
            MaxMemoryMb = p.MaxMemoryMb,
            GpuAllowed = p.GpuAllowed,
            AudioAllowed = p.AudioAllowed,
            DisplayAllowed = p.DisplayAllowed,
            SessionBusAllowed = p.SessionBusAllowed,
            NetworkAllowed = p.NetworkAllowed,
            Sources = p.Sources,
        };
    }

    public HostPolicy ToHostPolicy() => new()
    {
        AllowedProfiles = new HashSet<string>(AllowedProfiles, StringComparer.Ordinal),
        OverridesAllowed = OverridesAllowed,
        MountPrefixes = MountPrefixes,
        DeniedMountSources = DeniedMountSources,
        AllowedCapabilities = new HashSet<string>(AllowedCapabilities, StringComparer.Ordinal),
        EnvironmentAllow = EnvironmentAllow,
        EnvironmentDeny = EnvironmentDeny,
        MaxCpuShares = MaxCpuShares,
        MaxMemoryMb = MaxMemoryMb,
        GpuAllowed = GpuAllowed,
        AudioAllowed = AudioAllowed,
        DisplayAllowed = DisplayAllowed,
        SessionBusAllowed = SessionBusAllowed,
        NetworkAllowed = NetworkAllowed,
        Sources = Sources,
    };
}
