// SPDX-License-Identifier: Apache-2.0
//
// eg: the test actions of EvtgenSuiteTest, a stand-in for falcosecurity/event-generator's
// HostRunner. Compiled statically by the test (gcc -static), so that the same binary runs on the
// host and inside the busybox containers; hard-linked under every process name a test case needs
// (the kernel names a process after the file it executes).
//
// What to do comes from the environment, never from argv (the test decides argv: proc.args and
// proc.cmdline are part of what the rules look at):
//
//   EG_PLAN   levels separated by GS (0x1d); a level is commands separated by RS (0x1e); a
//             command is fields separated by US (0x1f), the first naming it
//   EG_LEVEL  which level this process runs (0 when unset); a process whose level is past the
//             end does nothing
//
// Commands:
//   proc NAME BINPATH ARGV0 UID GID COPY ARG...  spawn the next level: fork, become UID/GID ("-":
//                                  stay) keeping every capability (ambient, as event-generator's
//                                  default "all=iep"), execve(BINPATH, [ARGV0, ARG...]); with COPY
//                                  1, BINPATH is first written as a copy of this executable
//   sh SCRIPT                      /bin/sh -c SCRIPT, waited for
//   cs NAME L4PROTO ADDRESS        a connected client and server (tcp4, tcp6, udp4, udp6) in a new
//                                  network namespace whose loopback carries ADDRESS; binds
//                                  @NAME.client.fd and @NAME.server.fd
//   fileless NAME ARG...           memfd_create(NAME), this executable copied in, executed from it
//   open PATH FLAGS MODE           and the other syscall steps: openat, openat2, link, linkat,
//                                  symlink, symlinkat, socket, dup, dup2, dup3, connect (raw
//                                  syscalls, so that open is open and not openat)
// Numbers are C literals (strtol base 0) or symbolic names joined by '|'; fds may be bindings
// (@NAME.client.fd) or AT_FDCWD. Exit status: 0 when every command succeeded.

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_FIELDS 64
#define MAX_NAMED 32

extern char **environ;

static int level;
static int report = 2; /* where messages go: stderr, kept if a step replaces fd 2 */

static void say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(report, buf, n) < 0) {
		/* nowhere else to say it */
	}
}

// ---- symbols and numbers ----------------------------------------------------------------------

struct sym {
	const char *name;
	long value;
};

static const struct sym SYMBOLS[] = {
	{"O_RDONLY", O_RDONLY}, {"O_WRONLY", O_WRONLY}, {"O_RDWR", O_RDWR},
	{"O_CREAT", O_CREAT}, {"O_EXCL", O_EXCL}, {"O_NOCTTY", O_NOCTTY},
	{"O_TRUNC", O_TRUNC}, {"O_APPEND", O_APPEND}, {"O_NONBLOCK", O_NONBLOCK},
	{"O_DSYNC", O_DSYNC}, {"O_SYNC", O_SYNC}, {"O_DIRECTORY", O_DIRECTORY},
	{"O_NOFOLLOW", O_NOFOLLOW}, {"O_CLOEXEC", O_CLOEXEC}, {"O_PATH", O_PATH},
	{"O_TMPFILE", O_TMPFILE}, {"O_NOATIME", O_NOATIME}, {"O_DIRECT", O_DIRECT},
	{"S_IRWXU", S_IRWXU}, {"S_IRUSR", S_IRUSR}, {"S_IWUSR", S_IWUSR}, {"S_IXUSR", S_IXUSR},
	{"S_IRWXG", S_IRWXG}, {"S_IRGRP", S_IRGRP}, {"S_IWGRP", S_IWGRP}, {"S_IXGRP", S_IXGRP},
	{"S_IRWXO", S_IRWXO}, {"S_IROTH", S_IROTH}, {"S_IWOTH", S_IWOTH}, {"S_IXOTH", S_IXOTH},
	{"S_ISUID", S_ISUID}, {"S_ISGID", S_ISGID}, {"S_ISVTX", S_ISVTX},
	{"AT_FDCWD", AT_FDCWD}, {"AT_SYMLINK_FOLLOW", AT_SYMLINK_FOLLOW},
	{"AT_EMPTY_PATH", AT_EMPTY_PATH},
	{"RESOLVE_NO_XDEV", RESOLVE_NO_XDEV}, {"RESOLVE_NO_MAGICLINKS", RESOLVE_NO_MAGICLINKS},
	{"RESOLVE_NO_SYMLINKS", RESOLVE_NO_SYMLINKS}, {"RESOLVE_BENEATH", RESOLVE_BENEATH},
	{"RESOLVE_IN_ROOT", RESOLVE_IN_ROOT}, {"RESOLVE_CACHED", RESOLVE_CACHED},
	{"AF_UNIX", AF_UNIX}, {"AF_LOCAL", AF_LOCAL}, {"AF_INET", AF_INET}, {"AF_INET6", AF_INET6},
	{"AF_NETLINK", AF_NETLINK}, {"AF_PACKET", AF_PACKET},
	{"SOCK_STREAM", SOCK_STREAM}, {"SOCK_DGRAM", SOCK_DGRAM}, {"SOCK_RAW", SOCK_RAW},
	{"SOCK_SEQPACKET", SOCK_SEQPACKET}, {"SOCK_NONBLOCK", SOCK_NONBLOCK},
	{"SOCK_CLOEXEC", SOCK_CLOEXEC},
	{"IPPROTO_IP", IPPROTO_IP}, {"IPPROTO_TCP", IPPROTO_TCP}, {"IPPROTO_UDP", IPPROTO_UDP},
	{"IPPROTO_ICMP", IPPROTO_ICMP}, {"IPPROTO_RAW", IPPROTO_RAW},
	{NULL, 0},
};

static int failed;

/* A number: C literal or symbols joined by '|'. */
static long number(const char *s)
{
	long out = 0;
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", s);
	char *save = NULL;
	for (char *tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		while (*tok == ' ')
			tok++;
		char *end = tok + strlen(tok);
		while (end > tok && end[-1] == ' ')
			*--end = 0;
		char *rest = NULL;
		long v = strtol(tok, &rest, 0);
		if (rest && rest != tok && *rest == 0) {
			out |= v;
			continue;
		}
		const struct sym *y = SYMBOLS;
		while (y->name && strcmp(y->name, tok) != 0)
			y++;
		if (!y->name) {
			say("eg: unknown symbol %s", tok);
			exit(2);
		}
		out |= y->value;
	}
	return out;
}

static struct {
	char name[128];
	int fd;
} named[MAX_NAMED];
static int nnamed;

static void bind_fd(const char *name, int fd)
{
	if (nnamed < MAX_NAMED) {
		snprintf(named[nnamed].name, sizeof(named[nnamed].name), "%s", name);
		named[nnamed++].fd = fd;
	}
}

static long fd_arg(const char *s)
{
	if (s[0] != '@')
		return number(s);
	for (int i = 0; i < nnamed; i++)
		if (strcmp(named[i].name, s + 1) == 0)
			return named[i].fd;
	say("eg: unbound %s", s);
	exit(2);
}

// ---- processes ---------------------------------------------------------------------------------

static int wait_for(pid_t pid, const char *what)
{
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	say("eg: %s ended with status 0x%x", what, status);
	return 1;
}

static int mkdirs(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = 0;
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	}
	return 0;
}

/* This executable, written to fd `out`. */
static int copy_self(int out)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, n - off);
			if (w <= 0) {
				close(in);
				return -1;
			}
			off += w;
		}
	}
	close(in);
	return n < 0 ? -1 : 0;
}

/* Runs as uid/gid with every capability this process has, kept across execve (ambient). */
static void become(const char *uid_s, const char *gid_s)
{
	if (strcmp(uid_s, "-") == 0)
		return;
	uid_t uid = (uid_t)strtoul(uid_s, NULL, 10);
	gid_t gid = strcmp(gid_s, "-") == 0 ? getgid() : (gid_t)strtoul(gid_s, NULL, 10);
	if (uid == 0 && gid == 0 && getuid() == 0)
		return;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setgroups(0, NULL) < 0 ||
	    setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0) {
		say("eg: cannot become %s:%s: %s", uid_s, gid_s, strerror(errno));
		_exit(126);
	}
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) == 0) {
		for (int i = 0; i < 2; i++) {
			d[i].effective = d[i].permitted;
			d[i].inheritable = d[i].permitted;
		}
		syscall(SYS_capset, &h, d);
	}
	for (int cap = 0; cap < 64; cap++)
		prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0);
}

static void set_level(int next)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%d", next);
	setenv("EG_LEVEL", buf, 1);
}

static int cmd_proc(char **f, int n)
{
	if (n < 7) {
		say("eg: proc needs NAME BINPATH ARGV0 UID GID COPY");
		return 1;
	}
	const char *bin = f[2];
	if (strcmp(f[6], "1") == 0) {
		if (mkdirs(bin) < 0) {
			say("eg: mkdir for %s: %s", bin, strerror(errno));
			return 1;
		}
		int out = open(bin, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
		if (out < 0 || copy_self(out) < 0) {
			say("eg: copy to %s: %s", bin, strerror(errno));
			return 1;
		}
		close(out);
	}
	char *argv[MAX_FIELDS + 1];
	int k = 0;
	argv[k++] = f[3];
	for (int i = 7; i < n; i++)
		argv[k++] = f[i];
	argv[k] = NULL;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		become(f[4], f[5]);
		set_level(level + 1);
		execve(bin, argv, environ);
		say("eg: execve %s: %s", bin, strerror(errno));
		_exit(127);
	}
	return wait_for(pid, f[1]);
}

static int cmd_sh(char **f, int n)
{
	if (n < 2)
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", f[1], (char *)NULL);
		_exit(127);
	}
	return wait_for(pid, "script");
}

static int cmd_fileless(char **f, int n)
{
	int fd = (int)syscall(SYS_memfd_create, f[1], MFD_CLOEXEC);
	if (fd < 0 || copy_self(fd) < 0) {
		say("eg: memfd: %s", strerror(errno));
		return 1;
	}
	char *argv[MAX_FIELDS + 1];
	int k = 0;
	argv[k++] = f[1];
	for (int i = 2; i < n; i++)
		argv[k++] = f[i];
	argv[k] = NULL;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		set_level(1 << 20); /* nothing to do */
		syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
		say("eg: execveat memfd: %s", strerror(errno));
		_exit(127);
	}
	return wait_for(pid, f[1]);
}

// ---- sockets -------------------------------------------------------------------------------------

struct addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* "1.2.3.4:80" or "[::1]:80". */
static int parse_addr(const char *s, struct addr *a)
{
	char host[128];
	memset(a, 0, sizeof(*a));
	const char *colon = strrchr(s, ':');
	if (!colon)
		return -1;
	int port = atoi(colon + 1);
	if (s[0] == '[') {
		size_t len = (size_t)(colon - s) - 2;
		if (len >= sizeof(host) || colon[-1] != ']')
			return -1;
		memcpy(host, s + 1, len);
		host[len] = 0;
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		a->len = sizeof(*in6);
		return inet_pton(AF_INET6, host, &in6->sin6_addr) == 1 ? 0 : -1;
	}
	size_t len = (size_t)(colon - s);
	if (len >= sizeof(host))
		return -1;
	memcpy(host, s, len);
	host[len] = 0;
	struct sockaddr_in *in = (struct sockaddr_in *)&a->ss;
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	a->len = sizeof(*in);
	return inet_pton(AF_INET, host, &in->sin_addr) == 1 ? 0 : -1;
}

static int netns_ready;
static int aliases;

/* A private network namespace with loopback up (127.0.0.1 and ::1), plus `a` on loopback. */
static int local_address(const struct addr *a)
{
	/* never touch the caller's namespace: the socket for the ioctls is made inside the new one */
	if (!netns_ready && unshare(CLONE_NEWNET) < 0)
		return -1;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	struct ifreq ifr;
	if (!netns_ready) {
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, IFNAMSIZ, "lo");
		ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
			close(s);
			return -1;
		}
		netns_ready = 1;
	}
	const struct sockaddr_in *in = (const struct sockaddr_in *)&a->ss;
	if (in->sin_family == AF_INET && (ntohl(in->sin_addr.s_addr) >> 24) != 127) {
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, IFNAMSIZ, "lo:%d", ++aliases);
		struct sockaddr_in *ia = (struct sockaddr_in *)&ifr.ifr_addr;
		ia->sin_family = AF_INET;
		ia->sin_addr = in->sin_addr;
		if (ioctl(s, SIOCSIFADDR, &ifr) < 0) {
			close(s);
			return -1;
		}
		ia->sin_addr.s_addr = htonl(0xffffffff);
		ioctl(s, SIOCSIFNETMASK, &ifr);
	}
	close(s);
	return 0;
}

static int cmd_cs(char **f, int n)
{
	if (n < 4)
		return 1;
	const char *proto = f[2];
	struct addr a;
	if (parse_addr(f[3], &a) < 0) {
		say("eg: bad address %s", f[3]);
		return 1;
	}
	int tcp = strncmp(proto, "tcp", 3) == 0;
	if (!tcp && strncmp(proto, "udp", 3) != 0) {
		say("eg: unsupported l4Proto %s", proto);
		return 1;
	}
	if (local_address(&a) < 0) {
		say("eg: network namespace for %s: %s", f[3], strerror(errno));
		return 1;
	}
	int family = a.ss.ss_family;
	int type = tcp ? SOCK_STREAM : SOCK_DGRAM;
	int server = socket(family, type, 0);
	int one = 1;
	setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (server < 0 || bind(server, (struct sockaddr *)&a.ss, a.len) < 0 ||
	    (tcp && listen(server, 4) < 0)) {
		say("eg: server on %s: %s", f[3], strerror(errno));
		return 1;
	}
	int client = socket(family, type, 0);
	if (client < 0)
		return 1;
	if (tcp) {
		if (connect(client, (struct sockaddr *)&a.ss, a.len) < 0) {
			say("eg: connect to %s: %s", f[3], strerror(errno));
			return 1;
		}
		int conn = accept(server, NULL, NULL);
		if (conn < 0)
			return 1;
		server = conn;
	}
	char name[128];
	snprintf(name, sizeof(name), "%s.client.fd", f[1]);
	bind_fd(name, client);
	snprintf(name, sizeof(name), "%s.server.fd", f[1]);
	bind_fd(name, server);
	return 0;
}

// ---- syscall steps -------------------------------------------------------------------------------

static int step(char **f, int n)
{
	const char *op = f[0];
	long r;
#define NEED(k)                                                                              \
	if (n < (k) + 1) {                                                                   \
		say("eg: %s needs %d arguments", op, (k));                                   \
		return 1;                                                                    \
	}
	if (strcmp(op, "open") == 0) {
		NEED(3);
		r = syscall(SYS_open, f[1], number(f[2]), number(f[3]));
	} else if (strcmp(op, "openat") == 0) {
		NEED(4);
		r = syscall(SYS_openat, fd_arg(f[1]), f[2], number(f[3]), number(f[4]));
	} else if (strcmp(op, "openat2") == 0) {
		NEED(5);
		struct open_how how = {(uint64_t)number(f[3]), (uint64_t)number(f[4]),
				       (uint64_t)number(f[5])};
		r = syscall(SYS_openat2, fd_arg(f[1]), f[2], &how, sizeof(how));
	} else if (strcmp(op, "link") == 0) {
		NEED(2);
		r = syscall(SYS_link, f[1], f[2]);
	} else if (strcmp(op, "linkat") == 0) {
		NEED(5);
		r = syscall(SYS_linkat, fd_arg(f[1]), f[2], fd_arg(f[3]), f[4], number(f[5]));
	} else if (strcmp(op, "symlink") == 0) {
		NEED(2);
		r = syscall(SYS_symlink, f[1], f[2]);
	} else if (strcmp(op, "symlinkat") == 0) {
		NEED(3);
		r = syscall(SYS_symlinkat, f[1], fd_arg(f[2]), f[3]);
	} else if (strcmp(op, "socket") == 0) {
		NEED(3);
		r = syscall(SYS_socket, number(f[1]), number(f[2]), number(f[3]));
	} else if (strcmp(op, "dup") == 0) {
		NEED(1);
		r = syscall(SYS_dup, fd_arg(f[1]));
	} else if (strcmp(op, "dup2") == 0) {
		NEED(2);
		r = syscall(SYS_dup2, fd_arg(f[1]), fd_arg(f[2]));
	} else if (strcmp(op, "dup3") == 0) {
		NEED(3);
		r = syscall(SYS_dup3, fd_arg(f[1]), fd_arg(f[2]), number(f[3]));
	} else if (strcmp(op, "connect") == 0) {
		NEED(2);
		struct addr a;
		if (parse_addr(f[2], &a) < 0) {
			say("eg: bad address %s", f[2]);
			return 1;
		}
		r = syscall(SYS_connect, fd_arg(f[1]), &a.ss, a.len);
	} else {
		say("eg: unknown command %s", op);
		return 1;
	}
#undef NEED
	if (r < 0) {
		say("eg: %s %s: %s", op, n > 1 ? f[1] : "", strerror(errno));
		return 1;
	}
	return 0;
}

static int run(char *command)
{
	char *f[MAX_FIELDS];
	int n = 0;
	char *p = command;
	f[n++] = p;
	for (; *p; p++) {
		if (*p == 0x1f) {
			*p = 0;
			if (n < MAX_FIELDS)
				f[n++] = p + 1;
		}
	}
	if (strcmp(f[0], "proc") == 0)
		return cmd_proc(f, n);
	if (strcmp(f[0], "sh") == 0)
		return cmd_sh(f, n);
	if (strcmp(f[0], "cs") == 0)
		return cmd_cs(f, n);
	if (strcmp(f[0], "fileless") == 0)
		return cmd_fileless(f, n);
	return step(f, n);
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *plan_env = getenv("EG_PLAN");
	if (!plan_env) {
		fprintf(stderr, "%s: the test actions of EvtgenSuiteTest; set EG_PLAN\n", argv[0]);
		return 2;
	}
	const char *lv = getenv("EG_LEVEL");
	level = lv ? atoi(lv) : 0;
	int saved = fcntl(2, F_DUPFD_CLOEXEC, 10);
	if (saved >= 0)
		report = saved;
	char *plan = strdup(plan_env);
	char *text = plan;
	for (int i = 0; i < level && text; i++) {
		text = strchr(text, 0x1d);
		if (text)
			text++;
	}
	if (!text)
		return 0;
	char *end = strchr(text, 0x1d);
	if (end)
		*end = 0;
	while (*text && !failed) {
		char *next = strchr(text, 0x1e);
		if (next)
			*next = 0;
		if (run(text) != 0)
			failed = 1;
		if (!next)
			break;
		text = next + 1;
	}
	return failed ? 1 : 0;
}
