namespace Scute.Policy.Host;

/// <summary>A user's policy file can only take away from the system's: never add, never raise; deny lists only grow.</summary>
public static class HostPolicyMerge
{
    public static HostPolicy Tighten(HostPolicy system, HostPolicy user) => new()
    {
        AllowedProfiles = Intersect(system.AllowedProfiles, user.AllowedProfiles),
        OverridesAllowed = system.OverridesAllowed && user.OverridesAllowed,
        MountPrefixes = [.. user.MountPrefixes.Where(u => system.MountPrefixes.Any(s => IsUnder(u, s)))],
        DeniedMountSources = [.. system.DeniedMountSources.Union(user.DeniedMountSources, StringComparer.Ordinal)],
        AllowedCapabilities = Intersect(system.AllowedCapabilities, user.AllowedCapabilities),
        EnvironmentAllow = [.. user.EnvironmentAllow.Where(v => system.EnvironmentAllow.Contains(v))],
        EnvironmentDeny = [.. system.EnvironmentDeny.Union(user.EnvironmentDeny).Order(StringComparer.Ordinal)],
        MaxCpuShares = Min(system.MaxCpuShares, user.MaxCpuShares),
        MaxMemoryMb = Min(system.MaxMemoryMb, user.MaxMemoryMb),
        GpuAllowed = system.GpuAllowed && user.GpuAllowed,
        AudioAllowed = system.AudioAllowed && user.AudioAllowed,
        DisplayAllowed = system.DisplayAllowed && user.DisplayAllowed,
        SessionBusAllowed = system.SessionBusAllowed && user.SessionBusAllowed,
        NetworkAllowed = system.NetworkAllowed && user.NetworkAllowed,
        Sources = [.. system.Sources, .. user.Sources],
    };

    public static bool IsUnder(string path, string prefix)
    {
        var p = prefix.TrimEnd('/');
        return path == p || path.StartsWith(p + "/", StringComparison.Ordinal) || p.Length == 0;
    }

    private static HashSet<string> Intersect(IReadOnlySet<string> a, IReadOnlySet<string> b) =>
        new(a.Where(b.Contains), StringComparer.Ordinal);

    private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
