using Scute.Runtime.Seccomp;
using static Scute.Runtime.Tests.Seccomp.Programs;

namespace Scute.Runtime.Tests.Seccomp;

public sealed class DefaultProfileTests
{
    private const ulong CloneNewUser = 0x10000000;
    private const ulong CloneNewNs = 0x00020000;
    private const ulong CloneNewTime = 0x80;
    private const ulong ForkFlags = 0x01200011;      // CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD
    private const ulong ThreadFlags = 0x003d0f00;    // what glibc's pthread_create passes

    public static TheoryData<SeccompArch> Arches => new() { SeccompArch.X86_64, SeccompArch.Aarch64 };

    private static readonly string[] Ordinary =
    [
        "read", "write", "openat", "close", "execve", "mmap", "mprotect", "munmap", "brk", "rt_sigaction", "rt_sigreturn",
        "futex", "getdents64", "newfstatat", "statx", "fchmodat", "fchmodat2", "mkdirat", "unlinkat", "renameat2", "pipe2",
        "dup3", "wait4", "exit_group", "getrandom", "rseq", "prlimit64", "set_robust_list", "socketpair", "connect",
        "sendto", "recvfrom", "epoll_pwait", "ioctl", "uname", "umask", "getcwd", "chdir", "fchown", "utimensat", "flock",
        "memfd_create", "membarrier", "sched_getaffinity", "madvise", "seccomp", "prctl", "capget",
    ];

    private static readonly string[] AlwaysDenied =
    [
        "setns", "mount", "umount2", "pivot_root", "chroot", "kexec_load", "kexec_file_load", "init_module", "finit_module",
        "delete_module", "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd", "swapon", "swapoff",
        "reboot", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "acct", "quotactl", "ptrace",
        "process_vm_readv", "process_vm_writev", "open_by_handle_at", "name_to_handle_at", "vhangup", "syslog",
        "mbind", "move_pages", "set_mempolicy", "io_uring_setup", "io_uring_enter", "io_uring_register", "fsopen",
        "fsmount", "open_tree", "move_mount", "sethostname", "setdomainname", "lookup_dcookie", "fanotify_init",
    ];

    [Theory]
    [MemberData(nameof(Arches))]
    public void Ordinary_syscalls_are_allowed(SeccompArch arch)
    {
        var p = Default(arch);
        foreach (var name in Ordinary)
        {
            Assert.True(p.Call(name) == Allow, name);
        }

        Assert.Equal(Allow, p.Call("socket", 2, 1)); // AF_INET
        Assert.Equal(Allow, p.Call("socket", 1, 1)); // AF_UNIX
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void Privileged_and_dangerous_syscalls_fail_with_eperm(SeccompArch arch)
    {
        var p = Default(arch);
        foreach (var name in AlwaysDenied)
        {
            Assert.True(p.Call(name) == Errno(1), name);
        }

        Assert.Equal(Errno(1), p.Call("socket", 40, 1)); // AF_VSOCK
    }

    [Fact]
    public void X86_64_only_calls_are_denied_by_name_too()
    {
        var p = Default(SeccompArch.X86_64);

        foreach (var name in new[] { "iopl", "ioperm", "nfsservctl", "uselib", "_sysctl" })
        {
            Assert.True(p.Call(name) == Errno(1), name);
        }

        Assert.Equal(Allow, p.Call("arch_prctl"));
        Assert.Equal(Allow, p.Call("open"));
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void Clone_may_fork_and_start_threads_but_not_create_namespaces(SeccompArch arch)
    {
        var p = Default(arch);

        Assert.Equal(Allow, p.Call("clone", ForkFlags));
        Assert.Equal(Allow, p.Call("clone", ThreadFlags));
        Assert.Equal(Errno(1), p.Call("clone", ForkFlags | CloneNewUser));
        Assert.Equal(Errno(1), p.Call("clone", CloneNewNs));
        Assert.Equal(Errno(1), p.Call("clone", 0x40000000)); // CLONE_NEWNET
        Assert.Equal(Errno(38), p.Call("clone3"));
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void Unshare_is_allowed_only_without_namespace_flags(SeccompArch arch)
    {
        var p = Default(arch);

        Assert.Equal(Allow, p.Call("unshare", 0x400)); // CLONE_FILES
        Assert.Equal(Errno(1), p.Call("unshare", CloneNewUser));
        Assert.Equal(Errno(1), p.Call("unshare", CloneNewUser | CloneNewNs));
        Assert.Equal(Errno(1), p.Call("unshare", CloneNewTime));
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void Personality_is_limited_to_the_harmless_values(SeccompArch arch)
    {
        var p = Default(arch);

        Assert.Equal(Allow, p.Call("personality", 0));
        Assert.Equal(Allow, p.Call("personality", 8));
        Assert.Equal(Allow, p.Call("personality", 0xffffffff));
        Assert.Equal(Errno(1), p.Call("personality", 0x0040000)); // ADDR_NO_RANDOMIZE
    }

    [Theory]
    [InlineData("SYS_CHROOT", "chroot")]
    [InlineData("SYS_PTRACE", "ptrace")]
    [InlineData("CAP_SYS_PTRACE", "process_vm_readv")]
    [InlineData("SYS_TIME", "clock_settime")]
    [InlineData("SYS_TIME", "settimeofday")]
    [InlineData("SYS_MODULE", "finit_module")]
    [InlineData("SYS_BOOT", "reboot")]
    [InlineData("SYS_NICE", "mbind")]
    [InlineData("SYS_PACCT", "acct")]
    [InlineData("DAC_READ_SEARCH", "open_by_handle_at")]
    [InlineData("SYSLOG", "syslog")]
    [InlineData("BPF", "bpf")]
    [InlineData("PERFMON", "perf_event_open")]
    [InlineData("SYS_ADMIN", "mount")]
    [InlineData("SYS_ADMIN", "setns")]
    public void A_granted_capability_brings_back_its_syscalls(string cap, string syscall)
    {
        foreach (var arch in new[] { SeccompArch.X86_64, SeccompArch.Aarch64 })
        {
            Assert.Equal(Errno(1), Default(arch).Call(syscall));
            Assert.Equal(Errno(1), Default(arch, "NET_BIND_SERVICE").Call(syscall));
            Assert.Equal(Allow, Default(arch, cap).Call(syscall));
        }
    }

    [Fact]
    public void Sys_admin_allows_namespaces_and_clone3()
    {
        var p = Default(SeccompArch.X86_64, "SYS_ADMIN");

        Assert.Equal(Allow, p.Call("clone", CloneNewUser));
        Assert.Equal(Allow, p.Call("unshare", CloneNewUser));
        Assert.Equal(Allow, p.Call("clone3"));
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void What_the_command_stage_does_after_an_early_install_is_allowed(SeccompArch arch)
    {
        // Without no_new_privs the filter goes in before Credentials.Apply drops the capabilities.
        var p = Default(arch);
        foreach (var name in new[] { "prctl", "setgroups", "setresgid", "setresuid", "capset", "capget", "execve", "newfstatat", "readlinkat" })
        {
            Assert.True(p.Call(name) == Allow, name);
        }
    }

    [Fact]
    public void Every_name_of_the_default_profile_is_a_syscall_somewhere()
    {
        var unknown = DefaultProfile.Profile.Rules.SelectMany(r => r.Names)
            .Where(n => SeccompArchitectures.SyscallNumber(SeccompArch.X86_64, n) is null && SeccompArchitectures.SyscallNumber(SeccompArch.Aarch64, n) is null)
            .Distinct()
            .ToList();

        Assert.Empty(unknown);
    }

    [Fact]
    public void The_default_action_is_eperm()
    {
        Assert.Equal(SeccompAction.Errno(1), DefaultProfile.Profile.DefaultAction);
    }
}
