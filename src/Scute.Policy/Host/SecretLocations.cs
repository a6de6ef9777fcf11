using System.Runtime.InteropServices;
using Scute.Policy.Checks;
using Scute.Core.Interop;

namespace Scute.Policy.Host;

/// <summary>
/// The host policy's <c>[mounts] denied_sources</c>: secret and control locations no mount may
/// expose. Entries are kept as written (<c>~/.ssh</c>, <c>$XDG_RUNTIME_DIR</c>) and expanded for the
/// invoking user only when a check runs, so one policy file serves every user of the host.
/// </summary>
public static partial class SecretLocations
{
    public const string RuntimeDirVariable = "$XDG_RUNTIME_DIR";
    public const string AgentSocketVariable = "$SSH_AUTH_SOCK";

    public const string Accepted = "absolute paths, ~/path, $XDG_RUNTIME_DIR[/path] or $SSH_AUTH_SOCK";

    /// <summary>
    /// Credentials of the usual tools, the user's runtime folder (session bus, agents, Wayland,
    /// rootless engines) and the sockets of container engines and system buses: each one lets a
    /// process that can read it act as the user or as root on this host.
    /// </summary>
    public static IReadOnlyList<string> Defaults { get; } =
    [
        "~/.ssh", "~/.gnupg", "~/.aws", "~/.azure", "~/.kube", "~/.docker",
        "~/.config/containers", "~/.config/gcloud", "~/.config/gh", "~/.netrc", "~/.pgpass",
        "~/.git-credentials", "~/.local/share/keyrings", "~/.password-store",
        RuntimeDirVariable, AgentSocketVariable, "/tmp/.X11-unix",
        "/run/docker.sock", "/var/run/docker.sock", "/run/docker", "/var/run/docker",
        "/run/podman", "/var/run/podman", "/run/containerd", "/var/run/containerd",
        "/run/crio", "/var/run/crio", "/run/buildkit", "/var/run/buildkit",
        "/run/dbus", "/var/run/dbus", "/run/systemd", "/var/run/systemd",
        "/var/lib/lxd/unix.socket", "/var/snap/lxd/common/lxd/unix.socket", "/var/lib/incus/unix.socket",
    ];

    public static bool IsEntry(string entry) =>
        entry.Length is > 0 and <= 4096 && !entry.Any(char.IsControl)
        && (entry.StartsWith('/') || entry == "~" || entry.StartsWith("~/", StringComparison.Ordinal)
            || IsVariable(entry, RuntimeDirVariable) || entry == AgentSocketVariable);

    /// <summary>The entries expanded for the user running scute now (HOME, XDG_RUNTIME_DIR, SSH_AUTH_SOCK).</summary>
    public static IReadOnlyList<DeniedLocation> ForInvokingUser(HostPolicy host) =>
        Expand(host.DeniedMountSources, InvokingUser.Current());

    /// <summary>Each entry that can be expanded for <paramref name="user"/>, with its target resolved.</summary>
    public static IReadOnlyList<DeniedLocation> Expand(IEnumerable<string> entries, InvokingUser user)
    {
        var result = new List<DeniedLocation>();
        foreach (var entry in entries.Distinct(StringComparer.Ordinal))
        {
            if (ExpandOne(entry, user) is { } path)
            {
                var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
                var present = new FileInfo(full).LinkTarget is not null || Path.Exists(full);
                result.Add(new DeniedLocation(entry, full, SymlinkResolver.Resolve(full), present));
            }
        }

        return result;
    }

    // An entry whose variable has no value for this user denies nothing: there is nothing to expose.
    private static string? ExpandOne(string entry, InvokingUser user)
    {
        if (entry == "~" || entry.StartsWith("~/", StringComparison.Ordinal))
        {
            return user.Home is { } home ? home + entry[1..] : null;
        }

        if (IsVariable(entry, RuntimeDirVariable))
        {
            return user.RuntimeDir + entry[RuntimeDirVariable.Length..];
        }

        return entry == AgentSocketVariable ? user.AgentSocket : entry;
    }

    private static bool IsVariable(string entry, string variable) =>
        entry == variable || entry.StartsWith(variable + "/", StringComparison.Ordinal);

    /// <summary>Where the entries point for one user: <c>~</c>, the runtime folder and the agent socket.</summary>
    public sealed record InvokingUser(string? Home, string RuntimeDir, string? AgentSocket)
    {
        /// <summary>
        /// HOME as mounts expand <c>~</c> (else the account's home); XDG_RUNTIME_DIR, else
        /// /run/user/&lt;uid&gt; where logind puts it; SSH_AUTH_SOCK. Relative values are ignored.
        /// </summary>
        public static InvokingUser Current() => new(
            Absolute(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)),
            Absolute(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR")) ?? $"/run/user/{Libc.geteuid()}",
            Absolute(Environment.GetEnvironmentVariable("SSH_AUTH_SOCK")));

        private static string? Absolute(string? path) => !string.IsNullOrEmpty(path) && Path.IsPathRooted(path) ? path : null;
    }
}

/// <summary>
/// One expanded entry: as written, as an absolute path, with every symlink followed (null when it
/// does not resolve), and whether anything (even a dangling link) is there now.
/// </summary>
public sealed record DeniedLocation(string Entry, string Path, string? Resolved, bool Present)
{
    /// <summary>The path as checked, then where it leads when that differs.</summary>
    public override string ToString() => Resolved is null || Resolved == Path ? Path : $"{Path} (-> {Resolved})";
}
