using System.Runtime.InteropServices;

namespace Scute.Runtime.Seccomp;

/// <summary>One classic BPF instruction, laid out as the kernel's <c>struct sock_filter</c> (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct SockFilter(ushort Code, byte Jt, byte Jf, uint K)
{
    public const ushort LdWAbs = 0x20;   // BPF_LD | BPF_W | BPF_ABS
    public const ushort AluAndK = 0x54;  // BPF_ALU | BPF_AND | BPF_K
    public const ushort Ja = 0x05;       // BPF_JMP | BPF_JA
    public const ushort JeqK = 0x15;     // BPF_JMP | BPF_JEQ | BPF_K
    public const ushort JgtK = 0x25;     // BPF_JMP | BPF_JGT | BPF_K
    public const ushort JgeK = 0x35;     // BPF_JMP | BPF_JGE | BPF_K
    public const ushort RetK = 0x06;     // BPF_RET | BPF_K

    /// <summary>Offsets into <c>struct seccomp_data</c>.</summary>
    public const uint NrOffset = 0;
    public const uint ArchOffset = 4;
    public const uint ArgsOffset = 16;
}
