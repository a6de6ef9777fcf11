/* Inherited descriptors (CVE-2024-21626 class): lists every descriptor above 2 this process
 * received, what it points to, and, for a folder, whether ".." from it reaches outside. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    int found = 0;
    for (int fd = 3; fd < 65536; fd++) {
        if (fcntl(fd, F_GETFD) == -1) continue;
        char link[64], target[4096] = "?";
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n >= 0) target[n] = 0;
        struct stat st;
        int is_dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
        printf("fd %d -> %s%s\n", fd, target, is_dir ? " (folder)" : "");
        if (is_dir) {
            int up = openat(fd, "..", O_RDONLY | O_DIRECTORY);
            DIR *d = up >= 0 ? fdopendir(up) : NULL;
            struct dirent *e;
            while (d && (e = readdir(d)) != NULL) printf("  ../%s\n", e->d_name);
        }
        found++;
    }
    if (found == 0) printf("no descriptors above 2\n");
    fflush(stdout);
    return found == 0 ? 0 : 1;
}
