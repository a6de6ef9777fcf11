using System.Runtime.InteropServices;

namespace Scute.Runtime.Seccomp;

/// <summary>
/// A filter compiled before the run (at build), carried in the run spec so the command stage
/// installs it without compiling: the bytes of the <c>struct sock_filter</c> array in this
/// machine's layout, tagged with the audit architecture and the kernel version it was resolved
/// for (a profile's <c>minKernel</c> includes depend on the running kernel).
/// </summary>
public sealed record SeccompProgram(uint Arch, string Kernel, byte[] Filter)
{
    /// <summary>The version <see cref="SeccompProfile.Resolve"/> compares <c>minKernel</c> with.</summary>
    public static string RunningKernel => Environment.OSVersion.Version.ToString();

    public static SeccompProgram From(SockFilter[] program, SeccompArch arch)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new SeccompProgram(SeccompArchitectures.AuditArch(arch), RunningKernel, MemoryMarshal.AsBytes(program.AsSpan()).ToArray());
    }

    /// <summary>The instructions, when the program was compiled for <paramref name="arch"/> on this kernel and is whole; else null.</summary>
    public SockFilter[]? For(SeccompArch arch)
    {
        var size = Marshal.SizeOf<SockFilter>();
        if (Arch != SeccompArchitectures.AuditArch(arch) || Kernel != RunningKernel || Filter is null || Filter.Length == 0 || Filter.Length % size != 0)
        {
            return null;
        }

        return MemoryMarshal.Cast<byte, SockFilter>(Filter).ToArray();
    }
}
