// Syscall-heavy load for Vigil's live benchmarks (docs/benchmarks.md).
//
//   loadgen loop [N_FILE] [N_SOCK] [N_EXEC]   open/read/close/stat, socket/close, fork+exec
//   loadgen open N                             open+close only (the tightest event loop)
//
// Defaults reproduce the loop Falco 0.44 was measured with on this kind of machine:
// 1,000,000 x open/read/close/stat, 300,000 x socket/close, 2,000 x fork+exec(/bin/true).
// Prints one line: "<op> wall_s=<s> user_s=<s> sys_s=<s>" measured with getrusage(RUSAGE_SELF)
// plus RUSAGE_CHILDREN, so a harness can compare CPU with and without an agent attached.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv(struct timeval t) { return t.tv_sec + t.tv_usec / 1e6; }

static void files(long n) {
  char buf[256];
  struct stat st;
  for (long i = 0; i < n; i++) {
    int fd = open("/etc/hostname", O_RDONLY);
    if (fd < 0) { perror("open"); exit(1); }
    if (read(fd, buf, sizeof buf) < 0) { perror("read"); exit(1); }
    close(fd);
    if (stat("/etc/hostname", &st) != 0) { perror("stat"); exit(1); }
  }
}

static void sockets(long n) {
  for (long i = 0; i < n; i++) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) { perror("socket"); exit(1); }
    close(s);
  }
}

static void execs(long n) {
  for (long i = 0; i < n; i++) {
    pid_t p = fork();
    if (p < 0) { perror("fork"); exit(1); }
    if (p == 0) {
      execl("/bin/true", "true", (char *)NULL);
      _exit(127);
    }
    int status;
    if (waitpid(p, &status, 0) < 0) { perror("waitpid"); exit(1); }
  }
}

static void opens(long n) {
  for (long i = 0; i < n; i++) {
    int fd = open("/etc/hostname", O_RDONLY);
    if (fd < 0) { perror("open"); exit(1); }
    close(fd);
  }
}

static long arg(int argc, char **argv, int i, long dflt) {
  return argc > i ? atol(argv[i]) : dflt;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: loadgen loop [N_FILE N_SOCK N_EXEC] | loadgen open N\n");
    return 2;
  }
  double t0 = now();
  if (strcmp(argv[1], "loop") == 0) {
    files(arg(argc, argv, 2, 1000000));
    sockets(arg(argc, argv, 3, 300000));
    execs(arg(argc, argv, 4, 2000));
  } else if (strcmp(argv[1], "open") == 0) {
    opens(arg(argc, argv, 2, 1000000));
  } else {
    fprintf(stderr, "loadgen: unknown workload %s\n", argv[1]);
    return 2;
  }
  double wall = now() - t0;
  struct rusage self, kids;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &kids);
  printf("%s wall_s=%.4f user_s=%.4f sys_s=%.4f\n", argv[1], wall,
         tv(self.ru_utime) + tv(kids.ru_utime), tv(self.ru_stime) + tv(kids.ru_stime));
  return 0;
}
