/*
 * The namespace backend's native stage, linked into the scute binary as an object so this ELF
 * constructor is kept. It runs before the .NET runtime exists, while the process is still
 * single-threaded, which is what unshare(CLONE_NEWUSER) and entering a new pid namespace need.
 *
 * It does nothing unless argv[1] is "__init" and SCUTE_NSSTAGE is set (by NamespaceBackend):
 *   SCUTE_NSSTAGE=NET;DEATH_FD;COMMAND_FDS;MODE;UID_MAP;GID_MAP;LINGER;HOLDER
 *     NET          1 for a new network namespace, else 0
 *     DEATH_FD     read end of scute's liveness pipe, or -1
 *     COMMAND_FDS  comma-separated descriptors only the command process keeps (spec, console)
 *     MODE         s: this process writes a single-id map itself; h: newuidmap/newgidmap
 *                  (setuid, in the parent user namespace) write subordinate ranges
 *     UID_MAP      "INSIDE OUTSIDE COUNT ..." triples, as uid_map and newuidmap take them
 *     LINGER       seconds an unused user-namespace holder stays (mode h)
 *     HOLDER       mode h: the environment's holder record, or empty for no holder; the rest of
 *                  the variable, so the path may hold ';'. With a usable holder the stage joins
 *                  its user namespace (no newuidmap); else it maps a new one and starts a holder.
 *
 * Three processes come out of it:
 *   outer   stays in the user namespace, outside the pid namespace: waits for pid 1, passes
 *           on signals sent to it, exits with pid 1's status (unshare --fork --kill-child);
 *   pid 1   the supervisor: forwards signals to the command, reaps orphans, exits with the
 *           command's status (128+N for a signal), ends the namespace when scute is gone;
 *   command returns from this constructor into the .NET runtime, which finds `__init` in Main
 *           and builds the root, drops privileges and execs the command (ContainerStage).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define STAGE_VARIABLE "SCUTE_NSSTAGE"
#define INIT_VERB "__init"
#define SETUP_FAILED 125
#define MAX_IDS 18
#define MAX_FDS 8

/* The setuid helpers IdMapResolver checks for. */
#define NEWUIDMAP "/usr/bin/newuidmap"
#define NEWGIDMAP "/usr/bin/newgidmap"

struct stage {
    int net;
    int death_fd;
    int command_fds[MAX_FDS];
    int command_fd_count;
    char mode;
    long uids[MAX_IDS];
    int uid_count;
    long gids[MAX_IDS];
    int gid_count;
    int linger;
    const char *holder;
};

/* 1 in the command process once the stage has run: ContainerStage refuses to run otherwise. */
static int command_process;

int scute_nsstage_command(void) { return command_process; }

static void fail(const char *what, int err)
{
    if (err != 0) {
        dprintf(2, "scute: cannot start the environment: %s: %s\n", what, strerror(err));
    } else {
        dprintf(2, "scute: cannot start the environment: %s\n", what);
    }

    _exit(SETUP_FAILED);
}

static int parse_ids(const char *text, long *ids)
{
    int n = 0;
    while (*text != '\0') {
        char *end;
        errno = 0;
        long v = strtol(text, &end, 10);
        if (end == text || errno != 0 || v < 0 || n == MAX_IDS) {
            return -1;
        }

        ids[n++] = v;
        text = end;
        while (*text == ' ') {
            text++;
        }
    }

    return n % 3 == 0 && n > 0 ? n : -1;
}

static int parse(char *text, struct stage *s)
{
    char *fields[7];
    for (int i = 0; i < 7; i++) {
        fields[i] = strsep(&text, ";");
        if (fields[i] == NULL || text == NULL) {
            return -1;
        }
    }

    s->linger = atoi(fields[6]);
    /* The holder runs in "/": a relative record path would name another file there. */
    s->holder = s->linger > 0 && fields[3][0] == 'h' && text[0] == '/' ? text : "";

    s->net = strcmp(fields[0], "1") == 0;
    s->death_fd = atoi(fields[1]);
    s->command_fd_count = 0;
    for (char *p = fields[2], *fd; (fd = strsep(&p, ",")) != NULL;) {
        if (*fd != '\0' && s->command_fd_count < MAX_FDS) {
            s->command_fds[s->command_fd_count++] = atoi(fd);
        }
    }

    s->mode = fields[3][0];
    s->uid_count = parse_ids(fields[4], s->uids);
    s->gid_count = parse_ids(fields[5], s->gids);
    return (s->mode == 's' || s->mode == 'h') && s->uid_count > 0 && s->gid_count > 0 ? 0 : -1;
}

static void close_command_fds(const struct stage *s)
{
    for (int i = 0; i < s->command_fd_count; i++) {
        close(s->command_fds[i]);
    }
}

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }

    ssize_t n = write(fd, text, strlen(text));
    int err = n < 0 ? errno : 0;
    close(fd);
    return err;
}

static void format_map(char *buf, size_t size, const long *ids, int count)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i + 2 < count; i += 3) {
        used += (size_t)snprintf(buf + used, size - used, "%ld %ld %ld\n", ids[i], ids[i + 1], ids[i + 2]);
    }
}

static void write_own_maps(const struct stage *s)
{
    char map[512];
    int err;
    if ((err = write_file("/proc/self/setgroups", "deny")) != 0) {
        fail("deny setgroups", err);
    }

    format_map(map, sizeof map, s->uids, s->uid_count);
    if ((err = write_file("/proc/self/uid_map", map)) != 0) {
        fail("write the uid map", err);
    }

    format_map(map, sizeof map, s->gids, s->gid_count);
    if ((err = write_file("/proc/self/gid_map", map)) != 0) {
        fail("write the gid map", err);
    }
}

/* Starts newuidmap or newgidmap for pid with the given triples; its pid, or -1. */
static pid_t start_map_helper(const char *program, pid_t pid, const long *ids, int count)
{
    char numbers[MAX_IDS + 1][24];
    char *argv[MAX_IDS + 3];
    int argc = 0;
    argv[argc++] = (char *)program;
    snprintf(numbers[0], sizeof numbers[0], "%d", (int)pid);
    argv[argc++] = numbers[0];
    for (int i = 0; i < count; i++) {
        snprintf(numbers[i + 1], sizeof numbers[i + 1], "%ld", ids[i]);
        argv[argc++] = numbers[i + 1];
    }

    argv[argc] = NULL;
    pid_t child = fork();
    if (child == 0) {
        /* The descriptors handed to the stage (spec, liveness pipe, console) are not the helper's. */
        char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
        close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
        execve(program, argv, envp);
        _exit(127);
    }

    return child;
}

/* 0 when the helper started and exited 0. */
static int wait_map_helper(pid_t child)
{
    if (child < 0) {
        return -1;
    }

    int status;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1;
        }
    }

    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/*
 * Subordinate ranges can only be mapped by the setuid helpers from the parent user namespace:
 * a child forked before unshare(CLONE_NEWUSER) waits for "go", maps this process, and answers.
 */
static void map_through_helpers(const struct stage *s)
{
    int go[2], done[2];
    if (pipe2(go, O_CLOEXEC) != 0 || pipe2(done, O_CLOEXEC) != 0) {
        fail("create the id-map pipes", errno);
    }

    pid_t self = getpid();
    pid_t helper = fork();
    if (helper < 0) {
        fail("start the id-map helper", errno);
    }

    if (helper == 0) {
        close(go[1]);
        close(done[0]);
        char b;
        ssize_t n;
        while ((n = read(go[0], &b, 1)) < 0 && errno == EINTR) {
        }

        if (n != 1) {
            _exit(1); /* the stage is gone */
        }

        /* Both at once: each is a setuid program's start, the longest part of a strict exec's maps. */
        pid_t uid_helper = start_map_helper(NEWUIDMAP, self, s->uids, s->uid_count);
        pid_t gid_helper = start_map_helper(NEWGIDMAP, self, s->gids, s->gid_count);
        int uids_mapped = wait_map_helper(uid_helper) == 0;
        int gids_mapped = wait_map_helper(gid_helper) == 0;
        char result = uids_mapped && gids_mapped ? 'y' : 'n';
        (void)!write(done[1], &result, 1);
        _exit(0);
    }

    close(go[0]);
    close(done[1]);
    if (unshare(CLONE_NEWUSER) != 0) {
        fail("create the user namespace", errno);
    }

    char b = 'g';
    if (write(go[1], &b, 1) != 1) {
        fail("start the id-map helper", errno);
    }

    ssize_t n;
    while ((n = read(done[0], &b, 1)) < 0 && errno == EINTR) {
    }

    while (waitpid(helper, NULL, 0) < 0 && errno == EINTR) {
    }

    close(go[1]);
    close(done[0]);
    if (n != 1 || b != 'y') {
        fail("newuidmap or newgidmap refused the subordinate id ranges", 0);
    }

    if (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0) {
        fail("become root of the user namespace", errno);
    }
}

/*
 * As unshare --keep-caps: a namespace creator that is not uid 0 inside loses its capabilities
 * on execve, and the stage execs helpers before it drops privileges (fuse-overlayfs). Every
 * capability is made inheritable and ambient; Credentials.Apply then sets exactly the granted ones.
 */
static void keep_capabilities_across_exec(void)
{
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) != 0) {
        fail("read capabilities", errno);
    }

    data[0].inheritable = data[0].permitted;
    data[1].inheritable = data[1].permitted;
    if (syscall(SYS_capset, &header, data) != 0) {
        fail("make capabilities inheritable", errno);
    }

    for (int cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0 && errno == EINVAL) {
            break; /* past the kernel's last capability */
        }
    }
}

/*
 * The user-namespace holder (mode h): a process that stays in the environment's user namespace
 * and nothing else, so the next strict exec joins that namespace with setns instead of running
 * the setuid newuidmap and newgidmap again. Its record, "pid starttime" in a file of the user's
 * private run folder, names it; the start time (field 22 of /proc/pid/stat) tells it from a
 * later process that got the same pid.
 */

/* Field 22 of /proc/pid/stat, or 0 when the process is gone or a zombie (it holds nothing then). */
static unsigned long long start_time(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }

    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return 0;
    }

    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (p == NULL || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X') {
        return 0;
    }

    /* After "comm) " comes field 3 (the state); field 22 is 19 spaces on. */
    p += 2;
    for (int i = 0; i < 19 && p != NULL; i++) {
        p = strchr(p, ' ');
        p = p == NULL ? NULL : p + 1;
    }

    return p == NULL ? 0 : strtoull(p, NULL, 10);
}

/* A small file's text, NUL-terminated; its length, or -1. */
static ssize_t read_small(const char *path, int flags, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
    if (fd < 0) {
        return -1;
    }

    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0) {
        return -1;
    }

    buf[n] = '\0';
    return n;
}

/* 0 when the record names a pid and a start time. */
static int read_record(const char *record, pid_t *pid, unsigned long long *start)
{
    char buf[64];
    int p;
    if (read_small(record, O_NOFOLLOW, buf, sizeof buf) <= 0 || sscanf(buf, "%d %llu", &p, start) != 2 || p <= 0 || *start == 0) {
        return -1;
    }

    *pid = p;
    return 0;
}

/* 1 when /proc/pid/<name> holds exactly these triples, as this exec would write them. */
static int same_map(pid_t pid, const char *name, const long *ids, int count)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
    if (read_small(path, 0, buf, sizeof buf) < 0) {
        return 0;
    }

    long found[MAX_IDS];
    int n = 0;
    for (char *p = buf, *end;; p = end) {
        while (*p == ' ' || *p == '\n') {
            p++;
        }

        if (*p == '\0') {
            break;
        }

        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno != 0 || n == MAX_IDS) {
            return 0;
        }

        found[n++] = v;
    }

    return n == count && memcmp(found, ids, sizeof found[0] * (size_t)count) == 0;
}

/*
 * 1 when the namespace behind fd is one this exec may use as its own: a child of ours, owned by
 * our uid, with the maps this exec would write and setgroups allowed, as newgidmap leaves it.
 * The maps are read from /proc/pid: the caller checks afterwards that pid is still the holder.
 */
static int usable_namespace(const struct stage *s, int fd, pid_t pid)
{
    uid_t owner;
    if (ioctl(fd, NS_GET_OWNER_UID, &owner) != 0 || owner != geteuid()) {
        return 0;
    }

    int parent = ioctl(fd, NS_GET_PARENT);
    if (parent < 0) {
        return 0;
    }

    struct stat theirs, ours;
    int child = fstat(parent, &theirs) == 0 && stat("/proc/self/ns/user", &ours) == 0
        && theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino;
    close(parent);
    char path[64], setgroups[16];
    snprintf(path, sizeof path, "/proc/%d/setgroups", (int)pid);
    return child
        && same_map(pid, "uid_map", s->uids, s->uid_count)
        && same_map(pid, "gid_map", s->gids, s->gid_count)
        && read_small(path, 0, setgroups, sizeof setgroups) > 0 && strcmp(setgroups, "allow\n") == 0;
}

/*
 * The fast path: joins the namespace of the holder the record names, as root in it. 0 when
 * joined; -1 (nothing changed) sends the exec down the slow path, which replaces the holder.
 */
static int join_holder(const struct stage *s)
{
    pid_t pid;
    unsigned long long start;
    if (read_record(s->holder, &pid, &start) != 0) {
        return -1;
    }

    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }

    /*
     * Checked after the open and after every read of /proc/pid: the holder was alive at the end,
     * so every read was its own, not a later process's with the same pid. The open descriptor
     * keeps the namespace even if the holder exits now.
     */
    int ok = usable_namespace(s, fd, pid) && start_time(pid) == start && setns(fd, CLONE_NEWUSER) == 0;
    close(fd);
    if (!ok) {
        return -1;
    }

    if (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0) {
        fail("become root of the user namespace", errno);
    }

    /* In use: the holder lingers on. (The folder is a tmpfs: nothing durable.) */
    utimensat(AT_FDCWD, s->holder, NULL, AT_SYMLINK_NOFOLLOW);
    return 0;
}

/* The holder's life: wakes now and then, and exits once its record is unused for the linger time or names another. */
static void hold(const char *record, int linger)
{
    pid_t self = getpid();
    unsigned long long me = start_time(self);
    unsigned int nap = linger / 4 < 1 ? 1 : linger / 4 > 5 ? 5 : (unsigned int)linger / 4;
    for (;;) {
        sleep(nap);
        pid_t pid;
        unsigned long long start;
        struct stat st;
        struct timespec now;
        if (read_record(record, &pid, &start) != 0 || pid != self || start != me
            || lstat(record, &st) != 0 || clock_gettime(CLOCK_REALTIME, &now) != 0
            || now.tv_sec - st.st_mtim.tv_sec >= linger) {
            _exit(0);
        }
    }
}

/* The holder process: detached, nothing open but /dev/null, no capabilities, in the user namespace only. */
static void become_holder(const struct stage *s)
{
    prctl(PR_SET_NAME, "scute-userns", 0, 0, 0);
    if (chdir("/") != 0) {
        _exit(1);
    }

    close_range(0, ~0U, 0);
    int null = open("/dev/null", O_RDWR);
    if (null != 0 || dup2(0, 1) != 1 || dup2(0, 2) != 2) {
        _exit(1);
    }

    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* It only sleeps and reads its record: root of the namespace, but with no capability in it. */
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || syscall(SYS_capset, &header, data) != 0) {
        _exit(1);
    }

    hold(s->holder, s->linger);
}

/* Written by the holder's parent: "pid starttime", on a temporary name and renamed (no fsync: a tmpfs). */
static void write_holder_record(const char *record, pid_t holder)
{
    char tmp[PATH_MAX], line[64];
    unsigned long long start = start_time(holder);
    int len = snprintf(line, sizeof line, "%d %llu\n", (int)holder, start);
    if (start == 0 || snprintf(tmp, sizeof tmp, "%s.%d.tmp", record, (int)getpid()) >= (int)sizeof tmp) {
        kill(holder, SIGKILL);
        return;
    }

    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == ENOENT) {
        /* The first holder of this store: its folder, private like the run folder beside it. */
        char dir[PATH_MAX];
        strcpy(dir, record);
        char *slash = strrchr(dir, '/');
        if (slash != NULL && slash != dir) {
            *slash = '\0';
            mkdir(dir, 0700);
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        }
    }

    int written = fd >= 0 && write(fd, line, (size_t)len) == len;
    if (fd >= 0) {
        close(fd);
    }

    if (!written || rename(tmp, record) != 0) {
        unlink(tmp);
        kill(holder, SIGKILL);
    }
}

/*
 * The slow path's extra step, right after the maps are written and before any other namespace
 * exists, so the holder is in none of them. A double fork: nobody waits for the holder, and it
 * is in a session of its own. It never fails the exec.
 */
static void start_holder(const struct stage *s)
{
    pid_t parent = fork();
    if (parent == 0) {
        setsid();
        pid_t holder = fork();
        if (holder == 0) {
            become_holder(s);
        }

        if (holder > 0) {
            write_holder_record(s->holder, holder);
        }

        _exit(0);
    }

    while (parent > 0 && waitpid(parent, NULL, 0) < 0 && errno == EINTR) {
    }
}

static int exit_code(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : SETUP_FAILED;
}

static int forwarded(int sig)
{
    return sig == SIGTERM || sig == SIGHUP || sig == SIGUSR1 || sig == SIGUSR2 || sig == SIGINT || sig == SIGQUIT;
}

static void block_signals(sigset_t *set, sigset_t *old)
{
    sigemptyset(set);
    int signals[] = { SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGINT, SIGQUIT, SIGCHLD };
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        sigaddset(set, signals[i]);
    }

    sigprocmask(SIG_BLOCK, set, old);
}

/* The command's group once it has its own session; the command alone before that. */
static void signal_command(pid_t command, int sig)
{
    if ((sig == SIGINT || sig == SIGQUIT) && kill(-command, sig) == 0) {
        return;
    }

    kill(command, sig);
}

/* Pid 1: supervises the command until it ends, or ends everything when scute is gone. */
static void supervise(pid_t command, int sfd, int death_fd)
{
    struct pollfd fds[2] = { { .fd = sfd, .events = POLLIN }, { .fd = death_fd, .events = POLLIN } };
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }

            fail("wait for the command", errno);
        }

        if (fds[0].revents & POLLIN) {
            struct signalfd_siginfo info;
            if (read(sfd, &info, sizeof info) == sizeof info && forwarded((int)info.ssi_signo)) {
                signal_command(command, (int)info.ssi_signo);
            }
        }

        /* Every orphan of the namespace is this process's child: reap them all, and the command's status. */
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == command) {
                _exit(exit_code(status));
            }
        }

        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            /* scute is gone and the command still runs: -1 reaches every other process here. */
            kill(-1, SIGKILL);
            _exit(128 + SIGKILL);
        }
    }
}

/* The outer process: waits for pid 1, passing on the signals sent to it. */
static void wait_for_init(pid_t init, int sfd)
{
    for (;;) {
        struct signalfd_siginfo info;
        ssize_t n = read(sfd, &info, sizeof info);
        if (n != sizeof info) {
            if (n < 0 && errno == EINTR) {
                continue;
            }

            fail("wait for the environment", errno);
        }

        /* A terminal's signals (sent by the kernel) reach pid 1 itself: it is in the same process group. */
        if (info.ssi_signo != SIGCHLD && forwarded((int)info.ssi_signo) && info.ssi_code <= 0) {
            kill(init, (int)info.ssi_signo);
        }

        int status;
        if (waitpid(init, &status, WNOHANG) == init) {
            _exit(exit_code(status));
        }
    }
}

static void run_stage(struct stage *s)
{
    if (s->mode == 'h') {
        if (s->holder[0] == '\0' || join_holder(s) != 0) {
            map_through_helpers(s);
            if (s->holder[0] != '\0') {
                start_holder(s);
            }
        }
    } else {
        if (unshare(CLONE_NEWUSER) != 0) {
            fail("create the user namespace", errno);
        }

        write_own_maps(s);
        keep_capabilities_across_exec();
    }

    /* The creator of a user namespace holds every capability in it until it execs: no exec follows. */
    int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | (s->net ? CLONE_NEWNET : 0);
    if (unshare(flags) != 0) {
        fail("create the namespaces", errno);
    }

    if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        fail("make mounts private", errno);
    }

    sigset_t set, old;
    block_signals(&set, &old);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    int alive[2];
    if (sfd < 0 || pipe2(alive, O_CLOEXEC) != 0) {
        fail("set up signal forwarding", errno);
    }

    pid_t init = fork();
    if (init < 0) {
        fail("start pid 1", errno);
    }

    if (init > 0) {
        close(alive[0]);
        close_command_fds(s);
        if (s->death_fd >= 0) {
            close(s->death_fd);
        }

        wait_for_init(init, sfd);
    }

    /* Pid 1 dies with the outer process (--kill-child); the pipe catches an outer process already gone. */
    close(alive[1]);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        fail("tie pid 1 to its parent", errno);
    }

    struct pollfd gone = { .fd = alive[0], .events = POLLIN };
    if (poll(&gone, 1, 0) > 0) {
        _exit(SETUP_FAILED);
    }

    close(alive[0]);
    pid_t command = fork();
    if (command < 0) {
        fail("start the command", errno);
    }

    if (command > 0) {
        close_command_fds(s);
        supervise(command, sfd, s->death_fd);
    }

    close(sfd);
    if (s->death_fd >= 0) {
        close(s->death_fd);
    }

    sigprocmask(SIG_SETMASK, &old, NULL);
    command_process = 1;
}

__attribute__((constructor)) static void scute_nsstage(int argc, char **argv, char **envp)
{
    (void)envp;
    if (argc < 2 || strcmp(argv[1], INIT_VERB) != 0) {
        return;
    }

    const char *value = getenv(STAGE_VARIABLE);
    if (value == NULL) {
        return;
    }

    char text[1024];
    if (strlen(value) >= sizeof text) {
        fail("the stage variable is too long", 0);
    }

    strcpy(text, value);
    unsetenv(STAGE_VARIABLE);
    struct stage s;
    if (parse(text, &s) != 0) {
        fail("the stage variable is malformed", 0);
    }

    run_stage(&s);
}
