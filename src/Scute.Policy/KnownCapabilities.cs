namespace Scute.Policy;

/// <summary>The capabilities a manifest may never add unless the system policy names them (the names themselves: <see cref="CapabilityNames"/>).</summary>
public static class KnownCapabilities
{
    /// <summary>DESIGN §2.3: never addable unless the system policy file names them.</summary>
    public static IReadOnlySet<string> Dangerous { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO", "SYS_BOOT", "MAC_ADMIN", "MAC_OVERRIDE", "BPF", "PERFMON",
    };
}
