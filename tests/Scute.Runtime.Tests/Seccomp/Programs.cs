using Scute.Runtime.Seccomp;

namespace Scute.Runtime.Tests.Seccomp;

/// <summary>Compiles profiles and runs syscalls through them by name.</summary>
internal sealed class Programs(SockFilter[] program, SeccompArch arch)
{
    public const uint Allow = 0x7fff0000;
    public const uint KillProcess = 0x80000000;
    public const uint KillThread = 0;
    public const uint Log = 0x7ffc0000;

    public static uint Errno(int errno) => 0x00050000u | (uint)errno;

    public SockFilter[] Program { get; } = program;

    public static Programs Default(SeccompArch arch, params string[] caps) =>
        new(SeccompCompiler.Compile(DefaultProfile.Profile.Resolve(caps, arch), arch), arch);

    public static Programs FromJson(string json, SeccompArch arch, params string[] caps) =>
        new(SeccompCompiler.Compile(SeccompProfile.Parse(json).Resolve(caps, arch), arch), arch);

    public uint Call(string name, params ulong[] args) =>
        BpfInterpreter.Run(Program, Number(name), SeccompArchitectures.AuditArch(arch), args);

    public uint Number(string name) =>
        (uint)(SeccompArchitectures.SyscallNumber(arch, name) ?? throw new ArgumentException($"{name} has no number on {arch}"));
}
