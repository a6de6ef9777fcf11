namespace Scute.Runtime.Seccomp;

/// <summary>
/// How many bits of each syscall argument the kernel reads. seccomp hands a filter all 64 bits
/// of each argument register, but the kernel's syscall entry (<c>SYSCALL_DEFINEn</c>) casts each
/// one to its declared type: an <c>int</c> or <c>unsigned int</c> keeps its low 32 bits, a
/// <c>umode_t</c> its low 16, whatever the caller left in the rest of the register. A filter that
/// compares such an argument on 64 bits sees a value the kernel never will: <c>socket(AF_VSOCK |
/// 1UL &lt;&lt; 32, ...)</c> passes "family != AF_VSOCK" and the kernel then opens an AF_VSOCK socket.
/// </summary>
/// <remarks>
/// <para>Source: the <c>SYSCALL_DEFINEn</c> signatures of Linux 6.x (shown next to each entry)
/// for x86_64 and arm64, where every entry below is the same. Widths: <c>int</c>,
/// <c>unsigned int</c>, <c>pid_t</c>, <c>uid_t</c>, <c>gid_t</c>, <c>clockid_t</c>,
/// <c>key_serial_t</c>, <c>qid_t</c>, <c>u32</c> are 32; <c>umode_t</c> is 16; pointers,
/// <c>long</c>, <c>unsigned long</c>, <c>size_t</c>, <c>off_t</c>, <c>loff_t</c>, <c>u64</c> are
/// 64. Three arguments are declared <c>unsigned long</c> but narrowed before any use, and are
/// listed by what the kernel reads: clone's flags (<c>lower_32_bits(clone_flags)</c>), mmap's fd
/// (passed to <c>fget(unsigned int)</c>) and ptrace's pid (passed as a <c>pid_t</c>).</para>
/// <para>An argument not listed (a syscall not here, or an index past its parameters) is compared
/// on all 64 bits, exactly as the rule is written: narrowing on a guess could make a rule match
/// values the kernel tells apart. The kernel may still read fewer bits of such an argument, so
/// every argument that Scute's default profile and Docker's and Podman's default profiles
/// compare is listed (the unit tests check it).</para>
/// </remarks>
public static class ArgumentWidths
{
    /// <summary>The number of low bits of the argument the kernel reads: 16, 32 or 64 (64 when not listed).</summary>
    public static int Bits(string syscall, int index) => Listed(syscall, index) ?? 64;

    /// <summary>The width from the table, or null when the argument is not listed.</summary>
    public static int? Listed(string syscall, int index) =>
        Table.TryGetValue(syscall, out var widths) && index >= 0 && index < widths.Length ? widths[index] : null;

    /// <summary>The syscalls the table describes.</summary>
    public static IEnumerable<string> Syscalls => Table.Keys;

    private static readonly Dictionary<string, int[]> Table = new(StringComparer.Ordinal)
    {
        // Sockets.
        ["socket"] = [32, 32, 32],                  // int family, int type, int protocol
        ["socketpair"] = [32, 32, 32, 64],          // int family, int type, int protocol, int __user *usockvec
        ["bind"] = [32, 64, 32],                    // int fd, struct sockaddr __user *umyaddr, int addrlen
        ["connect"] = [32, 64, 32],                 // int fd, struct sockaddr __user *uservaddr, int addrlen
        ["listen"] = [32, 32],                      // int fd, int backlog
        ["accept"] = [32, 64, 64],                  // int fd, struct sockaddr __user *, int __user *
        ["accept4"] = [32, 64, 64, 32],             // int fd, struct sockaddr __user *, int __user *, int flags
        ["sendto"] = [32, 64, 64, 32, 64, 32],      // int fd, void __user *buff, size_t len, unsigned int flags, struct sockaddr __user *addr, int addr_len
        ["recvfrom"] = [32, 64, 64, 32, 64, 64],    // int fd, void __user *ubuf, size_t size, unsigned int flags, struct sockaddr __user *addr, int __user *addr_len
        ["sendmsg"] = [32, 64, 32],                 // int fd, struct user_msghdr __user *msg, unsigned int flags
        ["recvmsg"] = [32, 64, 32],                 // int fd, struct user_msghdr __user *msg, unsigned int flags
        ["sendmmsg"] = [32, 64, 32, 32],            // int fd, struct mmsghdr __user *mmsg, unsigned int vlen, unsigned int flags
        ["recvmmsg"] = [32, 64, 32, 32, 64],        // int fd, struct mmsghdr __user *mmsg, unsigned int vlen, unsigned int flags, struct __kernel_timespec __user *timeout
        ["shutdown"] = [32, 32],                    // int fd, int how
        ["setsockopt"] = [32, 32, 32, 64, 32],      // int fd, int level, int optname, char __user *optval, int optlen
        ["getsockopt"] = [32, 32, 32, 64, 64],      // int fd, int level, int optname, char __user *optval, int __user *optlen

        // Descriptors and files.
        ["ioctl"] = [32, 32, 64],                   // unsigned int fd, unsigned int cmd, unsigned long arg
        ["fcntl"] = [32, 32, 64],                   // unsigned int fd, unsigned int cmd, unsigned long arg
        ["flock"] = [32, 32],                       // unsigned int fd, unsigned int cmd
        ["read"] = [32, 64, 64],                    // unsigned int fd, char __user *buf, size_t count
        ["write"] = [32, 64, 64],                   // unsigned int fd, const char __user *buf, size_t count
        ["lseek"] = [32, 64, 32],                   // unsigned int fd, off_t offset, unsigned int whence
        ["close"] = [32],                           // unsigned int fd
        ["close_range"] = [32, 32, 32],             // unsigned int fd, unsigned int max_fd, unsigned int flags
        ["dup"] = [32],                             // unsigned int fildes
        ["dup2"] = [32, 32],                        // unsigned int oldfd, unsigned int newfd
        ["dup3"] = [32, 32, 32],                    // unsigned int oldfd, unsigned int newfd, int flags
        ["pipe2"] = [64, 32],                       // int __user *fildes, int flags
        ["open"] = [64, 32, 16],                    // const char __user *filename, int flags, umode_t mode
        ["openat"] = [32, 64, 32, 16],              // int dfd, const char __user *filename, int flags, umode_t mode
        ["openat2"] = [32, 64, 64, 64],             // int dfd, const char __user *filename, struct open_how __user *how, size_t usize
        ["creat"] = [64, 16],                       // const char __user *pathname, umode_t mode
        ["chmod"] = [64, 16],                       // const char __user *filename, umode_t mode
        ["fchmod"] = [32, 16],                      // unsigned int fd, umode_t mode
        ["fchmodat"] = [32, 64, 16],                // int dfd, const char __user *filename, umode_t mode
        ["fchmodat2"] = [32, 64, 16, 32],           // int dfd, const char __user *filename, umode_t mode, unsigned int flags
        ["mkdir"] = [64, 16],                       // const char __user *pathname, umode_t mode
        ["mkdirat"] = [32, 64, 16],                 // int dfd, const char __user *pathname, umode_t mode
        ["mknod"] = [64, 16, 32],                   // const char __user *filename, umode_t mode, unsigned dev
        ["mknodat"] = [32, 64, 16, 32],             // int dfd, const char __user *filename, umode_t mode, unsigned int dev
        ["chown"] = [64, 32, 32],                   // const char __user *filename, uid_t user, gid_t group
        ["lchown"] = [64, 32, 32],                  // const char __user *filename, uid_t user, gid_t group
        ["fchown"] = [32, 32, 32],                  // unsigned int fd, uid_t user, gid_t group
        ["fchownat"] = [32, 64, 32, 32, 32],        // int dfd, const char __user *filename, uid_t user, gid_t group, int flag
        ["faccessat"] = [32, 64, 32],               // int dfd, const char __user *filename, int mode
        ["faccessat2"] = [32, 64, 32, 32],          // int dfd, const char __user *filename, int mode, int flags
        ["unlinkat"] = [32, 64, 32],                // int dfd, const char __user *pathname, int flag
        ["linkat"] = [32, 64, 32, 64, 32],          // int olddfd, const char __user *oldname, int newdfd, const char __user *newname, int flags
        ["renameat2"] = [32, 64, 32, 64, 32],       // int olddfd, const char __user *oldname, int newdfd, const char __user *newname, unsigned int flags
        ["newfstatat"] = [32, 64, 64, 32],          // int dfd, const char __user *filename, struct stat __user *statbuf, int flag
        ["statx"] = [32, 64, 32, 32, 64],           // int dfd, const char __user *filename, unsigned flags, unsigned int mask, struct statx __user *buffer
        ["utimensat"] = [32, 64, 64, 32],           // int dfd, const char __user *filename, struct __kernel_timespec __user *utimes, int flags
        ["copy_file_range"] = [32, 64, 32, 64, 64, 32], // int fd_in, loff_t __user *off_in, int fd_out, loff_t __user *off_out, size_t len, unsigned int flags
        ["fallocate"] = [32, 32, 64, 64],           // int fd, int mode, loff_t offset, loff_t len
        ["fadvise64"] = [32, 64, 64, 32],           // int fd, loff_t offset, size_t len, int advice
        ["sync_file_range"] = [32, 64, 64, 32],     // int fd, loff_t offset, loff_t nbytes, unsigned int flags
        ["umask"] = [32],                           // int mask
        ["memfd_create"] = [64, 32],                // const char __user *uname, unsigned int flags
        ["inotify_add_watch"] = [32, 64, 32],       // int fd, const char __user *pathname, u32 mask
        ["fanotify_init"] = [32, 32],               // unsigned int flags, unsigned int event_f_flags
        ["fanotify_mark"] = [32, 32, 64, 32, 64],   // int fanotify_fd, unsigned int flags, __u64 mask, int dfd, const char __user *pathname
        ["execveat"] = [32, 64, 64, 64, 32],        // int fd, const char __user *filename, argv, envp, int flags
        ["getrandom"] = [64, 64, 32],               // char __user *ubuf, size_t len, unsigned int flags

        // Processes, namespaces, signals.
        ["clone"] = [32, 64, 64, 64, 64],           // unsigned long clone_flags (read as lower_32_bits), unsigned long newsp, two int __user * and unsigned long tls (in arch order)
        ["unshare"] = [64],                         // unsigned long unshare_flags (unknown high bits fail with EINVAL)
        ["setns"] = [32, 32],                       // int fd, int flags
        ["personality"] = [32],                     // unsigned int personality
        ["prctl"] = [32, 64, 64, 64, 64],           // int option, unsigned long arg2, arg3, arg4, arg5
        ["arch_prctl"] = [32, 64],                  // int option, unsigned long arg2
        ["seccomp"] = [32, 32, 64],                 // unsigned int op, unsigned int flags, void __user *uargs
        ["kill"] = [32, 32],                        // pid_t pid, int sig
        ["tkill"] = [32, 32],                       // pid_t pid, int sig
        ["tgkill"] = [32, 32, 32],                  // pid_t tgid, pid_t pid, int sig
        ["rt_sigqueueinfo"] = [32, 32, 64],         // pid_t pid, int sig, siginfo_t __user *uinfo
        ["rt_tgsigqueueinfo"] = [32, 32, 32, 64],   // pid_t tgid, pid_t pid, int sig, siginfo_t __user *uinfo
        ["pidfd_open"] = [32, 32],                  // pid_t pid, unsigned int flags
        ["pidfd_send_signal"] = [32, 32, 64, 32],   // int pidfd, int sig, siginfo_t __user *info, unsigned int flags
        ["pidfd_getfd"] = [32, 32, 32],             // int pidfd, int fd, unsigned int flags
        ["wait4"] = [32, 64, 32, 64],               // pid_t upid, int __user *stat_addr, int options, struct rusage __user *ru
        ["waitid"] = [32, 32, 64, 32, 64],          // int which, pid_t upid, struct siginfo __user *infop, int options, struct rusage __user *ru
        ["setpgid"] = [32, 32],                     // pid_t pid, pid_t pgid
        ["ptrace"] = [64, 32, 64, 64],              // long request, long pid (used as a pid_t), unsigned long addr, unsigned long data
        ["kcmp"] = [32, 32, 32, 64, 64],            // pid_t pid1, pid_t pid2, int type, unsigned long idx1, unsigned long idx2
        ["process_vm_readv"] = [32, 64, 64, 64, 64, 64],  // pid_t pid, const struct iovec __user *lvec, unsigned long liovcnt, rvec, riovcnt, flags
        ["process_vm_writev"] = [32, 64, 64, 64, 64, 64], // as process_vm_readv
        ["setuid"] = [32],                          // uid_t uid
        ["setgid"] = [32],                          // gid_t gid
        ["setreuid"] = [32, 32],                    // uid_t ruid, uid_t euid
        ["setregid"] = [32, 32],                    // gid_t rgid, gid_t egid
        ["setresuid"] = [32, 32, 32],               // uid_t ruid, uid_t euid, uid_t suid
        ["setresgid"] = [32, 32, 32],               // gid_t rgid, gid_t egid, gid_t sgid
        ["setfsuid"] = [32],                        // uid_t uid
        ["setfsgid"] = [32],                        // gid_t gid
        ["setgroups"] = [32, 64],                   // int gidsetsize, gid_t __user *grouplist
        ["setpriority"] = [32, 32, 32],             // int which, int who, int niceval
        ["ioprio_set"] = [32, 32, 32],              // int which, int who, int ioprio
        ["sched_setscheduler"] = [32, 32, 64],      // pid_t pid, int policy, struct sched_param __user *param
        ["setrlimit"] = [32, 64],                   // unsigned int resource, struct rlimit __user *rlim
        ["prlimit64"] = [32, 32, 64, 64],           // pid_t pid, unsigned int resource, new_rlim, old_rlim

        // Memory.
        ["mmap"] = [64, 64, 64, 64, 32, 64],        // unsigned long addr, len, prot, flags, fd (read by fget as unsigned int), off
        ["mprotect"] = [64, 64, 64],                // unsigned long start, size_t len, unsigned long prot
        ["pkey_mprotect"] = [64, 64, 64, 32],       // unsigned long start, size_t len, unsigned long prot, int pkey
        ["madvise"] = [64, 64, 32],                 // unsigned long start, size_t len_in, int behavior
        ["mlock2"] = [64, 64, 32],                  // unsigned long start, size_t len, int flags
        ["membarrier"] = [32, 32, 32],              // int cmd, unsigned int flags, int cpu_id
        ["futex"] = [64, 32, 32, 64, 64, 32],       // u32 __user *uaddr, int op, u32 val, utime, u32 __user *uaddr2, u32 val3
        ["rseq"] = [64, 32, 32, 32],                // struct rseq __user *rseq, u32 rseq_len, int flags, u32 sig
        ["userfaultfd"] = [32],                     // int flags

        // What the default profile denies (listed so that profiles filtering them compare right).
        ["mount"] = [64, 64, 64, 64, 64],           // char __user *dev_name, dir_name, type, unsigned long flags, void __user *data
        ["umount2"] = [64, 32],                     // char __user *name, int flags
        ["open_tree"] = [32, 64, 32],               // int dfd, const char __user *filename, unsigned flags
        ["fsopen"] = [64, 32],                      // const char __user *fs_name, unsigned int flags
        ["fsmount"] = [32, 32, 32],                 // int fs_fd, unsigned int flags, unsigned int attr_flags
        ["bpf"] = [32, 64, 32],                     // int cmd, union bpf_attr __user *uattr, unsigned int size
        ["perf_event_open"] = [64, 32, 32, 32, 64], // struct perf_event_attr __user *, pid_t pid, int cpu, int group_fd, unsigned long flags
        ["keyctl"] = [32, 64, 64, 64, 64],          // int option, unsigned long arg2, arg3, arg4, arg5
        ["add_key"] = [64, 64, 64, 64, 32],         // type, description, payload, size_t plen, key_serial_t ringid
        ["request_key"] = [64, 64, 64, 32],         // type, description, callout_info, key_serial_t destringid
        ["quotactl"] = [32, 64, 32, 64],            // unsigned int cmd, const char __user *special, qid_t id, void __user *addr
        ["syslog"] = [32, 64, 32],                  // int type, char __user *buf, int len
        ["reboot"] = [32, 32, 32, 64],              // int magic1, int magic2, unsigned int cmd, void __user *arg
        ["finit_module"] = [32, 64, 32],            // int fd, const char __user *uargs, int flags
        ["io_uring_setup"] = [32, 64],              // u32 entries, struct io_uring_params __user *params
        ["clock_settime"] = [32, 64],               // clockid_t which_clock, const struct __kernel_timespec __user *tp
    };
}
