using Scute.Manifest;
using Scute.Manifest.Parsing;

namespace Scute.Policy.Host;

/// <summary>
/// Reads the host policy: /etc/scute/policy.toml (authoritative), then
/// $XDG_CONFIG_HOME/scute/policy.toml (~/.config/...), which may only tighten it.
/// Both are parsed as strictly as a manifest: an unknown key is an error (exit 2).
/// </summary>
public static class HostPolicyLoader
{
    public const string SystemFile = "/etc/scute/policy.toml";

    private static readonly string[] Sections = ["profiles", "overrides", "mounts", "capabilities", "environment", "limits", "hardware", "desktop", "network"];

    public static HostPolicy Load() => Load(SystemFile, UserFile());

    public static HostPolicy Load(string systemFile, string? userFile)
    {
        var system = File.Exists(systemFile) ? Read(systemFile, HostPolicy.Default) : HostPolicy.Default;
        if (userFile is null || !File.Exists(userFile))
        {
            return system;
        }

        return HostPolicyMerge.Tighten(system, Read(userFile, system));
    }

    public static string? UserFile()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var home = Environment.GetEnvironmentVariable("HOME");
        var folder = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".config") : null;
        return folder is null ? null : Path.Combine(folder, "scute", "policy.toml");
    }

    /// <summary>Keys the file does not set keep the values of <paramref name="basis"/>.</summary>
    public static HostPolicy Read(string path, HostPolicy basis) =>
        ManifestParser.ReadStrictFile(path, (tree, context, sourcePath) => FromTable(new TableReader(context, tree), basis, sourcePath));

    private static HostPolicy FromTable(TableReader root, HostPolicy basis, string sourcePath)
    {
        root.RejectUnknownKeys(Sections);
        var profiles = Section(root, "profiles", "allowed");
        var overrides = Section(root, "overrides", "allowed");
        var mounts = Section(root, "mounts", "allowed_prefixes", "denied_sources");
        var caps = Section(root, "capabilities", "allowed");
        var env = Section(root, "environment", "allow", "deny");
        var limits = Section(root, "limits", "max_cpu_shares", "max_memory_mb");
        var hardware = Section(root, "hardware", "gpu", "audio");
        var desktop = Section(root, "desktop", "allow_gpu", "allow_audio", "allow_display", "allow_session_bus");
        var network = Section(root, "network", "allowed");
        return new HostPolicy
        {
            AllowedProfiles = Set(profiles, "allowed", "\"strict\", \"dev\"", v => v is "strict" or "dev") ?? basis.AllowedProfiles,
            OverridesAllowed = overrides?.GetBool("allowed") ?? basis.OverridesAllowed,
            MountPrefixes = List(mounts, "allowed_prefixes", "absolute folders", v => v.StartsWith('/'))?.Select(p => p.TrimEnd('/')).Select(p => p.Length == 0 ? "/" : p).ToList() ?? basis.MountPrefixes,
            // Added to what the basis denies, never in place of it: a file cannot lift a built-in entry.
            DeniedMountSources = [.. basis.DeniedMountSources.Union(List(mounts, "denied_sources", SecretLocations.Accepted, SecretLocations.IsEntry) ?? [], StringComparer.Ordinal)],
            AllowedCapabilities = Set(caps, "allowed", "capability names such as NET_BIND_SERVICE", CapabilityNames.IsKnown) ?? basis.AllowedCapabilities,
            EnvironmentAllow = List(env, "allow", "variable names", IsVariableName) ?? basis.EnvironmentAllow,
            EnvironmentDeny = List(env, "deny", "variable names", IsVariableName) ?? basis.EnvironmentDeny,
            MaxCpuShares = limits?.GetInteger("max_cpu_shares", "a positive integer") ?? basis.MaxCpuShares,
            MaxMemoryMb = limits?.GetInteger("max_memory_mb", "a positive integer") ?? basis.MaxMemoryMb,
            // [hardware] gpu/audio are the older spelling of [desktop] allow_gpu/allow_audio; a false in either forbids.
            GpuAllowed = Both(hardware?.GetBool("gpu"), desktop?.GetBool("allow_gpu")) ?? basis.GpuAllowed,
            AudioAllowed = Both(hardware?.GetBool("audio"), desktop?.GetBool("allow_audio")) ?? basis.AudioAllowed,
            DisplayAllowed = desktop?.GetBool("allow_display") ?? basis.DisplayAllowed,
            SessionBusAllowed = desktop?.GetBool("allow_session_bus") ?? basis.SessionBusAllowed,
            NetworkAllowed = network?.GetBool("allowed") ?? basis.NetworkAllowed,
            Sources = [sourcePath],
        };
    }

    private static bool? Both(bool? a, bool? b) => a is null ? b : b is null ? a : a.Value && b.Value;

    private static TableReader? Section(TableReader root, string name, params string[] keys)
    {
        var table = root.GetTable(name);
        table?.RejectUnknownKeys(keys);
        return table;
    }

    private static HashSet<string>? Set(TableReader? table, string key, string accepted, Func<string, bool> valid) =>
        List(table, key, accepted, valid) is { } list ? new HashSet<string>(list, StringComparer.Ordinal) : null;

    private static List<string>? List(TableReader? table, string key, string accepted, Func<string, bool> valid)
    {
        var items = table?.GetStringArray(key, 1024, accepted);
        if (items is null)
        {
            return null;
        }

        foreach (var (value, line) in items)
        {
            if (!valid(value))
            {
                throw table!.Context.Error(line, table.Path + "." + key, $"'{value}' is not accepted", accepted);
            }
        }

        return [.. items.Select(i => i.Value)];
    }

    private static bool IsVariableName(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(name[0]);
}
