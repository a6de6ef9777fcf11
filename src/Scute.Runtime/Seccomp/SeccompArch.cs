using System.Runtime.InteropServices;

namespace Scute.Runtime.Seccomp;

/// <summary>The architectures Scute compiles filters for; any other is killed by the filter.</summary>
public enum SeccompArch
{
    X86_64,
    Aarch64,
}

public static class SeccompArchitectures
{
    public const uint AuditArchX86_64 = 0xC000003E;
    public const uint AuditArchAarch64 = 0xC00000B7;

    /// <summary>First syscall number of the x32 ABI on x86_64 (__X32_SYSCALL_BIT).</summary>
    public const uint X32SyscallBit = 0x40000000;

    public static SeccompArch Native => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => SeccompArch.X86_64,
        Architecture.Arm64 => SeccompArch.Aarch64,
        var other => throw new ContainerSetupException($"seccomp: unsupported architecture {other}"),
    };

    public static uint AuditArch(SeccompArch arch) => arch == SeccompArch.X86_64 ? AuditArchX86_64 : AuditArchAarch64;

    /// <summary>The syscall's number on the architecture, or null when it has none there.</summary>
    public static int? SyscallNumber(SeccompArch arch, string name) =>
        (arch == SeccompArch.X86_64 ? SyscallsX64.Numbers : SyscallsArm64.Numbers).TryGetValue(name, out var n) ? n : null;

    /// <summary>Whether an architecture name of a profile (Go, libseccomp or uname spelling) means this one.</summary>
    public static bool Matches(SeccompArch arch, string name) => arch switch
    {
        SeccompArch.X86_64 => name is "amd64" or "x86_64" or "SCMP_ARCH_X86_64",
        SeccompArch.Aarch64 => name is "arm64" or "aarch64" or "SCMP_ARCH_AARCH64",
        _ => false,
    };
}
