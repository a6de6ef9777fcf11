namespace Scute.Runtime.Seccomp;

public enum SeccompActionKind
{
    KillProcess,
    KillThread,
    Trap,
    Errno,
    Trace,
    Log,
    Allow,
}

/// <summary>What the filter returns for a syscall: an action and, for ERRNO/TRACE, its data.</summary>
public readonly record struct SeccompAction(SeccompActionKind Kind, ushort Data = 0)
{
    public const ushort EPERM = 1;
    public const ushort ENOSYS = 38;

    public static SeccompAction Allow => new(SeccompActionKind.Allow);

    public static SeccompAction KillProcess => new(SeccompActionKind.KillProcess);

    public static SeccompAction Errno(ushort errno) => new(SeccompActionKind.Errno, errno);

    /// <summary>The SECCOMP_RET_* value the BPF program returns.</summary>
    public uint ReturnValue => Kind switch
    {
        SeccompActionKind.KillProcess => 0x80000000,
        SeccompActionKind.KillThread => 0x00000000,
        SeccompActionKind.Trap => 0x00030000,
        SeccompActionKind.Errno => 0x00050000u | Data,
        SeccompActionKind.Trace => 0x7ff00000u | Data,
        SeccompActionKind.Log => 0x7ffc0000,
        SeccompActionKind.Allow => 0x7fff0000,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };

    /// <summary>An OCI action name (SCMP_ACT_*); errnoRet for ERRNO (default EPERM) and TRACE.</summary>
    public static SeccompAction Parse(string? name, uint? errnoRet, string where)
    {
        if (errnoRet is > 4095)
        {
            throw new ContainerSetupException($"seccomp profile: {where}: errnoRet {errnoRet} is not an errno (1..4095)");
        }

        var data = (ushort)(errnoRet ?? 0);
        return name switch
        {
            "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => new(SeccompActionKind.KillThread),
            "SCMP_ACT_KILL_PROCESS" => new(SeccompActionKind.KillProcess),
            "SCMP_ACT_TRAP" => new(SeccompActionKind.Trap),
            "SCMP_ACT_ERRNO" => new(SeccompActionKind.Errno, errnoRet is null ? EPERM : data),
            "SCMP_ACT_TRACE" => new(SeccompActionKind.Trace, data),
            "SCMP_ACT_LOG" => new(SeccompActionKind.Log),
            "SCMP_ACT_ALLOW" => new(SeccompActionKind.Allow),
            "SCMP_ACT_NOTIFY" => throw new ContainerSetupException($"seccomp profile: {where}: SCMP_ACT_NOTIFY needs a listener, which Scute does not provide"),
            null => throw new ContainerSetupException($"seccomp profile: {where}: no action"),
            _ => throw new ContainerSetupException($"seccomp profile: {where}: unknown action '{name}' (expected SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_TRACE or SCMP_ACT_LOG)"),
        };
    }
}
