namespace Scute.Runtime;

/// <summary>Linux capability numbers by name (without the CAP_ prefix), as in linux/capability.h.</summary>
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

    public static IReadOnlyList<string> All => Names;

    public static bool TryGetNumber(string name, out int number)
    {
        var bare = name.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? name[4..] : name;
        number = Array.FindIndex(Names, n => string.Equals(n, bare, StringComparison.OrdinalIgnoreCase));
        return number >= 0;
    }

    /// <summary>Bit mask of the named capabilities; unknown names are an error.</summary>
    public static ulong ToMask(IEnumerable<string> names)
    {
        ulong mask = 0;
        foreach (var name in names)
        {
            if (!TryGetNumber(name, out var n))
            {
                throw new ContainerSetupException($"unknown capability '{name}'");
            }

            mask |= 1UL << n;
        }

        return mask;
    }
}
