namespace Scute.Runtime.Seccomp;

/// <summary>
/// Scute's default profile: an allow list over a default of ERRNO(EPERM), after Docker's and
/// Podman's, with more denied (io_uring, keyrings, userfaultfd, adjtimex, name_to_handle_at,
/// ptrace, namespace creation). Privileged calls come back only with the capability that
/// governs them, as Docker's <c>includes.caps</c>.
/// </summary>
public static class DefaultProfile
{
    /// <summary>CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET.</summary>
    public const ulong CloneNamespaceFlags = 0x7E020000;

    /// <summary>The namespace flags plus CLONE_NEWTIME, which only unshare and clone3 accept.</summary>
    public const ulong UnshareNamespaceFlags = CloneNamespaceFlags | 0x80;

    /// <summary>
    /// The terminal ioctls that push input into a terminal (TIOCSTI: "simulate terminal input") or
    /// reach the Linux console's paste buffer (TIOCLINUX). Both numbers come from
    /// asm-generic/ioctls.h, which x86_64 and arm64 both use.
    /// </summary>
    public const ulong Tiocsti = 0x5412;

    /// <inheritdoc cref="Tiocsti"/>
    public const ulong Tioclinux = 0x541C;

    /// <summary>What ordinary programs (a shell, coreutils, package managers, git, python, the .NET runtime) use.</summary>
    // Declared before Profile: static initializers run in order.
    private static readonly string[] Ordinary =
    [
        "accept", "accept4", "access", "alarm", "bind", "brk", "cachestat", "capget", "capset", "chdir", "chmod", "chown",
        "clock_getres", "clock_gettime", "clock_nanosleep", "close", "close_range", "connect", "copy_file_range", "creat",
        "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_pwait2", "epoll_wait",
        "eventfd", "eventfd2", "execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64",
        "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchownat", "fcntl", "fdatasync",
        "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat", "fstatfs", "fsync", "ftruncate",
        "futex", "futex_requeue", "futex_wait", "futex_waitv", "futex_wake", "futimesat", "getcpu", "getcwd", "getdents",
        "getdents64", "getegid", "geteuid", "getgid", "getgroups", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid",
        "getppid", "getpriority", "getrandom", "getresgid", "getresuid", "getrlimit", "get_robust_list", "getrusage",
        "getsid", "getsockname", "getsockopt", "get_thread_area", "gettid", "gettimeofday", "getuid", "getxattr",
        "getxattrat", "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl",
        "io_destroy", "io_getevents", "io_pgetevents", "ioprio_get", "ioprio_set", "io_setup", "io_submit", "kill",
        "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lgetxattr", "link", "linkat",
        "listen", "listxattr", "listxattrat", "llistxattr", "lremovexattr", "lseek", "lsetxattr", "lstat", "madvise",
        "map_shadow_stack", "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat",
        "mlock", "mlock2", "mlockall", "mmap", "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
        "mq_timedsend", "mq_unlink", "mremap", "mseal", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock",
        "munlockall", "munmap", "nanosleep", "newfstatat", "open", "openat", "openat2", "pause", "pidfd_open",
        "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll", "prctl", "pread64",
        "preadv", "preadv2", "prlimit64", "process_mrelease", "pselect6", "pwrite64", "pwritev", "pwritev2", "read",
        "readahead", "readlink", "readlinkat", "readv", "recvfrom", "recvmmsg", "recvmsg", "remap_file_pages", "removexattr",
        "removexattrat", "rename", "renameat", "renameat2", "restart_syscall", "rmdir", "rseq", "rt_sigaction",
        "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
        "rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max",
        "sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval", "sched_setaffinity", "sched_setattr",
        "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl", "semget", "semop",
        "semtimedop", "sendfile", "sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsuid", "setgid", "setgroups",
        "setitimer", "setpgid", "setpriority", "setregid", "setresgid", "setresuid", "setreuid", "setrlimit",
        "set_robust_list", "setsid", "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setxattr", "setxattrat",
        "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "socketpair", "splice",
        "stat", "statfs", "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill",
        "time", "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_settime", "timerfd_create",
        "timerfd_gettime", "timerfd_settime", "times", "tkill", "truncate", "umask", "uname", "unlink", "unlinkat", "utime",
        "utimensat", "utimes", "vfork", "vmsplice", "wait4", "waitid", "write", "writev",
    ];

    public static SeccompProfile Profile { get; } = new()
    {
        DefaultAction = SeccompAction.Errno(SeccompAction.EPERM),
        Rules = Build(),
    };

    private static List<SeccompRule> Build()
    {
        var rules = new List<SeccompRule>
        {
            Allow(Ordinary),
            Allow(["arch_prctl", "modify_ldt"], arches: ["amd64"]),
            // AF_VSOCK sockets reach the host's hypervisor services.
            Allow(["socket"], [new(0, 40, 0, SeccompOp.NotEqual)]),
        };

        // Every ioctl stays allowed (through Ordinary) but the two that type into a terminal: a
        // process that shares a terminal with a shell could otherwise queue commands for it to
        // run (CVE-2017-5226 and its kind). The request is compared on its low 32 bits, as the
        // kernel reads it, so TIOCSTI | 1UL << 32 is TIOCSTI too.
        foreach (var request in new[] { Tiocsti, Tioclinux })
        {
            rules.Add(new SeccompRule { Names = ["ioctl"], Action = SeccompAction.Errno(SeccompAction.EPERM), Args = [new(1, request, 0, SeccompOp.Equal)] });
        }

        foreach (var persona in new ulong[] { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff })
        {
            // PER_LINUX, PER_LINUX32, UNAME26 and the query: nothing that changes the address space layout.
            rules.Add(Allow(["personality"], [new(0, persona, 0, SeccompOp.Equal)]));
        }

        // Namespaces: fork and threads yes, new namespaces no. clone3 cannot be inspected (its flags
        // are behind a pointer), so it says ENOSYS and glibc falls back to clone.
        rules.Add(Allow(["clone"], [new(0, CloneNamespaceFlags, 0, SeccompOp.MaskedEqual)], excludeCaps: ["SYS_ADMIN"]));
        rules.Add(Allow(["unshare"], [new(0, UnshareNamespaceFlags, 0, SeccompOp.MaskedEqual)], excludeCaps: ["SYS_ADMIN"]));
        rules.Add(new SeccompRule { Names = ["clone3"], Action = SeccompAction.Errno(SeccompAction.ENOSYS), Excludes = new() { Caps = ["SYS_ADMIN"] } });

        rules.Add(Allow(
            ["bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "lookup_dcookie", "mount",
             "mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd", "setdomainname",
             "sethostname", "setns", "syslog", "umount2", "unshare"],
            caps: ["SYS_ADMIN"]));
        rules.Add(Allow(["open_by_handle_at", "name_to_handle_at"], caps: ["DAC_READ_SEARCH"]));
        rules.Add(Allow(["reboot"], caps: ["SYS_BOOT"]));
        rules.Add(Allow(["chroot"], caps: ["SYS_CHROOT"]));
        rules.Add(Allow(["delete_module", "init_module", "finit_module"], caps: ["SYS_MODULE"]));
        rules.Add(Allow(["acct"], caps: ["SYS_PACCT"]));
        rules.Add(Allow(["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"], caps: ["SYS_PTRACE"]));
        rules.Add(Allow(["iopl", "ioperm"], caps: ["SYS_RAWIO"]));
        rules.Add(Allow(["settimeofday", "clock_settime", "clock_adjtime", "adjtimex"], caps: ["SYS_TIME"]));
        rules.Add(Allow(["vhangup"], caps: ["SYS_TTY_CONFIG"]));
        rules.Add(Allow(["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node", "move_pages", "migrate_pages"], caps: ["SYS_NICE"]));
        rules.Add(Allow(["syslog"], caps: ["SYSLOG"]));
        rules.Add(Allow(["bpf"], caps: ["BPF"]));
        rules.Add(Allow(["perf_event_open"], caps: ["PERFMON"]));
        // Never, whatever the capabilities: kexec_load, kexec_file_load, pivot_root, swapon, swapoff,
        // keyctl, add_key, request_key, userfaultfd, io_uring_*, nfsservctl, uselib, ustat, sysfs,
        // _sysctl, create_module, get_kernel_syms, query_module, vm86, lookup_dcookie without SYS_ADMIN.
        return rules;
    }

    private static SeccompRule Allow(
        IReadOnlyList<string> names,
        IReadOnlyList<SeccompArgCondition>? args = null,
        IReadOnlyList<string>? caps = null,
        IReadOnlyList<string>? arches = null,
        IReadOnlyList<string>? excludeCaps = null) => new()
        {
            Names = names,
            Action = SeccompAction.Allow,
            Args = args ?? [],
            Includes = caps is null && arches is null ? null : new() { Caps = caps ?? [], Arches = arches ?? [] },
            Excludes = excludeCaps is null ? null : new() { Caps = excludeCaps },
        };
}
