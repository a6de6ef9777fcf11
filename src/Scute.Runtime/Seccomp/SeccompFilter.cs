using System.Runtime.InteropServices;
using Scute.Core.Interop;

namespace Scute.Runtime.Seccomp;

/// <summary>Turns a run spec's seccomp setting into a compiled program and installs it.</summary>
public static class SeccompFilter
{
    /// <summary>The program for this spec on the native architecture; null when unconfined.</summary>
    public static SockFilter[]? Prepare(SeccompSpec spec, IReadOnlyList<string> grantedCapabilities)
    {
        var profile = Profile(spec);
        if (profile is null)
        {
            return null;
        }

        var arch = SeccompArchitectures.Native;
        return SeccompCompiler.Compile(profile.Resolve(grantedCapabilities, arch), arch);
    }

    /// <summary>The profile a spec names, before includes/excludes are resolved; null when unconfined.</summary>
    public static SeccompProfile? Profile(SeccompSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Mode switch
        {
            SeccompModes.Unconfined => null,
            SeccompModes.Default => DefaultProfile.Profile,
            SeccompModes.Profile => SeccompProfile.Parse(spec.ProfileJson ?? throw new ContainerSetupException("seccomp profile: no content")),
            _ => throw new ContainerSetupException($"seccomp: unknown mode '{spec.Mode}' (expected default, unconfined or profile)"),
        };
    }

    /// <summary>
    /// Installs the program on the calling thread; it is inherited across fork and execve. Needs
    /// no_new_privs or CAP_SYS_ADMIN in the current user namespace.
    /// </summary>
    public static unsafe void Install(SockFilter[] program)
    {
        fixed (SockFilter* filter = program)
        {
            var fprog = new Libc.SockFprog { Length = checked((ushort)program.Length), Filter = (nint)filter };
            if (Libc.prctl(Libc.PR_SET_SECCOMP, Libc.SECCOMP_MODE_FILTER, (nuint)(&fprog), 0, 0) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new ContainerSetupException($"install the seccomp filter: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }
}
