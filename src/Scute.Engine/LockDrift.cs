using Scute.Engine.Packages;
using Scute.Manifest;

namespace Scute.Engine;

/// <summary>
/// build --locked: the manifest's intent must still be what the lock recorded. Every field that
/// drifted is named in one message, so one edit of the manifest (or one unlocked build) fixes all.
/// </summary>
internal static class LockDrift
{
    /// <summary>The drifted fields, in a fixed order; empty when the lock still describes the manifest.</summary>
    public static IReadOnlyList<string> Fields(LockFile locked, EnvironmentManifest manifest, string securityJson)
    {
        var drifted = new List<string>();
        void Compare(string field, bool same, string detail)
        {
            if (!same)
            {
                drifted.Add($"{field} ({detail})");
            }
        }

        Compare("image", locked.BaseReference == manifest.BaseImage, $"locked {locked.BaseReference}, now {manifest.BaseImage}");
        // The lock lists every installed name ([system].packages and [gui].apps) with its version.
        var wanted = manifest.Packages.Concat(manifest.Apps).Select(PackageNames.Bare).Distinct(StringComparer.Ordinal).ToList();
        var lockedNames = locked.Packages.Select(p => p.Name).Distinct(StringComparer.Ordinal).ToList();
        Compare("packages", Same(lockedNames, wanted), Difference(lockedNames, wanted));
        Compare("apps", Same(locked.Apps, manifest.Apps), Difference(locked.Apps, manifest.Apps));
        var mounts = manifest.Mounts.Select(m => $"{m.Label}={m.Written}").Order(StringComparer.Ordinal).ToList();
        var lockedMounts = locked.Mounts.Select(m => $"{m.Label}={m.Written}").Order(StringComparer.Ordinal).ToList();
        Compare("mounts", Same(lockedMounts, mounts), Difference(lockedMounts, mounts));
        Compare("security", locked.SecurityContextJson == securityJson, "the effective security context changed: profile, user, capabilities, overrides or host policy");
        Compare("backend", locked.Backend == manifest.Runtime.Backend, $"locked {locked.Backend}, now {manifest.Runtime.Backend}");
        Compare("hardware", locked.Gpu == manifest.Gpu && locked.Audio == manifest.Audio, $"locked gpu={Bool(locked.Gpu)} audio={Bool(locked.Audio)}, now gpu={Bool(manifest.Gpu)} audio={Bool(manifest.Audio)}");
        Compare("network", locked.NetworkIsolation == manifest.Runtime.NetworkIsolation, $"locked network_isolation={Bool(locked.NetworkIsolation)}, now {Bool(manifest.Runtime.NetworkIsolation)}");
        Compare("limits", locked.CpuShares == manifest.Runtime.CpuShares && locked.MemoryLimitMb == manifest.Runtime.MemoryLimitMb,
            $"locked cpu_shares={Opt(locked.CpuShares)} memory_limit_mb={Opt(locked.MemoryLimitMb)}, now {Opt(manifest.Runtime.CpuShares)} and {Opt(manifest.Runtime.MemoryLimitMb)}");
        return drifted;
    }

    /// <summary>Throws a <see cref="LockException"/> naming every drifted field.</summary>
    public static void Require(string lockPath, LockFile locked, EnvironmentManifest manifest, string securityJson)
    {
        var drifted = Fields(locked, manifest, securityJson);
        if (drifted.Count > 0)
        {
            throw new LockException(
                $"--locked: {lockPath} no longer matches the manifest: {string.Join("; ", drifted)}; run scute build without --locked to lock what the manifest now says");
        }
    }

    private static bool Same(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Order(StringComparer.Ordinal).SequenceEqual(b.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static string Difference(IReadOnlyList<string> locked, IReadOnlyList<string> now)
    {
        var added = now.Except(locked, StringComparer.Ordinal).ToList();
        var removed = locked.Except(now, StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (added.Count > 0)
        {
            parts.Add("not locked: " + string.Join(", ", added));
        }

        if (removed.Count > 0)
        {
            parts.Add("no longer asked for: " + string.Join(", ", removed));
        }

        return string.Join("; ", parts);
    }

    private static string Bool(bool b) => b ? "true" : "false";

    private static string Opt(long? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
