/* Folder/symlink swap race against the tree walks (commit, diff, restore, gc): exchanges two names
 * in a folder with renameat2(RENAME_EXCHANGE) as fast as it can, so a walker that lists the folder
 * and later opens an entry by path lands in whatever the other name pointed to (a symlink to a
 * host folder, say). Runs until killed or for <seconds>; prints the number of exchanges.
 *   swap_race <folder> <name> <other-name> <seconds> */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double elapsed(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: swap_race <folder> <name> <other-name> <seconds>\n");
        return 2;
    }
    int dir = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) {
        perror(argv[1]);
        return 1;
    }
    double seconds = atof(argv[4]);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    unsigned long swaps = 0;
    do {
        for (int i = 0; i < 1024; i++, swaps++) {
            if (renameat2(dir, argv[2], dir, argv[3], RENAME_EXCHANGE) != 0) {
                perror("renameat2");
                return 1;
            }
        }
    } while (elapsed(&start) < seconds);
    printf("%lu\n", swaps);
    return 0;
}
