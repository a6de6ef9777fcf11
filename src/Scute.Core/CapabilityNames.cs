namespace Scute.Core;

/// <summary>Linux capability names (without the CAP_ prefix), indexed by their number as in linux/capability.h.</summary>
public static class CapabilityNames
{
    private static readonly string[] Names =
    [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
        "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
        "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
        "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
        "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
        "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
    ];

    private static readonly HashSet<string> Exact = new(Names, StringComparer.Ordinal);

    /// <summary>Every name, at the index of its capability number.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>Whether <paramref name="name"/> is a capability name exactly as written in manifests and policy (upper case, no CAP_).</summary>
    public static bool IsKnown(string name) => Exact.Contains(name);

    /// <summary>The number of a name, ignoring case and an optional CAP_ prefix (as the OCI runtimes accept them).</summary>
    public static bool TryGetNumber(string name, out int number)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bare = name.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? name[4..] : name;
        number = Array.FindIndex(Names, n => string.Equals(n, bare, StringComparison.OrdinalIgnoreCase));
        return number >= 0;
    }
}
