using Scute.Core.Interop;

namespace Scute.Runtime.Interop;

/// <summary>The runtime's typed check of a libc call (the calls themselves are in <see cref="Libc"/>).</summary>
internal static class SyscallCheck
{
    /// <summary>Throws a one-line error naming the operation and errno when a syscall fails.</summary>
    public static void Check(int rc, string what)
    {
        if (rc < 0)
        {
            var errno = Libc.Errno;
            throw new ContainerSetupException($"{what}: {Libc.Describe(errno)}", errno);
        }
    }
}
