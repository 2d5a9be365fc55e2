// numasim-guest: one task of a `numasim validate` scenario, run as a real process in the QEMU guest.
// It runs the task's steps in order, then says it is ready (writes "ready" to --ready FILE, a FIFO the guest's
// init reads, or a plain file) and holds its memory
// until killed, so that the counters are read while the memory is still mapped, as the simulator
// measures at the end of its run.
//
// usage: numasim-guest [--check] [--cpu N] [--ready FILE] [STEP...]
//   policy=default | policy=local | policy=bind:NODES | policy=preferred:N | policy=interleave:NODES
//   policy=preferred-many:NODES | policy=weighted-interleave:NODES
//                          set_mempolicy (raw syscall); NODES is a list such as 0-1,3; the weights of
//                          weighted-interleave are /sys/kernel/mm/mempolicy/weighted_interleave/nodeN, set by init
//   read=PATH:BYTES        read BYTES of PATH sequentially through the page cache
//   touch=BYTES[:thp]      mmap anonymous memory, madvise MADV_HUGEPAGE (thp) or MADV_NOHUGEPAGE, write each page once
//   move-to=CPU            sched_setaffinity to that CPU
//   migrate-pages=OLD:NEW  migrate_pages(2) on itself (raw syscall) from the nodes OLD to the nodes NEW, both lists
//                          such as 0-1,3; the kernel pairs them by node_remap
//   access=NS:THINK_NS     read the task's touched memory again, page by page, for NS ns of wall time,
//                          waiting THINK_NS ns after each page
//   mbind=POLICY           mbind (raw syscall) of every range touched so far to POLICY (as policy= takes it)
//   mbind-move=POLICY      the same with MPOL_MF_MOVE: the pages not on the policy's nodes move
//   move-pages=NODES       move_pages(2) (raw syscall, MPOL_MF_MOVE) of every page touched so far, the i-th to the
//                          (i mod n)-th node of NODES in ascending order
//   --check prints the parsed steps, one a line, and exits: the host's tests check the argument handling.
// Exit codes: 0 done (or killed while holding), 1 a system call failed, 2 bad arguments.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL 4
#define MPOL_PREFERRED_MANY 5
#define MPOL_WEIGHTED_INTERLEAVE 6
#define MAX_NODES 64
#define PAGE 4096UL
#define HUGE (2UL << 20)
#define MAX_STEPS 256
#define MPOL_MF_MOVE (1 << 1)

enum kind { POLICY, READ, TOUCH, MOVE_TO, MIGRATE, ACCESS, MBIND, MOVE_PAGES };

struct step {
  enum kind kind;
  int mode;                 // POLICY, MBIND: MPOL_*
  unsigned long long mask;  // POLICY, MBIND: node mask; MIGRATE, MOVE_PAGES: the new nodes
  unsigned long long old;   // MIGRATE: the old nodes
  const char *path;         // READ
  unsigned long long bytes; // READ, TOUCH
  int thp;                  // TOUCH
  int cpu;                  // MOVE_TO
  int move;                 // MBIND: MPOL_MF_MOVE
  long long ns, think_ns;   // ACCESS
};

struct region { char *start; size_t bytes; };

static const char *mode_names[] = {"default", "preferred", "bind", "interleave", "local", "preferred-many", "weighted-interleave"};

static int fail(const char *arg, const char *why) {
  fprintf(stderr, "numasim-guest: %s: %s\n", arg, why);
  return 2;
}

// A non-negative decimal number that fills the whole text.
static int parse_u64(const char *text, unsigned long long *out) {
  if (*text < '0' || *text > '9') return -1;
  char *end;
  errno = 0;
  *out = strtoull(text, &end, 10);
  return errno || *end ? -1 : 0;
}

// "0-1,3" -> bits 0, 1, 3.
static int parse_nodes(const char *text, unsigned long long *mask) {
  *mask = 0;
  char buf[256];
  if (strlen(text) >= sizeof buf || !*text) return -1;
  strcpy(buf, text);
  for (char *save = NULL, *part = strtok_r(buf, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
    unsigned long long a, b;
    char *dash = strchr(part, '-');
    if (dash) { *dash = 0; if (parse_u64(part, &a) || parse_u64(dash + 1, &b)) return -1; }
    else { if (parse_u64(part, &a)) return -1; b = a; }
    if (a > b || b >= MAX_NODES) return -1;
    for (unsigned long long n = a; n <= b; n++) *mask |= 1ULL << n;
  }
  return *mask ? 0 : -1;
}

static int parse_policy(const char *arg, const char *v, struct step *s) {
  s->kind = POLICY;
  s->mask = 0;
  if (!strcmp(v, "default")) { s->mode = MPOL_DEFAULT; return 0; }
  if (!strcmp(v, "local")) { s->mode = MPOL_LOCAL; return 0; }
  const char *nodes = NULL;
  if (!strncmp(v, "bind:", 5)) { s->mode = MPOL_BIND; nodes = v + 5; }
  else if (!strncmp(v, "interleave:", 11)) { s->mode = MPOL_INTERLEAVE; nodes = v + 11; }
  else if (!strncmp(v, "preferred:", 10)) { s->mode = MPOL_PREFERRED; nodes = v + 10; }
  else if (!strncmp(v, "preferred-many:", 15)) { s->mode = MPOL_PREFERRED_MANY; nodes = v + 15; }
  else if (!strncmp(v, "weighted-interleave:", 20)) { s->mode = MPOL_WEIGHTED_INTERLEAVE; nodes = v + 20; }
  else return fail(arg, "expected default, local, bind:NODES, preferred:N, interleave:NODES, preferred-many:NODES or weighted-interleave:NODES");
  if (parse_nodes(nodes, &s->mask)) return fail(arg, "expected a node list such as 0 or 0-1,3");
  if (s->mode == MPOL_PREFERRED && (s->mask & (s->mask - 1))) return fail(arg, "preferred takes one node");
  return 0;
}

static int parse_step(const char *arg, struct step *s) {
  memset(s, 0, sizeof *s);
  const char *eq = strchr(arg, '=');
  if (!eq) return fail(arg, "expected NAME=VALUE");
  size_t name_len = (size_t)(eq - arg);
  const char *v = eq + 1;
  char num[64];
  if (name_len == 6 && !strncmp(arg, "policy", 6)) return parse_policy(arg, v, s);
  if (name_len == 4 && !strncmp(arg, "read", 4)) {
    const char *colon = strrchr(v, ':');
    if (!colon || colon == v) return fail(arg, "expected read=PATH:BYTES");
    s->kind = READ;
    s->path = strndup(v, (size_t)(colon - v));
    if (parse_u64(colon + 1, &s->bytes)) return fail(arg, "BYTES is not a number");
    return 0;
  }
  if (name_len == 5 && !strncmp(arg, "touch", 5)) {
    s->kind = TOUCH;
    const char *colon = strchr(v, ':');
    size_t len = colon ? (size_t)(colon - v) : strlen(v);
    if (len >= sizeof num) return fail(arg, "BYTES is not a number");
    memcpy(num, v, len); num[len] = 0;
    if (parse_u64(num, &s->bytes) || !s->bytes) return fail(arg, "BYTES is not a positive number");
    if (colon && strcmp(colon + 1, "thp")) return fail(arg, "expected touch=BYTES or touch=BYTES:thp");
    s->thp = colon != NULL;
    return 0;
  }
  if (name_len == 7 && !strncmp(arg, "move-to", 7)) {
    unsigned long long cpu;
    if (parse_u64(v, &cpu) || cpu >= CPU_SETSIZE) return fail(arg, "CPU is not a CPU number");
    s->kind = MOVE_TO;
    s->cpu = (int)cpu;
    return 0;
  }
  if (name_len == 13 && !strncmp(arg, "migrate-pages", 13)) {
    const char *colon = strchr(v, ':');
    if (!colon || (size_t)(colon - v) >= sizeof num) return fail(arg, "expected migrate-pages=OLD:NEW");
    memcpy(num, v, (size_t)(colon - v)); num[colon - v] = 0;
    if (parse_nodes(num, &s->old) || parse_nodes(colon + 1, &s->mask)) return fail(arg, "expected node lists such as 0 or 0-1,3");
    s->kind = MIGRATE;
    return 0;
  }
  if (name_len == 6 && !strncmp(arg, "access", 6)) {
    const char *colon = strchr(v, ':');
    unsigned long long ns, think;
    if (!colon || (size_t)(colon - v) >= sizeof num) return fail(arg, "expected access=NS:THINK_NS");
    memcpy(num, v, (size_t)(colon - v)); num[colon - v] = 0;
    if (parse_u64(num, &ns) || parse_u64(colon + 1, &think)) return fail(arg, "expected access=NS:THINK_NS");
    s->kind = ACCESS;
    s->ns = (long long)ns;
    s->think_ns = (long long)think;
    return 0;
  }
  if ((name_len == 5 && !strncmp(arg, "mbind", 5)) || (name_len == 10 && !strncmp(arg, "mbind-move", 10))) {
    int rc = parse_policy(arg, v, s);
    s->kind = MBIND;
    s->move = name_len == 10;
    return rc;
  }
  if (name_len == 10 && !strncmp(arg, "move-pages", 10)) {
    if (parse_nodes(v, &s->mask) || !s->mask) return fail(arg, "expected a node list such as 0 or 0-1,3");
    s->kind = MOVE_PAGES;
    return 0;
  }
  return fail(arg, "unknown step (policy, read, touch, move-to, migrate-pages, access, mbind, mbind-move, move-pages)");
}

static void print_mask(unsigned long long mask) {
  const char *sep = "";
  for (int n = 0; n < MAX_NODES; n++)
    if (mask >> n & 1) { printf("%s%d", sep, n); sep = ","; }
}

static void print_step(const struct step *s) {
  switch (s->kind) {
  case POLICY: printf("policy %s", mode_names[s->mode]); if (s->mask) { printf(" nodes "); print_mask(s->mask); } break;
  case READ: printf("read %s bytes %llu", s->path, s->bytes); break;
  case TOUCH: printf("touch bytes %llu %s", s->bytes, s->thp ? "thp" : "nothp"); break;
  case MOVE_TO: printf("move-to cpu %d", s->cpu); break;
  case MIGRATE: printf("migrate-pages old "); print_mask(s->old); printf(" new "); print_mask(s->mask); break;
  case ACCESS: printf("access ns %lld think-ns %lld", s->ns, s->think_ns); break;
  case MBIND: printf("mbind %s", mode_names[s->mode]); if (s->mask) { printf(" nodes "); print_mask(s->mask); } printf(s->move ? " move" : " nomove"); break;
  case MOVE_PAGES: printf("move-pages nodes "); print_mask(s->mask); break;
  }
  printf("\n");
}

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set)) { perror("numasim-guest: sched_setaffinity"); return 1; }
  return 0;
}

static struct region regions[MAX_STEPS];
static int nregions;
// The read buffer lives in .bss, so reading costs the task no page faults beyond these 16 pages.
static char buffer[64 << 10];

static int run(const struct step *s) {
  switch (s->kind) {
  case POLICY: {
    unsigned long mask = (unsigned long)s->mask;
    int with_nodes = s->mode != MPOL_DEFAULT && s->mode != MPOL_LOCAL;
    if (syscall(SYS_set_mempolicy, s->mode, with_nodes ? &mask : NULL, with_nodes ? MAX_NODES + 1 : 0)) {
      perror("numasim-guest: set_mempolicy");
      return 1;
    }
    return 0;
  }
  case READ: {
    int fd = open(s->path, O_RDONLY);
    if (fd < 0) { perror(s->path); return 1; }
    unsigned long long left = s->bytes;
    while (left > 0) {
      ssize_t n = read(fd, buffer, left < sizeof buffer ? left : sizeof buffer);
      if (n < 0) { perror(s->path); close(fd); return 1; }
      if (n == 0) break;
      left -= (unsigned long long)n;
    }
    close(fd);
    printf("read %llu bytes of %s\n", s->bytes - left, s->path);
    return 0;
  }
  case TOUCH: {
    // Aligned to 2 MiB so that a THP can back every whole huge page of the range, as the simulator assumes.
    size_t bytes = (size_t)s->bytes;
    char *raw = mmap(NULL, bytes + HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) { perror("numasim-guest: mmap"); return 1; }
    char *p = (char *)(((uintptr_t)raw + HUGE - 1) & ~(HUGE - 1));
    if (madvise(p, bytes, s->thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE)) { perror("numasim-guest: madvise"); return 1; }
    long long start = now_ns();
    for (size_t off = 0; off < bytes; off += PAGE) p[off] = 1;
    regions[nregions++] = (struct region){p, bytes};
    // The guest's own time for the step: how fast this kernel faults (and reclaims) under this emulator, against
    // the simulated time of the same step.
    printf("touched %zu pages%s in %lld us\n", (bytes + PAGE - 1) / PAGE, s->thp ? " (thp)" : "", (now_ns() - start) / 1000);
    return 0;
  }
  case MOVE_TO:
    return pin(s->cpu);
  case MIGRATE: {
    unsigned long old = (unsigned long)s->old, new_nodes = (unsigned long)s->mask;
    long left = syscall(SYS_migrate_pages, 0, MAX_NODES + 1, &old, &new_nodes);
    if (left < 0) { perror("numasim-guest: migrate_pages"); return 1; }
    printf("migrate_pages left %ld pages\n", left);
    return 0;
  }
  case ACCESS: {
    volatile char sink = 0;
    long long end = now_ns() + s->ns, passes = 0;
    while (now_ns() < end) {
      for (int r = 0; r < nregions; r++)
        for (size_t off = 0; off < regions[r].bytes; off += PAGE) {
          sink += regions[r].start[off];
          if (s->think_ns) { long long until = now_ns() + s->think_ns; while (now_ns() < until) {} }
        }
      passes++;
      if (!nregions) break;
    }
    printf("accessed %lld passes\n", passes);
    return 0;
  }
  case MBIND: {
    unsigned long mask = (unsigned long)s->mask;
    int with_nodes = s->mode != MPOL_DEFAULT && s->mode != MPOL_LOCAL;
    for (int r = 0; r < nregions; r++)
      if (syscall(SYS_mbind, regions[r].start, regions[r].bytes, s->mode, with_nodes ? &mask : NULL,
                  with_nodes ? MAX_NODES + 1 : 0, s->move ? MPOL_MF_MOVE : 0)) {
        perror("numasim-guest: mbind");
        return 1;
      }
    printf("mbind %d ranges%s\n", nregions, s->move ? " (move)" : "");
    return 0;
  }
  case MOVE_PAGES: {
    int targets[MAX_NODES], ntargets = 0;
    for (int n = 0; n < MAX_NODES; n++)
      if (s->mask >> n & 1) targets[ntargets++] = n;
    size_t count = 0;
    for (int r = 0; r < nregions; r++) count += (regions[r].bytes + PAGE - 1) / PAGE;
    void **pages = malloc(count * sizeof *pages);
    int *nodes = malloc(count * sizeof *nodes), *status = malloc(count * sizeof *status);
    if (!pages || !nodes || !status) { perror("numasim-guest: malloc"); return 1; }
    size_t i = 0;
    for (int r = 0; r < nregions; r++)
      for (size_t off = 0; off < regions[r].bytes; off += PAGE, i++) {
        pages[i] = regions[r].start + off;
        nodes[i] = targets[i % (size_t)ntargets];
      }
    long left = syscall(SYS_move_pages, 0, count, pages, nodes, status, MPOL_MF_MOVE);
    if (left < 0) { perror("numasim-guest: move_pages"); return 1; }
    size_t placed = 0;
    for (i = 0; i < count; i++) placed += status[i] == nodes[i];
    printf("move_pages left %ld pages, %zu of %zu on their node\n", left, placed, count);
    free(pages); free(nodes); free(status);
    return 0;
  }
  }
  return 2;
}

int main(int argc, char **argv) {
  static struct step steps[MAX_STEPS];
  int nsteps = 0, check = 0, cpu = -1;
  const char *ready = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--check")) check = 1;
    else if (!strcmp(argv[i], "--cpu") || !strcmp(argv[i], "--ready")) {
      if (i + 1 >= argc) return fail(argv[i], "needs a value");
      if (argv[i][2] == 'r') ready = argv[++i];
      else {
        unsigned long long c;
        if (parse_u64(argv[++i], &c) || c >= CPU_SETSIZE) return fail(argv[i], "--cpu: not a CPU number");
        cpu = (int)c;
      }
    } else if (!strncmp(argv[i], "--", 2)) return fail(argv[i], "unknown option (--check, --cpu N, --ready FILE)");
    else {
      if (nsteps == MAX_STEPS) return fail(argv[i], "too many steps");
      int rc = parse_step(argv[i], &steps[nsteps++]);
      if (rc) return rc;
    }
  }
  if (check) {
    if (cpu >= 0) printf("cpu %d\n", cpu);
    if (ready) printf("ready %s\n", ready);
    for (int i = 0; i < nsteps; i++) print_step(&steps[i]);
    return 0;
  }
  if (cpu >= 0 && pin(cpu)) return 1;
  for (int i = 0; i < nsteps; i++) {
    int rc = run(&steps[i]);
    fflush(stdout);
    if (rc) return rc;
  }
  if (ready) {
    int fd = open(ready, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0 || write(fd, "ready\n", 6) != 6) { perror(ready); return 1; }
    close(fd);
  }
  for (;;) pause();
}
