using System.Runtime.InteropServices;

namespace Scute.Runtime.Seccomp;

/// <summary>
/// A filter compiled before the run (at build), carried in the run spec so the command stage
/// installs it without compiling: the bytes of the <c>struct sock_filter</c> array in this
/// machine's layout, tagged with the audit architecture it was compiled for.
/// </summary>
public sealed record SeccompProgram(uint Arch, byte[] Filter)
{
    public static SeccompProgram From(SockFilter[] program, SeccompArch arch)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new SeccompProgram(SeccompArchitectures.AuditArch(arch), MemoryMarshal.AsBytes(program.AsSpan()).ToArray());
    }

    /// <summary>The instructions, when the program was compiled for <paramref name="arch"/> and is whole; else null.</summary>
    public SockFilter[]? For(SeccompArch arch)
    {
        var size = Marshal.SizeOf<SockFilter>();
        if (Arch != SeccompArchitectures.AuditArch(arch) || Filter is null || Filter.Length == 0 || Filter.Length % size != 0)
        {
            return null;
        }

        return MemoryMarshal.Cast<byte, SockFilter>(Filter).ToArray();
    }
}
