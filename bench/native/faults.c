/* The real kernel's demand-fault rate on this machine, for `numasim bench` to compare with the
 * simulator's: mmap 1 GiB of anonymous memory, write one byte per page (one fault each), munmap.
 * Prints faults per second. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    const size_t size = 1UL << 30;
    const long page = sysconf(_SC_PAGESIZE);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (size_t off = 0; off < size; off += (size_t)page)
        p[off] = 1;
    munmap(p, size);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%.0f\n", (double)(size / (size_t)page) / seconds);
    return 0;
}
