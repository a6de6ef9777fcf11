using Scute.Runtime.Interop;
using Scute.Runtime.Seccomp;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Switches the calling thread (the one that will execve) to the target user with exactly the
/// granted capabilities in every set and no_new_privs. Order matters: the bounding set can only
/// be reduced while CAP_SETPCAP is still held, i.e. before the uid changes. The seccomp filter
/// comes last, after no_new_privs; without no_new_privs it must come first, while CAP_SYS_ADMIN
/// of the user namespace is still held (the default profile allows every call made after it).
/// </summary>
internal static class Credentials
{
    public static void Apply(RunSpec spec, bool groupsMapped)
    {
        var keep = CapabilityMask.Of(spec.Capabilities);
        var filter = SeccompFilter.For(spec);
        if (filter is not null && !spec.NoNewPrivileges)
        {
            SeccompFilter.Install(filter);
        }

        var last = DropBounding(keep);

        Check(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), "keep capabilities across the uid change");
        if (groupsMapped)
        {
            Check(setgroups(0, []), "clear supplementary groups");
        }

        Check(setresgid((uint)spec.Gid, (uint)spec.Gid, (uint)spec.Gid), $"switch to gid {spec.Gid}");
        Check(setresuid((uint)spec.Uid, (uint)spec.Uid, (uint)spec.Uid), $"switch to uid {spec.Uid}");
        SetCapabilitySets(keep);
        Check(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient capabilities");
        for (var cap = 0; cap <= last; cap++)
        {
            if ((keep & (1UL << cap)) != 0)
            {
                Check(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (nuint)cap, 0, 0), $"raise ambient capability {cap}");
            }
        }

        Check(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0), "reset keep-capabilities");
        if (spec.NoNewPrivileges)
        {
            Check(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "set no_new_privs");
            if (filter is not null)
            {
                SeccompFilter.Install(filter);
            }
        }
    }

    private static unsafe void SetCapabilitySets(ulong mask)
    {
        // struct __user_cap_header_struct { u32 version; int pid; } with _LINUX_CAPABILITY_VERSION_3.
        var header = stackalloc uint[2] { 0x20080522, 0 };
        // Two struct __user_cap_data_struct { u32 effective, permitted, inheritable; }: low then high 32 bits.
        var low = (uint)(mask & 0xFFFFFFFF);
        var high = (uint)(mask >> 32);
        var data = stackalloc uint[6] { low, low, low, high, high, high };
        Check((int)syscall(Syscalls.Capset, (nint)header, (nint)data, 0), "set capability sets");
    }

    /// <summary>
    /// Drops every capability the kernel has from the bounding set but the kept ones; returns the
    /// kernel's last capability. The kernel answers EINVAL past it (cap_valid), which is the end
    /// of the walk: exact on any kernel, without reading /proc/sys/kernel/cap_last_cap.
    /// </summary>
    private static int DropBounding(ulong keep)
    {
        for (var cap = 0; cap < 64; cap++)
        {
            var kept = (keep & (1UL << cap)) != 0;
            var rc = kept ? prctl(PR_CAPBSET_READ, (nuint)cap, 0, 0, 0) : prctl(PR_CAPBSET_DROP, (nuint)cap, 0, 0, 0);
            if (rc < 0 && Errno == EINVAL)
            {
                return cap - 1;
            }

            Check(rc, $"drop capability {cap} from the bounding set");
        }

        return 63;
    }
}
