/*
 * seccomp_probe: issues raw syscalls whose 32-bit arguments carry garbage in the high half of
 * the register (the kernel reads only the low half) and prints one line per call:
 *   <name> <errno name>      e.g. "socket_vsock_high EPERM"
 *   <name> OK                when the call succeeded
 * Raw syscall(2) so that no libc wrapper truncates or checks the argument first. Calls that
 * would change the process when allowed (clone, personality) undo or contain themselves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define HIGH (1UL << 32)
#define AF_VSOCK_FAMILY 40UL

static void report(const char *name, long ret)
{
    if (ret >= 0) {
        printf("%s OK\n", name);
    } else {
        const char *e = strerrorname_np(errno);
        printf("%s %s\n", name, e ? e : "E?");
    }
    fflush(stdout);
}

static void probe_socket(const char *name, unsigned long family)
{
    long fd = syscall(SYS_socket, family, (unsigned long)SOCK_STREAM, 0UL);
    report(name, fd);
    if (fd >= 0)
        close((int)fd);
}

static void probe_ioctl(const char *name, unsigned long request)
{
    /* fd 0 is not a terminal here: without the filter each of these fails with ENOTTY. */
    char c = 'x';
    struct termios t;
    void *arg = (request & 0xffffffffUL) == TCGETS ? (void *)&t : (void *)&c;
    report(name, syscall(SYS_ioctl, 0UL, request, arg));
}

static void probe_clone(const char *name, unsigned long flags)
{
    /* A fork-like clone (no new stack): a child that exists leaves at once. */
    long pid = syscall(SYS_clone, flags | SIGCHLD, 0UL, 0UL, 0UL, 0UL);
    if (pid == 0)
        _exit(0);
    report(name, pid);
    if (pid > 0)
        waitpid((pid_t)pid, NULL, 0);
}

static void probe_personality(const char *name, unsigned long persona)
{
    long before = syscall(SYS_personality, 0xffffffffUL);
    long ret = syscall(SYS_personality, persona);
    report(name, ret);
    if (ret >= 0 && before >= 0)
        syscall(SYS_personality, (unsigned long)before);
}

int main(void)
{
    probe_socket("socket_vsock", AF_VSOCK_FAMILY);
    probe_socket("socket_vsock_high", AF_VSOCK_FAMILY | HIGH);
    probe_socket("socket_inet_high", (unsigned long)AF_INET | HIGH);
    probe_socket("socket_unix_high", (unsigned long)AF_UNIX | HIGH);

    probe_ioctl("ioctl_tiocsti", TIOCSTI);
    probe_ioctl("ioctl_tiocsti_high", TIOCSTI | HIGH);
    probe_ioctl("ioctl_tioclinux", TIOCLINUX);
    probe_ioctl("ioctl_tioclinux_high", TIOCLINUX | HIGH);
    probe_ioctl("ioctl_tcgets_high", TCGETS | HIGH);

    probe_clone("clone_newuser_high", CLONE_NEWUSER | HIGH);
    probe_clone("clone_fork_high", HIGH);

    probe_personality("personality_no_randomize_high", ADDR_NO_RANDOMIZE | HIGH);
    probe_personality("personality_linux_high", PER_LINUX | HIGH);
    return 0;
}
