// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
//
// Vigil's kernel probe: a CO-RE eBPF program that turns syscall exits and process lifecycle
// tracepoints into event records in Vigil's binary layout (see dev.vigil.kernel.event.Layout)
// and hands them to user space through one BPF ring buffer.
//
//   tp_btf/sys_exit             every syscall exit: the selected ones become records carrying
//                               their arguments (still in the saved registers) and the result
//   tp_btf/sched_process_exec   successful execve/execveat: the new program's identity
//   tp_btf/sched_process_fork   clone/fork/vfork/clone3: the child, for the process table
//   tp_btf/sched_process_exit   thread exit (procexit)
//
// Which syscalls become records is decided by user space through `event_codes` (indexed by the
// x86_64 syscall number; the value is Vigil's event code + 1, 0 meaning "not wanted"). The
// agent's own process is never reported. Records are built in a per-CPU scratch area and
// written with BPF_RB_NO_WAKEUP: user space polls with back-off, so producers never pay for
// wake-ups.
//
// Record layout (little-endian):
//   0 u32 length | 4 u16 type | 6 u16 nparams | 8 u64 epoch ns | 16 u32 tid | 20 u32 pid
//   24 s64 ret | 32 u16 len[nparams] | parameter data, in order, without padding
// Numbers are stored at their natural width; strings without terminator; length 0 = empty.

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <asm/unistd_64.h>

#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif

char LICENSE[] SEC("license") = "Dual BSD/GPL";

// ---- sizes ----------------------------------------------------------------------------------

#define HEADER 32
#define MAX_PARAMS 32
#define SCRATCH_SIZE (64 * 1024)
#define DATA_LIMIT (32 * 1024) /* parameters start below this offset... */
#define MAX_STR 4096           /* ...and each is at most this long */
#define MAX_ARGS 4096
#define MAX_NAME 256
#define TMP_SIZE 8192
#define MAX_PATH_DEPTH 40
#define MAX_CGROUP_DEPTH 8
#define CGROUP_TMP 1024
#define NR_SYSCALLS 512

// Vigil's markers above Linux's open flags (dev.vigil.kernel.fields.Render).
#define VIGIL_O_F_CREATED (1U << 28)
#define VIGIL_O_F_EXEC (1U << 29)
#define VIGIL_FD_UPPER_LAYER (1U << 30)

// Executable flags of execve records (dev.vigil.kernel.state.ExeFlags).
#define VIGIL_EXE_WRITABLE (1U << 0)
#define VIGIL_EXE_UPPER_LAYER (1U << 1)
#define VIGIL_EXE_FROM_MEMFD (1U << 2)
#define VIGIL_EXE_LOWER_LAYER (1U << 3)

// Kernel constants that are macros, not BTF types.
#define FMODE_EXEC_BIT 0x20
#define FMODE_CREATED_BIT 0x100000
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define EINPROGRESS 115
#define F_DUPFD 0
#define F_DUPFD_CLOEXEC 1030
#define S_IWUSR 0200
#define S_IWGRP 0020
#define S_IWOTH 0002

/* `v & mask`, kept opaque to the compiler so that the verifier sees the bound it needs (clang
 * otherwise drops a mask it can prove redundant from earlier checks, and the verifier, which
 * tracks ranges less precisely, rejects the access). */
#define MASK(v, m)                                                                           \
	({                                                                                   \
		__u64 __v = (v);                                                             \
		asm volatile("%0 &= %1" : "+r"(__v) : "i"(m));                               \
		__v;                                                                         \
	})

// ---- maps -----------------------------------------------------------------------------------

struct vigil_config {
	__u64 boot_to_epoch_ns; /* added to bpf_ktime_get_boot_ns() */
	__u32 self_tgid;        /* the agent: never reported */
	__u16 procexit_code;    /* Vigil event code + 1 of procexit, 0 = off */
	__u16 open_filter;      /* OF_* bits: the kernel-side open filter */
};

/*
 * The open filter (dev.vigil.kernel.OpenFilter): which open/openat/openat2 events no loaded rule
 * can match. An open is sent when its access class (OF_READ, OF_WRITE, OF_OTHER from the O_ACCMODE
 * bits) is in the filter's low bits, or its path is found in vigil_open_paths (exact names and
 * prefixes, an LPM trie) or its last component in vigil_open_names with that class, or it contains
 * "../" and that class is in bits 3-5 (a component ending in ".."); when the path
 * is relative or not normalised (the rules see the resolved, normalised fd.name); or when the file
 * opened is not a regular file (directories, devices, sockets: state may need them). Otherwise the
 * open is not sent, and its fd goes into vigil_quiet_fds so that its close is not sent either.
 */
#define OF_READ (1U << 0)
#define OF_WRITE (1U << 1)
#define OF_OTHER (1U << 2)
#define OF_DOTDOT_SHIFT 3   /* bits 3-5: classes sent when the path contains "../" */
#define OF_CLOSES (1U << 12) /* a rule looks at close: send the close (and the open first) */
#define OF_PATHS (1U << 13) /* vigil_open_paths has entries */
#define OF_NAMES (1U << 14) /* vigil_open_names has entries */
#define OF_ON (1U << 15)
#define PATH_KEY 128
#define NAME_KEY 64

struct open_key {
	__u32 prefixlen; /* bits */
	__u8 data[PATH_KEY];
};

struct quiet_key {
	__u32 tgid;
	__u32 fd;
	__u64 start; /* the process's start time: a reused tgid is another process */
};

struct vigil_stats {
	__u64 events;   /* records written */
	__u64 drops;    /* ring buffer full */
	__u64 too_big;  /* record larger than the scratch area */
	__u64 filtered; /* opens and closes the open filter kept back */
};

struct scratch {
	__u32 walk_pos; /* path walk position, kept in map memory so the verifier does not track it */
	__u32 pad;
	__u8 buf[SCRATCH_SIZE];
	__u8 tmp[TMP_SIZE + MAX_STR]; /* slack: masked offsets plus a bounded length stay inside */
	struct open_key okey;         /* the open filter's lookup keys */
	__u8 name[NAME_KEY];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024); /* resized by user space before load */
} vigil_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NR_SYSCALLS);
	__type(key, __u32);
	__type(value, __u16);
} vigil_event_codes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vigil_config);
} vigil_config_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vigil_stats);
} vigil_stats_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 8192);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct open_key);
	__type(value, __u32);
} vigil_open_paths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u8[NAME_KEY]);
	__type(value, __u32);
} vigil_open_names SEC(".maps");

/*
 * fds whose open was not sent, with the open's record: their close is not sent either, and any
 * other reported syscall that names the fd (dup, fcntl, fchmod, a dirfd, ...) first sends the
 * kept record, so that user space knows the fd before an event reads it. LRU: an entry evicted
 * early means a later event on that fd finds it unknown to user space, like an fd opened before
 * the agent started.
 */
#define QUIET_REC 256
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(map_flags, BPF_F_NO_COMMON_LRU); /* per-CPU lists: no shared lock on the open path */
	__uint(max_entries, 16384);
	__type(key, struct quiet_key);
	__type(value, __u8[QUIET_REC]);
} vigil_quiet_fds SEC(".maps");

/* One scratch area per CPU (an array sized to the CPU count by user space: per-CPU arrays
 * cannot hold values this large). Programs run with migration disabled. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} vigil_scratch SEC(".maps");

// ---- older kernel layouts (CO-RE flavours) ----------------------------------------------------

struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

// ---- record building --------------------------------------------------------------------------

struct rec {
	__u8 *buf;
	__u8 *tmp;
	__u32 *walk_pos;
	struct open_key *okey;
	__u8 *name;
	__u32 off;  /* next data offset */
	__u32 n;    /* declared parameter count */
	__u32 i;    /* next parameter index */
	__u16 code; /* Vigil event code */
};

static __always_inline struct vigil_config *cfg(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&vigil_config_map, &zero);
}

static __always_inline void count(int what)
{
	__u32 zero = 0;
	struct vigil_stats *s = bpf_map_lookup_elem(&vigil_stats_map, &zero);
	if (!s)
		return;
	if (what == 0)
		s->events++;
	else if (what == 1)
		s->drops++;
	else if (what == 2)
		s->too_big++;
	else
		s->filtered++;
}

static __always_inline int rec_begin(struct rec *r, __u16 code, __u32 nparams)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct scratch *s = bpf_map_lookup_elem(&vigil_scratch, &cpu);
	if (!s)
		return -1;
	if (nparams > MAX_PARAMS)
		nparams = MAX_PARAMS;
	r->buf = s->buf;
	r->tmp = s->tmp;
	r->walk_pos = &s->walk_pos;
	r->okey = &s->okey;
	r->name = s->name;
	r->n = nparams;
	r->i = 0;
	r->off = HEADER + 2 * nparams;
	r->code = code;
	return 0;
}

static __always_inline void put_len(struct rec *r, __u32 len)
{
	__u32 i = r->i;
	if (i < MAX_PARAMS)
		*(__u16 *)(r->buf + HEADER + 2 * MASK(i, MAX_PARAMS - 1)) = (__u16)len;
	r->i = i + 1;
}

static __always_inline void put_empty(struct rec *r)
{
	put_len(r, 0);
}

#define DEFINE_PUT(name, type)                                                               \
	static __always_inline void name(struct rec *r, type v)                              \
	{                                                                                    \
		__u32 off = r->off;                                                          \
		if (off >= DATA_LIMIT) {                                                     \
			put_len(r, 0);                                                       \
			return;                                                              \
		}                                                                            \
		*(type *)(r->buf + MASK(off, DATA_LIMIT - 1)) = v;                           \
		put_len(r, sizeof(type));                                                    \
		r->off = off + sizeof(type);                                                 \
	}
DEFINE_PUT(put_u8, __u8)
DEFINE_PUT(put_u16, __u16)
DEFINE_PUT(put_u32, __u32)
DEFINE_PUT(put_u64, __u64)

static __always_inline void put_s64(struct rec *r, __s64 v)
{
	put_u64(r, (__u64)v);
}

/* A NUL-terminated string from user memory (stored without its terminator). */
static __always_inline void put_user_str(struct rec *r, const void *src)
{
	__u32 off = r->off;
	if (off >= DATA_LIMIT || !src) {
		put_len(r, 0);
		return;
	}
	long n = bpf_probe_read_user_str(r->buf + MASK(off, DATA_LIMIT - 1), MAX_STR, src);
	if (n <= 1) {
		put_len(r, 0);
		return;
	}
	put_len(r, n - 1);
	r->off = off + n - 1;
}

static __always_inline void put_kernel_str(struct rec *r, const void *src)
{
	__u32 off = r->off;
	if (off >= DATA_LIMIT || !src) {
		put_len(r, 0);
		return;
	}
	long n = bpf_probe_read_kernel_str(r->buf + MASK(off, DATA_LIMIT - 1), MAX_STR, src);
	if (n <= 1) {
		put_len(r, 0);
		return;
	}
	put_len(r, n - 1);
	r->off = off + n - 1;
}

/* `len` bytes of user memory, at most MAX_ARGS. */
static __always_inline void put_user_bytes(struct rec *r, const void *src, __u64 len)
{
	__u32 off = r->off;
	if (off >= DATA_LIMIT || !src || len == 0) {
		put_len(r, 0);
		return;
	}
	if (len > MAX_ARGS)
		len = MAX_ARGS;
	if (bpf_probe_read_user(r->buf + MASK(off, DATA_LIMIT - 1), len, src) != 0) {
		put_len(r, 0);
		return;
	}
	put_len(r, len);
	r->off = off + len;
}

/* Completes the record's header; returns its length, 0 when it is too large. */
static __always_inline __u32 rec_finish(struct rec *r, struct vigil_config *c, __u32 tid,
					__u32 pid, __s64 ret)
{
	for (int k = 0; k < MAX_PARAMS; k++) {
		if (r->i >= r->n)
			break;
		put_len(r, 0);
	}
	__u32 len = r->off;
	if (len > SCRATCH_SIZE - TMP_SIZE) {
		count(2);
		return 0;
	}
	*(__u32 *)(r->buf + 0) = len;
	*(__u16 *)(r->buf + 4) = r->code;
	*(__u16 *)(r->buf + 6) = (__u16)r->n;
	*(__u64 *)(r->buf + 8) = bpf_ktime_get_boot_ns() + c->boot_to_epoch_ns;
	*(__u32 *)(r->buf + 16) = tid;
	*(__u32 *)(r->buf + 20) = pid;
	*(__s64 *)(r->buf + 24) = ret;
	return len;
}

static __always_inline void rec_submit(struct rec *r, __u32 tid, __u32 pid, __s64 ret)
{
	struct vigil_config *c = cfg();
	if (!c)
		return;
	__u32 len = rec_finish(r, c, tid, pid, ret);
	if (len == 0)
		return;
	/* the mask (a no-op: len <= SCRATCH_SIZE - TMP_SIZE) keeps the bound visible to the verifier
	 * whichever copy of len the compiler passes */
	if (bpf_ringbuf_output(&vigil_events, r->buf, MASK(len, SCRATCH_SIZE - 1),
			       BPF_RB_NO_WAKEUP) == 0)
		count(0);
	else
		count(1);
}

// ---- kernel state readers ----------------------------------------------------------------------

/*
 * Direct loads instead of helper calls. A tp_btf program reads the fields of BTF-typed kernel
 * pointers (its arguments, bpf_get_current_task_btf() and what they point to) with plain loads
 * that the verifier marks fault-safe (PROBE_MEM): no bpf_probe_read_kernel call. A pointer that
 * is only a number to the verifier (an element of the fd array, memory past the end of a struct)
 * gets a type with bpf_rdonly_cast (a kfunc the verifier inlines, kernel 6.2+): the loads through
 * it are fault-safe in the same way. Field offsets stay CO-RE relocations: vmlinux.h's types carry
 * preserve_access_index, so `a->b` is relocated like BPF_CORE_READ(a, b).
 *
 * Kernels before 6.2 lack bpf_rdonly_cast, so sys_exit comes twice: vigil_sys_exit with the
 * direct loads, and vigil_sys_exit_portable, which reads the file, inode and super block with
 * bpf_probe_read_kernel (FAST = 0 below). User space loads the first and falls back to the second
 * when the kernel rejects it (dev.vigil.kernel.ffi.Probe).
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

/* The 8 bytes at kernel address `addr`, or 0 when they cannot be read (list_head's first member,
 * a pointer at offset 0 in every kernel, is the typed view). */
static __always_inline __u64 kernel_word(const void *addr)
{
	struct list_head *w = bpf_rdonly_cast(addr, bpf_core_type_id_kernel(struct list_head));
	return (__u64)w->next;
}

/* The fd table of task t when fd is inside it, else NULL (both ways of reading an fd's file below
 * check the same bounds). */
static __always_inline struct fdtable *fd_table(struct task_struct *t, long fd)
{
	struct files_struct *files = t->files;
	if (!files || fd < 0)
		return NULL;
	struct fdtable *fdt = files->fdt;
	if (!fdt || fd >= fdt->max_fds)
		return NULL;
	return fdt;
}

static __always_inline struct file *fd_file_portable(struct task_struct *t, long fd)
{
	struct fdtable *fdt = fd_table(t, fd);
	if (!fdt)
		return NULL;
	struct file **arr = fdt->fd;
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &arr[fd]);
	return f;
}

static __always_inline struct file *fd_file_fast(struct task_struct *t, long fd)
{
	struct fdtable *fdt = fd_table(t, fd);
	if (!fdt)
		return NULL;
	/* fdt->fd is a struct file ** (a number to the verifier), its element a struct file * */
	__u64 f = kernel_word((void *)fdt->fd + MASK(fd, 0xffffff) * sizeof(void *));
	if (!f)
		return NULL;
	return bpf_rdonly_cast((void *)f, bpf_core_type_id_kernel(struct file));
}

/* struct ovl_inode { ...; struct inode vfs_inode; struct dentry *__upperdentry; ... }: whether
 * an overlayfs inode has an upper dentry. */
static __always_inline int ovl_has_upper(struct inode *inode)
{
	return kernel_word((void *)inode + bpf_core_type_size(struct inode)) != 0;
}

static __always_inline int inode_upper_layer(struct inode *inode)
{
	if (!inode)
		return -1;
	struct super_block *sb = BPF_CORE_READ(inode, i_sb);
	if (!sb || BPF_CORE_READ(sb, s_magic) != OVERLAYFS_SUPER_MAGIC)
		return -1; /* not overlay */
	struct dentry *upper = NULL;
	bpf_probe_read_kernel(&upper, sizeof(upper),
			      (void *)inode + bpf_core_type_size(struct inode));
	return upper ? 1 : 0;
}

/* Open flags with Vigil's markers (created, exec open, overlay upper layer); *reg tells whether
 * the file opened is a regular file. All direct loads: this runs on every reported open. */
static __always_inline __u32 open_flags_fast(struct rec *r, struct task_struct *t, long fd,
					     __u32 flags, __u64 *dev, __u64 *ino, int *reg)
{
	struct file *f = fd_file_fast(t, fd);
	if (!f)
		return flags;
	__u32 mode = f->f_mode;
	if (mode & FMODE_CREATED_BIT)
		flags |= VIGIL_O_F_CREATED;
	if (mode & FMODE_EXEC_BIT)
		flags |= VIGIL_O_F_EXEC;
	struct inode *inode = f->f_inode;
	if (!inode)
		return flags;
	*reg = (inode->i_mode & 0170000) == 0100000; /* S_ISREG */
	*ino = inode->i_ino;
	struct super_block *sb = inode->i_sb;
	if (!sb)
		return flags;
	*dev = sb->s_dev;
	if (sb->s_magic == OVERLAYFS_SUPER_MAGIC && ovl_has_upper(inode))
		flags |= VIGIL_FD_UPPER_LAYER;
	return flags;
}

/*
 * Reading two fields of one kernel object with a single bpf_probe_read_kernel when they lie
 * within SPAN bytes of each other (their CO-RE offsets are constants once relocated, so the
 * verifier keeps only one branch). Every helper call costs tens of ns on the hot open path.
 * The copy goes to the slack area after tmp, which no path walk uses at the same time.
 */
#define SPAN 128

static __always_inline int span_read(__u8 *dst, const void *obj, __u32 a, __u32 b, __u32 *lo)
{
	__u32 l = a < b ? a : b;
	__u32 h = a < b ? b : a;
	if (h - l > SPAN - 8)
		return -1;
	*lo = l;
	return bpf_probe_read_kernel(dst, SPAN, obj + l);
}

#define SPAN_FIELD(dst, lo, off, type) (*(type *)((dst) + MASK((off) - (lo), SPAN - 1)))

/* Open flags with Vigil's markers (created, exec open, overlay upper layer); *reg tells whether
 * the file opened is a regular file. */
static __always_inline __u32 open_flags_portable(struct rec *r, struct task_struct *t, long fd,
						 __u32 flags, __u64 *dev, __u64 *ino, int *reg)
{
	struct file *f = fd_file_portable(t, fd);
	if (!f)
		return flags;
	__u8 *sp = r->tmp + TMP_SIZE;
	__u32 lo = 0;
	__u32 mode;
	struct inode *inode;
	__u32 o_mode = bpf_core_field_offset(struct file, f_mode);
	__u32 o_inode = bpf_core_field_offset(struct file, f_inode);
	if (span_read(sp, f, o_mode, o_inode, &lo) == 0) {
		mode = SPAN_FIELD(sp, lo, o_mode, __u32);
		inode = SPAN_FIELD(sp, lo, o_inode, struct inode *);
	} else {
		mode = BPF_CORE_READ(f, f_mode);
		inode = BPF_CORE_READ(f, f_inode);
	}
	if (mode & FMODE_CREATED_BIT)
		flags |= VIGIL_O_F_CREATED;
	if (mode & FMODE_EXEC_BIT)
		flags |= VIGIL_O_F_EXEC;
	if (!inode)
		return flags;
	struct super_block *sb;
	umode_t imode;
	__u32 o_sb = bpf_core_field_offset(struct inode, i_sb);
	__u32 o_ino = bpf_core_field_offset(struct inode, i_ino);
	__u32 o_imode = bpf_core_field_offset(struct inode, i_mode);
	if (o_imode <= o_sb && o_imode <= o_ino && span_read(sp, inode, o_imode, o_sb, &lo) == 0 &&
	    o_ino - o_imode <= SPAN - 8) {
		imode = SPAN_FIELD(sp, lo, o_imode, umode_t);
		sb = SPAN_FIELD(sp, lo, o_sb, struct super_block *);
		*ino = SPAN_FIELD(sp, lo, o_ino, __u64);
	} else {
		imode = BPF_CORE_READ(inode, i_mode);
		sb = BPF_CORE_READ(inode, i_sb);
		*ino = BPF_CORE_READ(inode, i_ino);
	}
	*reg = (imode & 0170000) == 0100000; /* S_ISREG */
	if (!sb)
		return flags;
	__u64 magic;
	__u32 o_dev = bpf_core_field_offset(struct super_block, s_dev);
	__u32 o_magic = bpf_core_field_offset(struct super_block, s_magic);
	if (span_read(sp, sb, o_dev, o_magic, &lo) == 0) {
		*dev = SPAN_FIELD(sp, lo, o_dev, __u32);
		magic = SPAN_FIELD(sp, lo, o_magic, __u64);
	} else {
		*dev = BPF_CORE_READ(sb, s_dev);
		magic = BPF_CORE_READ(sb, s_magic);
	}
	if (magic == OVERLAYFS_SUPER_MAGIC) {
		/* struct ovl_inode { ...; struct inode vfs_inode; struct dentry *__upperdentry; } */
		struct dentry *upper = NULL;
		bpf_probe_read_kernel(&upper, sizeof(upper),
				      (void *)inode + bpf_core_type_size(struct inode));
		if (upper)
			flags |= VIGIL_FD_UPPER_LAYER;
	}
	return flags;
}

/* FAST is a constant in each sys_exit program, so the verifier sees only one branch. */
static __always_inline __u32 open_flags(struct rec *r, struct task_struct *t, long fd, __u32 flags,
					__u64 *dev, __u64 *ino, int *reg, const int fast)
{
	return fast ? open_flags_fast(r, t, fd, flags, dev, ino, reg)
		    : open_flags_portable(r, t, fd, flags, dev, ino, reg);
}

/*
 * The absolute path of `path` (dentry + mount), built backwards at the end of the tmp area.
 * Returns the start offset in tmp; the path ends at TMP_SIZE - MAX_STR + MAX_STR - 1.
 */
#define PATH_END (TMP_SIZE - 1)

struct path_walk {
	__u8 *tmp;
	__u32 *pos; /* in map memory: its value is opaque to the verifier, so iterations converge */
	struct dentry *d;
	struct mount *m;
	struct dentry *mnt_root;
};

/* One step of the walk towards the root: a name, or a hop from a mount root to its mountpoint. */
static long path_step(__u32 index, void *ctx)
{
	struct path_walk *w = ctx;
	struct dentry *d = w->d;
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	if (d == w->mnt_root || d == parent) {
		struct mount *m = w->m;
		struct mount *mp = BPF_CORE_READ(m, mnt_parent);
		if (m == mp)
			return 1; /* the root of the root mount */
		w->d = BPF_CORE_READ(m, mnt_mountpoint);
		w->m = mp;
		w->mnt_root = BPF_CORE_READ(mp, mnt.mnt_root);
		return 0;
	}
	__u32 nlen = BPF_CORE_READ(d, d_name.len);
	if (nlen > MAX_NAME - 1)
		nlen = MAX_NAME - 1;
	__u32 pos = *w->pos;
	if (pos < MAX_STR + MAX_NAME || pos > PATH_END)
		return 1; /* longer than MAX_STR: keep the tail */
	pos -= nlen;
	bpf_probe_read_kernel(w->tmp + MASK(pos, TMP_SIZE - 1), MASK(nlen, MAX_NAME - 1),
			      BPF_CORE_READ(d, d_name.name));
	pos -= 1;
	w->tmp[MASK(pos, TMP_SIZE - 1)] = '/';
	*w->pos = pos;
	w->d = parent;
	return 0;
}

/*
 * The absolute path of `path` (dentry + mount), built backwards so that it ends at PATH_END in
 * the tmp area. Returns its start offset there. Uses bpf_loop (kernel 5.17+) so that the walk is
 * verified once, not once per unrolled step.
 */
static __always_inline __u32 build_path(struct rec *r, struct path *p, __u32 *len)
{
	struct vfsmount *vm = BPF_CORE_READ(p, mnt);
	struct path_walk w = {
		.tmp = r->tmp,
		.pos = r->walk_pos,
		.d = BPF_CORE_READ(p, dentry),
		.m = (struct mount *)((void *)vm - bpf_core_field_offset(struct mount, mnt)),
		.mnt_root = BPF_CORE_READ(vm, mnt_root),
	};
	*r->walk_pos = PATH_END;
	r->tmp[PATH_END] = 0;
	bpf_loop(MAX_PATH_DEPTH, path_step, &w, 0);
	__u32 pos = *r->walk_pos;
	if (pos >= PATH_END) {
		pos = PATH_END - 1;
		r->tmp[PATH_END - 1] = '/';
	}
	*len = PATH_END - pos;
	return pos;
}

static __always_inline void put_path(struct rec *r, struct path *p)
{
	__u32 len = 0;
	__u32 from = build_path(r, p, &len);
	/* put_tmp wants the source below TMP_SIZE - MAX_STR: move the path down first */
	if (len == 0 || len >= MAX_STR) {
		put_empty(r);
		return;
	}
	__u32 off = r->off;
	if (off >= DATA_LIMIT) {
		put_empty(r);
		return;
	}
	if (bpf_probe_read_kernel(r->buf + MASK(off, DATA_LIMIT - 1), MASK(len, MAX_STR - 1),
				  r->tmp + MASK(from, TMP_SIZE - 1)) != 0) {
		put_empty(r);
		return;
	}
	put_len(r, len);
	r->off = off + len;
}

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	struct kernfs_node___old *old = (void *)kn;
	return BPF_CORE_READ(old, parent);
}

/*
 * "<subsys>=/<path>" of a cgroup into tmp starting at `at` (forward, bounded), followed by a
 * NUL. Returns the new position.
 */
static __always_inline __u32 cgroup_entry(struct rec *r, __u32 at, const char *subsys, __u32 slen,
					  struct cgroup *cg)
{
	if (!cg)
		return at;
	/* collect up to MAX_CGROUP_DEPTH names from the leaf upwards */
	const char *names[MAX_CGROUP_DEPTH];
	int depth = 0;
	struct kernfs_node *kn = BPF_CORE_READ(cg, kn);
	for (int k = 0; k < MAX_CGROUP_DEPTH; k++) {
		if (!kn)
			break;
		struct kernfs_node *parent = kn_parent(kn);
		if (!parent)
			break; /* the root has no name in the path */
		names[k] = BPF_CORE_READ(kn, name);
		depth = k + 1;
		kn = parent;
	}
	if (at >= CGROUP_TMP - 64)
		return at;
	bpf_probe_read_kernel(r->tmp + MASK(at, CGROUP_TMP - 1), slen & 15, subsys);
	at += slen;
	r->tmp[MASK(at, CGROUP_TMP - 1)] = '=';
	at++;
	if (depth == 0) {
		r->tmp[MASK(at, CGROUP_TMP - 1)] = '/';
		at++;
	}
	for (int k = MAX_CGROUP_DEPTH - 1; k >= 0; k--) {
		if (k >= depth)
			continue;
		if (at >= CGROUP_TMP - 130)
			break;
		r->tmp[MASK(at, CGROUP_TMP - 1)] = '/';
		at++;
		long n = bpf_probe_read_kernel_str(r->tmp + MASK(at, CGROUP_TMP - 1), 128, names[k]);
		if (n > 1)
			at += n - 1;
	}
	r->tmp[MASK(at, CGROUP_TMP - 1)] = 0;
	return at + 1;
}

/* The cgroups of `t` as "memory=/...\0unified=/...\0" (the v1 memory controller, the v2 tree). */
static __always_inline void put_cgroups(struct rec *r, struct task_struct *t)
{
	struct css_set *cs = BPF_CORE_READ(t, cgroups);
	if (!cs) {
		put_empty(r);
		return;
	}
	__u32 at = 0;
	int mem = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	struct cgroup_subsys_state *css = NULL;
	if (mem >= 0 && mem < 16)
		bpf_probe_read_kernel(&css, sizeof(css), &cs->subsys[mem & 15]);
	if (css) {
		struct cgroup *cg = BPF_CORE_READ(css, cgroup);
		struct cgroup *root = BPF_CORE_READ(cs, dfl_cgrp);
		if (cg && cg != root)
			at = cgroup_entry(r, at, "memory", 6, cg);
	}
	at = cgroup_entry(r, at, "unified", 7, BPF_CORE_READ(cs, dfl_cgrp));
	if (at == 0 || at > CGROUP_TMP) {
		put_empty(r);
		return;
	}
	__u32 off = r->off;
	if (off >= DATA_LIMIT) {
		put_empty(r);
		return;
	}
	bpf_probe_read_kernel(r->buf + MASK(off, DATA_LIMIT - 1), MASK(at, CGROUP_TMP - 1), r->tmp);
	put_len(r, MASK(at, CGROUP_TMP - 1));
	r->off = off + MASK(at, CGROUP_TMP - 1);
}

static __always_inline __u32 pid_nr_in_ns(struct pid *pid)
{
	if (!pid)
		return 0;
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid up;
	if (bpf_probe_read_kernel(&up, sizeof(up), &pid->numbers[level & 31]) != 0)
		return 0;
	return up.nr;
}

static __always_inline __u32 task_vpid(struct task_struct *t)
{
	return pid_nr_in_ns(BPF_CORE_READ(t, group_leader, thread_pid));
}

static __always_inline __u32 task_vtid(struct task_struct *t)
{
	return pid_nr_in_ns(BPF_CORE_READ(t, thread_pid));
}

static __always_inline struct pid *task_pgid_pid(struct task_struct *t)
{
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	struct pid *p = NULL;
	int idx = bpf_core_enum_value(enum pid_type, PIDTYPE_PGID);
	if (sig && idx >= 0 && idx < 8)
		bpf_probe_read_kernel(&p, sizeof(p), &sig->pids[idx & 7]);
	return p;
}

static __always_inline __u32 task_tty(struct task_struct *t)
{
	struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
	if (!tty)
		return 0;
	int major = BPF_CORE_READ(tty, driver, major);
	int minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
	return ((__u32)major << 20) | ((__u32)minor & 0xfffff);
}

/* exe, args and the mm-derived parameters shared by clone and execve records. */
static __always_inline void put_exe_args(struct rec *r, struct mm_struct *mm)
{
	if (!mm) {
		put_empty(r);
		put_empty(r);
		return;
	}
	unsigned long start = BPF_CORE_READ(mm, arg_start);
	unsigned long end = BPF_CORE_READ(mm, arg_end);
	__u32 off = r->off;
	put_user_str(r, (void *)start);
	__u32 argv0 = r->off - off;
	unsigned long rest = start + argv0 + 1;
	put_user_bytes(r, (void *)rest, end > rest ? end - rest : 0);
}

static __always_inline void put_mm_stats(struct rec *r, struct mm_struct *mm)
{
	/* fdlimit, pgft_maj, pgft_min, vm_size, vm_rss, vm_swap: not collected */
	put_empty(r);
	put_empty(r);
	put_empty(r);
	put_u32(r, mm ? (__u32)(BPF_CORE_READ(mm, total_vm) << 2) : 0);
	put_empty(r);
	put_empty(r);
}

// ---- process lifecycle -------------------------------------------------------------------------

static __always_inline __u16 code_of(long nr)
{
	if (nr < 0 || nr >= NR_SYSCALLS)
		return 0;
	__u32 k = nr;
	__u16 *c = bpf_map_lookup_elem(&vigil_event_codes, &k);
	return c ? *c : 0;
}

static __always_inline int is_self(struct task_struct *t)
{
	struct vigil_config *c = cfg();
	return c && BPF_CORE_READ(t, tgid) == c->self_tgid;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(vigil_fork, struct task_struct *parent, struct task_struct *child)
{
	/* the agent's own threads stay out; a process it starts is not the agent */
	if (is_self(child))
		return 0;
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(parent);
	long nr = BPF_CORE_READ(regs, orig_ax);
	if (nr != __NR_clone && nr != __NR_clone3 && nr != __NR_fork && nr != __NR_vfork)
		return 0; /* kernel threads and the like */
	__u16 code = code_of(nr);
	if (!code)
		return 0;
	struct rec r;
	if (rec_begin(&r, code - 1, 21))
		return 0;
	struct mm_struct *mm = BPF_CORE_READ(child, mm);
	__u64 flags = 0;
	if (nr == __NR_clone)
		flags = BPF_CORE_READ(regs, di);
	else if (nr == __NR_clone3)
		bpf_probe_read_user(&flags, sizeof(flags), (void *)BPF_CORE_READ(regs, di));
	else if (nr == __NR_vfork)
		flags = 0x4000 | 0x100; /* CLONE_VFORK | CLONE_VM */

	put_s64(&r, 0);                                   /* res (child side) */
	put_exe_args(&r, mm);                              /* exe, args */
	put_s64(&r, BPF_CORE_READ(child, pid));            /* tid */
	put_s64(&r, BPF_CORE_READ(child, tgid));           /* pid */
	put_s64(&r, BPF_CORE_READ(parent, tgid));          /* ptid: the parent process */
	put_empty(&r);                                     /* cwd: inherited */
	put_mm_stats(&r, mm);                              /* fdlimit .. vm_swap */
	put_kernel_str(&r, child->comm);                   /* comm */
	put_cgroups(&r, child);                            /* cgroups */
	put_u32(&r, (__u32)flags);                         /* flags */
	const struct cred *cred = BPF_CORE_READ(child, cred);
	put_u32(&r, BPF_CORE_READ(cred, euid.val));        /* uid */
	put_u32(&r, BPF_CORE_READ(cred, egid.val));        /* gid */
	put_s64(&r, task_vtid(child));                     /* vtid */
	put_s64(&r, task_vpid(child));                     /* vpid */
	put_empty(&r);                                     /* pidns_init_start_ts */
	rec_submit(&r, BPF_CORE_READ(child, pid), BPF_CORE_READ(child, tgid), 0);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(vigil_exit, struct task_struct *t)
{
	struct vigil_config *c = cfg();
	if (!c || !c->procexit_code || BPF_CORE_READ(t, tgid) == c->self_tgid)
		return 0;
	struct rec r;
	if (rec_begin(&r, c->procexit_code - 1, 5))
		return 0;
	int status = BPF_CORE_READ(t, exit_code);
	put_s64(&r, status);             /* status */
	put_s64(&r, status >> 8);        /* ret */
	put_u8(&r, status & 0x7f);       /* sig */
	put_u8(&r, (status & 0x80) ? 1 : 0); /* core */
	put_empty(&r);                   /* reaper_tid */
	rec_submit(&r, BPF_CORE_READ(t, pid), BPF_CORE_READ(t, tgid), 0);
	return 0;
}

/* The writable/overlay/memfd flags of the executable file. */
static __always_inline __u32 exe_flags(struct file *exe, const struct cred *cred)
{
	__u32 flags = 0;
	if (!exe)
		return 0;
	struct inode *inode = BPF_CORE_READ(exe, f_inode);
	int upper = inode_upper_layer(inode);
	if (upper == 1)
		flags |= VIGIL_EXE_UPPER_LAYER;
	else if (upper == 0)
		flags |= VIGIL_EXE_LOWER_LAYER;
	char prefix[8] = {};
	bpf_probe_read_kernel_str(prefix, sizeof(prefix), BPF_CORE_READ(exe, f_path.dentry, d_name.name));
	if (prefix[0] == 'm' && prefix[1] == 'e' && prefix[2] == 'm' && prefix[3] == 'f' &&
	    prefix[4] == 'd' && prefix[5] == ':')
		flags |= VIGIL_EXE_FROM_MEMFD;
	if (inode) {
		umode_t mode = BPF_CORE_READ(inode, i_mode);
		__u32 fsuid = BPF_CORE_READ(cred, fsuid.val);
		__u32 fsgid = BPF_CORE_READ(cred, fsgid.val);
		if (fsuid == 0 || (mode & S_IWOTH) ||
		    ((mode & S_IWUSR) && BPF_CORE_READ(inode, i_uid.val) == fsuid) ||
		    ((mode & S_IWGRP) && BPF_CORE_READ(inode, i_gid.val) == fsgid))
			flags |= VIGIL_EXE_WRITABLE;
	}
	return flags;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(vigil_exec, struct task_struct *t, pid_t old_pid, struct linux_binprm *bprm)
{
	if (is_self(t))
		return 0;
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	long nr = BPF_CORE_READ(regs, orig_ax);
	if (nr != __NR_execve && nr != __NR_execveat)
		return 0;
	__u16 code = code_of(nr);
	if (!code)
		return 0;
	struct rec r;
	if (rec_begin(&r, code - 1, 31))
		return 0;
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	const struct cred *cred = BPF_CORE_READ(t, cred);
	struct file *exe = BPF_CORE_READ(mm, exe_file);

	put_s64(&r, 0);                                    /* res */
	put_exe_args(&r, mm);                              /* exe, args */
	put_s64(&r, BPF_CORE_READ(t, pid));                /* tid */
	put_s64(&r, BPF_CORE_READ(t, tgid));               /* pid */
	put_s64(&r, BPF_CORE_READ(t, real_parent, tgid));  /* ptid */
	struct path pwd;
	bpf_probe_read_kernel(&pwd, sizeof(pwd), &t->fs->pwd);
	put_path(&r, &pwd);                                /* cwd */
	put_mm_stats(&r, mm);                              /* fdlimit .. vm_swap */
	put_kernel_str(&r, t->comm);                       /* comm */
	put_cgroups(&r, t);                                /* cgroups */
	unsigned long es = BPF_CORE_READ(mm, env_start);
	unsigned long ee = BPF_CORE_READ(mm, env_end);
	put_user_bytes(&r, (void *)es, ee > es ? ee - es : 0); /* env */
	put_u32(&r, task_tty(t));                          /* tty */
	put_s64(&r, pid_nr_in_ns(task_pgid_pid(t)));       /* vpgid */
	put_u32(&r, BPF_CORE_READ(t, loginuid.val));       /* loginuid */
	put_u32(&r, exe_flags(exe, cred));                 /* flags */
	put_u64(&r, BPF_CORE_READ(cred, cap_inheritable.val)); /* cap_inheritable */
	put_u64(&r, BPF_CORE_READ(cred, cap_permitted.val));   /* cap_permitted */
	put_u64(&r, BPF_CORE_READ(cred, cap_effective.val));   /* cap_effective */
	struct inode *inode = BPF_CORE_READ(exe, f_inode);
	put_u64(&r, inode ? BPF_CORE_READ(inode, i_ino) : 0);  /* exe_ino */
	__u64 ctime = 0, mtime = 0;
	if (inode && bpf_core_field_exists(inode->i_ctime_sec)) {
		ctime = BPF_CORE_READ(inode, i_ctime_sec) * 1000000000ULL +
			BPF_CORE_READ(inode, i_ctime_nsec);
		mtime = BPF_CORE_READ(inode, i_mtime_sec) * 1000000000ULL +
			BPF_CORE_READ(inode, i_mtime_nsec);
	}
	put_u64(&r, ctime);                                /* exe_ino_ctime */
	put_u64(&r, mtime);                                /* exe_ino_mtime */
	put_u32(&r, BPF_CORE_READ(cred, euid.val));        /* uid */
	struct path exe_path;
	bpf_probe_read_kernel(&exe_path, sizeof(exe_path), &exe->f_path);
	if (exe)
		put_path(&r, &exe_path);                   /* trusted_exepath */
	else
		put_empty(&r);
	struct pid *pg = task_pgid_pid(t);
	put_s64(&r, pg ? BPF_CORE_READ(pg, numbers[0].nr) : 0); /* pgid */
	put_u32(&r, BPF_CORE_READ(cred, egid.val));        /* gid */
	put_kernel_str(&r, BPF_CORE_READ(bprm, filename)); /* filename */
	rec_submit(&r, BPF_CORE_READ(t, pid), BPF_CORE_READ(t, tgid), 0);
	return 0;
}

// ---- socket tuples -------------------------------------------------------------------------------

/* Falco's tuple encoding: family u8, then local addr/port, remote addr/port (ports in host order);
 * for unix sockets: family, two 64-bit socket ids and the peer's path. */
static __always_inline void put_tuple(struct rec *r, struct task_struct *t, long fd,
				      const void *uaddr)
{
	struct file *f = fd_file_portable(t, fd);
	struct socket *sock = f ? BPF_CORE_READ(f, private_data) : NULL;
	struct sock *sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	__u32 off = r->off;
	if (!sk || off >= DATA_LIMIT) {
		put_empty(r);
		return;
	}
	__u8 *p = r->buf + MASK(off, DATA_LIMIT - 1);
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	struct inet_sock *inet = (struct inet_sock *)sk;
	if (family == AF_INET) {
		p[0] = AF_INET;
		*(__u32 *)(p + 1) = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		*(__u16 *)(p + 5) = bpf_ntohs(BPF_CORE_READ(inet, inet_sport));
		*(__u32 *)(p + 7) = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		*(__u16 *)(p + 11) = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		put_len(r, 13);
		r->off = off + 13;
	} else if (family == AF_INET6) {
		p[0] = AF_INET6;
		/* the destination's type gives the size read: all 16 bytes, not one */
		BPF_CORE_READ_INTO((struct in6_addr *)(p + 1), sk, __sk_common.skc_v6_rcv_saddr);
		*(__u16 *)(p + 17) = bpf_ntohs(BPF_CORE_READ(inet, inet_sport));
		BPF_CORE_READ_INTO((struct in6_addr *)(p + 19), sk, __sk_common.skc_v6_daddr);
		*(__u16 *)(p + 35) = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		put_len(r, 37);
		r->off = off + 37;
	} else if (family == AF_UNIX) {
		p[0] = AF_UNIX;
		*(__u64 *)(p + 1) = (__u64)sk;
		struct sock *peer = BPF_CORE_READ((struct unix_sock *)sk, peer);
		*(__u64 *)(p + 9) = (__u64)peer;
		long n = 0;
		if (uaddr)
			n = bpf_probe_read_user_str(p + 17, 108, uaddr + 2);
		if (n <= 1 && peer) {
			struct unix_address *addr = BPF_CORE_READ((struct unix_sock *)peer, addr);
			if (addr) {
				int alen = BPF_CORE_READ(addr, len);
				if (alen > 2)
					n = bpf_probe_read_kernel_str(p + 17, 108, (void *)addr->name + 2);
			}
		}
		__u32 plen = n > 1 ? n - 1 : 0;
		put_len(r, 17 + plen);
		r->off = off + 17 + plen;
	} else {
		put_empty(r);
	}
}

/* A user sockaddr in Falco's encoding: family u8, then addr + port (host order) or a path. */
static __always_inline void put_sockaddr(struct rec *r, const void *uaddr, __u32 alen)
{
	__u32 off = r->off;
	__u16 family = 0;
	if (!uaddr || alen < 2 || off >= DATA_LIMIT ||
	    bpf_probe_read_user(&family, sizeof(family), uaddr) != 0) {
		put_empty(r);
		return;
	}
	__u8 *p = r->buf + MASK(off, DATA_LIMIT - 1);
	if (family == AF_INET && alen >= 8) {
		struct sockaddr_in in = {};
		bpf_probe_read_user(&in, sizeof(in), uaddr);
		p[0] = AF_INET;
		*(__u32 *)(p + 1) = in.sin_addr.s_addr;
		*(__u16 *)(p + 5) = bpf_ntohs(in.sin_port);
		put_len(r, 7);
		r->off = off + 7;
	} else if (family == AF_INET6 && alen >= 24) {
		struct sockaddr_in6 in6 = {};
		bpf_probe_read_user(&in6, sizeof(in6), uaddr);
		p[0] = AF_INET6;
		__builtin_memcpy(p + 1, &in6.sin6_addr, 16);
		*(__u16 *)(p + 17) = bpf_ntohs(in6.sin6_port);
		put_len(r, 19);
		r->off = off + 19;
	} else if (family == AF_UNIX) {
		p[0] = AF_UNIX;
		long n = bpf_probe_read_user_str(p + 1, 108, uaddr + 2);
		__u32 plen = n > 1 ? n - 1 : 0;
		put_len(r, 1 + plen);
		r->off = off + 1 + plen;
	} else {
		p[0] = (__u8)family;
		put_len(r, 1);
		r->off = off + 1;
	}
}

// ---- syscall exits --------------------------------------------------------------------------------

/* The saved user registers: direct loads through sys_exit's BTF-typed `regs`, no helper call. */
#define ARG0 (regs->di)
#define ARG1 (regs->si)
#define ARG2 (regs->dx)
#define ARG3 (regs->r10)
#define ARG4 (regs->r8)
#define ARG5 (regs->r9)

/* Where an open record's path went, for the open filter. */
struct open_info {
	__u32 poff;
	__u32 plen;
	__u32 flags;
	int reg;
};

static __always_inline void open_like(struct rec *r, struct task_struct *t, long ret,
				      const void *name, __u32 flags, __u32 mode, int with_dirfd,
				      long dirfd, struct open_info *oi, const int fast)
{
	__u64 dev = 0, ino = 0;
	oi->reg = 0;
	if (ret >= 0)
		flags = open_flags(r, t, ret, flags, &dev, &ino, &oi->reg, fast);
	oi->flags = flags;
	put_s64(r, ret); /* fd */
	if (with_dirfd)
		put_s64(r, dirfd);
	oi->poff = r->off;
	put_user_str(r, name);
	oi->plen = r->off - oi->poff;
	put_u32(r, flags);
	put_u32(r, mode);
	if (with_dirfd == 2) /* openat2: resolve */
		put_u32(r, 0);
	put_u32(r, (__u32)dev);
	put_u64(r, ino);
}

/* A pair of fds written by the kernel into a user int[2] (pipe, socketpair). */
static __always_inline void put_fd_pair(struct rec *r, const void *uptr, int fds[2])
{
	if (uptr)
		bpf_probe_read_user(fds, 2 * sizeof(int), uptr);
	put_s64(r, fds[0]);
	put_s64(r, fds[1]);
}

// ---- the open filter -------------------------------------------------------------------------------

struct path_scan {
	__u8 *buf;
	__u32 off;
	__u32 last; /* index of the last '/' */
	__u32 seg;  /* length of the current component */
	__u32 dots; /* dots in it */
	__u32 bad;  /* relative or not normalised */
	__u32 dotdot; /* contains "../" */
	__u8 p1, p2;  /* the previous two bytes */
};

static long path_scan_step(__u32 i, void *ctx)
{
	struct path_scan *s = ctx;
	__u8 ch = s->buf[MASK(s->off + i, DATA_LIMIT - 1)];
	if (ch == '/') {
		/* "//", "/./" and "/../" are not normalised */
		if (i > 0 && (s->seg == 0 || (s->dots == s->seg && s->seg <= 2))) {
			s->bad = 1;
			return 1;
		}
		if (s->p1 == '.' && s->p2 == '.')
			s->dotdot = 1;
		s->last = i;
		s->seg = 0;
		s->dots = 0;
		s->p2 = s->p1;
		s->p1 = ch;
		return 0;
	}
	s->p2 = s->p1;
	s->p1 = ch;
	if (i == 0) {
		s->bad = 1; /* relative */
		return 1;
	}
	s->seg++;
	if (ch == '.')
		s->dots++;
	return 0;
}

static __always_inline void quiet_key_of(struct quiet_key *k, struct task_struct *t, long fd)
{
	k->tgid = t->tgid;
	k->fd = (__u32)fd;
	k->start = t->group_leader->start_time;
}

/* A new fd `fd` was reported: it is not a quiet one (any more). */
static __always_inline void forget_fd(struct vigil_config *c, struct task_struct *t, long fd)
{
	if (!(c->open_filter & OF_ON) || fd < 0)
		return;
	struct quiet_key k;
	quiet_key_of(&k, t, fd);
	bpf_map_delete_elem(&vigil_quiet_fds, &k);
}

/* If `fd` is a quiet one, send its open's record now (and forget it): an event naming it follows. */
static __always_inline void flush_fd(struct vigil_config *c, struct task_struct *t, long fd)
{
	if (!(c->open_filter & OF_ON) || fd < 0)
		return;
	struct quiet_key k;
	quiet_key_of(&k, t, fd);
	__u8 *v = bpf_map_lookup_elem(&vigil_quiet_fds, &k);
	if (!v)
		return;
	__u32 stored = *(__u32 *)v;
	if (stored >= HEADER && stored < QUIET_REC) {
		if (bpf_ringbuf_output(&vigil_events, v, MASK(stored, QUIET_REC - 1),
				       BPF_RB_NO_WAKEUP) == 0)
			count(0);
		else
			count(1);
	}
	bpf_map_delete_elem(&vigil_quiet_fds, &k);
}

/* 1 when the close of `fd` is not to be sent: its open was not. */
static __always_inline int quiet_close(struct task_struct *t, long fd)
{
	struct quiet_key k;
	quiet_key_of(&k, t, (int)fd);
	if (bpf_map_delete_elem(&vigil_quiet_fds, &k) != 0)
		return 0;
	count(3);
	return 1;
}

/* 1 when the open just built in `r` is not to be sent: no loaded rule can match it. */
static __always_inline int quiet_open(struct rec *r, struct vigil_config *c, struct task_struct *t,
				      long ret, struct open_info *oi)
{
	__u32 of = c->open_filter;
	if (!(of & OF_ON))
		return 0;
	if (ret >= 0 && !oi->reg)
		goto sent;
	__u32 acc = oi->flags & 3;
	__u32 cls = acc == 0 ? OF_READ : acc == 1 ? OF_WRITE : acc == 2 ? OF_READ | OF_WRITE : OF_OTHER;
	if (of & cls)
		goto sent;
	__u32 plen = oi->plen;
	__u32 poff = oi->poff;
	if (plen == 0 || plen >= PATH_KEY || poff >= DATA_LIMIT)
		goto sent;
	struct path_scan ps = {.buf = r->buf, .off = poff};
	bpf_loop(plen, path_scan_step, &ps, 0);
	if (ps.bad || (ps.seg == 0 && plen > 1) || (ps.seg > 0 && ps.dots == ps.seg && ps.seg <= 2))
		goto sent;
	if (ps.dotdot && ((of >> OF_DOTDOT_SHIFT) & cls))
		goto sent;
	if (of & OF_PATHS) {
		struct open_key *k = r->okey;
		k->prefixlen = (plen + 1) * 8;
		bpf_probe_read_kernel(k->data, MASK(plen, PATH_KEY - 1),
				      r->buf + MASK(poff, DATA_LIMIT - 1));
		k->data[MASK(plen, PATH_KEY - 1)] = 0;
		__u32 *v = bpf_map_lookup_elem(&vigil_open_paths, k);
		if (v && (*v & cls))
			goto sent;
	}
	if (of & OF_NAMES) {
		__u32 nlen = plen - ps.last - 1;
		if (nlen == 0 || nlen >= NAME_KEY)
			goto sent;
		__u64 *z = (__u64 *)r->name;
		for (int k = 0; k < NAME_KEY / 8; k++)
			z[k] = 0;
		bpf_probe_read_kernel(r->name, MASK(nlen, NAME_KEY - 1),
				      r->buf + MASK(poff + ps.last + 1, DATA_LIMIT - 1));
		__u32 *v = bpf_map_lookup_elem(&vigil_open_names, r->name);
		if (v && (*v & cls))
			goto sent;
	}
	if (ret >= 0) {
		/* keep the record, in case a later event names the fd */
		if (r->off >= QUIET_REC)
			goto sent;
		if (rec_finish(r, c, t->pid, t->tgid, ret) == 0)
			goto sent;
		struct quiet_key k;
		quiet_key_of(&k, t, ret);
		if (bpf_map_update_elem(&vigil_quiet_fds, &k, r->buf, BPF_ANY) != 0)
			goto sent;
	}
	count(3);
	return 1;
sent:
	forget_fd(c, t, ret);
	return 0;
}

static __always_inline int sys_exit(struct pt_regs *regs, long ret, const int fast)
{
	/* runs on every syscall exit on the machine: the syscall number (a direct load) and one
	 * inlined array lookup decide before anything else */
	long nr = regs->orig_ax;
	__u16 code = code_of(nr);
	if (!code)
		return 0;
	struct task_struct *t = bpf_get_current_task_btf();
	struct vigil_config *c = cfg();
	if (!c || t->tgid == c->self_tgid)
		return 0;
	__u16 vcode = code - 1;
	struct rec r;
	struct open_info oi;
	int pair[2] = {-1, -1};

	if (c->open_filter & OF_ON) {
		/* a kept-back open goes out before any reported event that names its fd */
		switch (nr) {
		case __NR_renameat:
		case __NR_renameat2:
		case __NR_linkat:
			flush_fd(c, t, (int)ARG2);
			/* fallthrough */
		case __NR_read:
		case __NR_write:
		case __NR_dup:
		case __NR_dup2:
		case __NR_dup3:
		case __NR_fcntl:
		case __NR_fchdir:
		case __NR_fchmod:
		case __NR_fchmodat:
		case __NR_fchmodat2:
		case __NR_fchown:
		case __NR_fchownat:
		case __NR_openat:
		case __NR_openat2:
		case __NR_unlinkat:
		case __NR_mkdirat:
		case __NR_execveat:
		case __NR_finit_module:
		case __NR_setns:
		case __NR_signalfd:
		case __NR_signalfd4:
		case __NR_connect:
		case __NR_bind:
		case __NR_listen:
		case __NR_accept:
		case __NR_accept4:
		case __NR_sendto:
		case __NR_sendmsg:
		case __NR_recvfrom:
		case __NR_recvmsg:
		case __NR_ioctl:
		case __NR_pread64:
		case __NR_pwrite64:
		case __NR_readv:
		case __NR_writev:
		case __NR_sendfile:
		case __NR_fstat:
		case __NR_newfstatat:
		case __NR_statx:
		case __NR_ftruncate:
		case __NR_fsync:
		case __NR_flock:
		case __NR_fsetxattr:
		case __NR_fgetxattr:
		case __NR_copy_file_range:
		case __NR_splice:
		case __NR_lseek:
			flush_fd(c, t, (int)ARG0);
			break;
		case __NR_symlinkat:
			flush_fd(c, t, (int)ARG1);
			break;
		}
	}

	switch (nr) {
	case __NR_open:
		if (rec_begin(&r, vcode, 6))
			return 0;
		open_like(&r, t, ret, (void *)ARG0, ARG1, ARG2, 0, 0, &oi, fast);
		if (quiet_open(&r, c, t, ret, &oi))
			return 0;
		break;
	case __NR_openat:
		if (rec_begin(&r, vcode, 7))
			return 0;
		open_like(&r, t, ret, (void *)ARG1, ARG2, ARG3, 1, (int)ARG0, &oi, fast);
		if (quiet_open(&r, c, t, ret, &oi))
			return 0;
		break;
	case __NR_openat2: {
		if (rec_begin(&r, vcode, 8))
			return 0;
		__u64 how[3] = {};
		bpf_probe_read_user(how, sizeof(how), (void *)ARG2);
		__u64 dev = 0, ino = 0;
		oi.reg = 0;
		__u32 flags = ret >= 0 ? open_flags(&r, t, ret, how[0], &dev, &ino, &oi.reg, fast) : how[0];
		oi.flags = flags;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		oi.poff = r.off;
		put_user_str(&r, (void *)ARG1);
		oi.plen = r.off - oi.poff;
		put_u32(&r, flags);
		put_u32(&r, how[1]);
		put_u32(&r, how[2]);
		put_u32(&r, (__u32)dev);
		put_u64(&r, ino);
		if (quiet_open(&r, c, t, ret, &oi))
			return 0;
		break;
	}
	case __NR_creat: {
		if (rec_begin(&r, vcode, 6))
			return 0;
		__u64 dev = 0, ino = 0;
		int reg = 0;
		__u32 flags = ret >= 0 ? open_flags(&r, t, ret, 0, &dev, &ino, &reg, fast) : 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		put_u32(&r, ARG1);
		put_u32(&r, (__u32)dev);
		put_u64(&r, ino);
		put_u16(&r, ((flags & VIGIL_O_F_CREATED) ? 1 : 0) | ((flags & VIGIL_FD_UPPER_LAYER) ? 2 : 0));
		break;
	}
	case __NR_close:
		if (c->open_filter & OF_CLOSES)
			flush_fd(c, t, (int)ARG0);
		else if ((c->open_filter & OF_ON) && quiet_close(t, (int)ARG0))
			return 0;
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		break;
	case __NR_read:
	case __NR_write:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_empty(&r);
		put_s64(&r, (int)ARG0);
		put_u32(&r, ARG2);
		break;
	case __NR_dup:
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		break;
	case __NR_dup2:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_s64(&r, (int)ARG1);
		break;
	case __NR_dup3:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_s64(&r, (int)ARG1);
		put_u32(&r, ARG2);
		break;
	case __NR_fcntl: {
		long cmd = ARG1;
		if (cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC)
			return 0; /* only the fd-creating commands matter */
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_u8(&r, cmd == F_DUPFD ? 1 : 14); /* Falco's F_DUPFD / F_DUPFD_CLOEXEC codes */
		put_u64(&r, ARG2);
		break;
	}
	case __NR_socket:
		if (rec_begin(&r, vcode, 5))
			return 0;
		put_s64(&r, ret);
		put_u32(&r, ARG0);
		put_u32(&r, ARG1);
		put_u32(&r, ARG2);
		put_empty(&r);
		break;
	case __NR_socketpair:
		if (rec_begin(&r, vcode, 8))
			return 0;
		put_s64(&r, ret);
		put_fd_pair(&r, (void *)ARG3, pair);
		put_empty(&r);
		put_empty(&r);
		put_u32(&r, ARG0);
		put_u32(&r, ARG1);
		put_u32(&r, ARG2);
		break;
	case __NR_connect:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		if (ret == 0 || ret == -EINPROGRESS)
			put_tuple(&r, t, (int)ARG0, (void *)ARG1);
		else
			put_empty(&r);
		put_s64(&r, (int)ARG0);
		put_sockaddr(&r, (void *)ARG1, ARG2);
		break;
	case __NR_accept:
	case __NR_accept4:
		if (rec_begin(&r, vcode, nr == __NR_accept4 ? 6 : 5))
			return 0;
		put_s64(&r, ret);
		if (ret >= 0)
			put_tuple(&r, t, ret, NULL);
		else
			put_empty(&r);
		put_empty(&r);
		put_empty(&r);
		put_empty(&r);
		if (nr == __NR_accept4)
			put_u32(&r, ARG3);
		break;
	case __NR_bind:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_sockaddr(&r, (void *)ARG1, ARG2);
		put_s64(&r, (int)ARG0);
		break;
	case __NR_listen:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_u32(&r, ARG1);
		break;
	case __NR_sendto:
	case __NR_sendmsg:
		if (rec_begin(&r, vcode, 5))
			return 0;
		put_s64(&r, ret);
		put_empty(&r);
		put_s64(&r, (int)ARG0);
		put_u32(&r, nr == __NR_sendto ? ARG2 : 0);
		put_tuple(&r, t, (int)ARG0, NULL);
		break;
	case __NR_recvfrom:
		if (rec_begin(&r, vcode, 5))
			return 0;
		put_s64(&r, ret);
		put_empty(&r);
		put_tuple(&r, t, (int)ARG0, NULL);
		put_s64(&r, (int)ARG0);
		put_u32(&r, ARG2);
		break;
	case __NR_recvmsg:
		if (rec_begin(&r, vcode, 6))
			return 0;
		put_s64(&r, ret);
		put_empty(&r);
		put_empty(&r);
		put_tuple(&r, t, (int)ARG0, NULL);
		put_empty(&r);
		put_s64(&r, (int)ARG0);
		break;
	case __NR_pipe:
	case __NR_pipe2:
		if (rec_begin(&r, vcode, nr == __NR_pipe2 ? 5 : 4))
			return 0;
		put_s64(&r, ret);
		put_fd_pair(&r, (void *)ARG0, pair);
		put_empty(&r);
		if (nr == __NR_pipe2)
			put_u32(&r, ARG1);
		break;
	case __NR_eventfd:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_u64(&r, ARG0);
		put_u32(&r, 0);
		break;
	case __NR_eventfd2:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_u16(&r, ARG1);
		put_u64(&r, ARG0);
		break;
	case __NR_signalfd:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_u32(&r, 0);
		put_u8(&r, 0);
		break;
	case __NR_signalfd4:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_u16(&r, ARG3);
		put_s64(&r, (int)ARG0);
		put_u32(&r, 0);
		break;
	case __NR_timerfd_create:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_u8(&r, ARG0);
		put_u8(&r, ARG1);
		break;
	case __NR_inotify_init:
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_u8(&r, 0);
		break;
	case __NR_inotify_init1:
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_u16(&r, ARG0);
		break;
	case __NR_memfd_create:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		put_u32(&r, ARG1);
		break;
	case __NR_userfaultfd:
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_u32(&r, ARG0);
		break;
	case __NR_bpf:
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_u32(&r, ARG0);
		break;
	case __NR_execve:
	case __NR_execveat:
		/* successful execs are reported by sched_process_exec with the new image */
		if (ret == 0)
			return 0;
		if (rec_begin(&r, vcode, 31))
			return 0;
		put_s64(&r, ret);
		for (int k = 0; k < 29; k++)
			put_empty(&r);
		put_user_str(&r, (void *)(nr == __NR_execve ? ARG0 : ARG1)); /* filename */
		break;
	case __NR_chdir:
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		break;
	case __NR_fchdir:
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		break;
	case __NR_chroot:
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		break;
	case __NR_ptrace:
		if (rec_begin(&r, vcode, 5))
			return 0;
		put_s64(&r, ret);
		put_empty(&r);
		put_empty(&r);
		put_u16(&r, ARG0);
		put_s64(&r, (int)ARG1);
		break;
	case __NR_kill:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_u8(&r, ARG1);
		break;
	case __NR_unlink:
	case __NR_rmdir:
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		break;
	case __NR_unlinkat:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_user_str(&r, (void *)ARG1);
		put_u32(&r, ARG2);
		break;
	case __NR_mkdir:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		put_u32(&r, ARG1);
		break;
	case __NR_mkdirat:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_user_str(&r, (void *)ARG1);
		put_u32(&r, ARG2);
		break;
	case __NR_rename:
	case __NR_link:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		put_user_str(&r, (void *)ARG1);
		break;
	case __NR_renameat:
	case __NR_renameat2:
	case __NR_linkat:
		if (rec_begin(&r, vcode, nr == __NR_renameat ? 5 : 6))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_user_str(&r, (void *)ARG1);
		put_s64(&r, (int)ARG2);
		put_user_str(&r, (void *)ARG3);
		if (nr != __NR_renameat)
			put_u32(&r, ARG4);
		break;
	case __NR_symlink:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		put_user_str(&r, (void *)ARG1);
		break;
	case __NR_symlinkat:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		put_s64(&r, (int)ARG1);
		put_user_str(&r, (void *)ARG2);
		break;
	case __NR_chmod:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		put_u32(&r, ARG1);
		break;
	case __NR_fchmod:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_u32(&r, ARG1);
		break;
	case __NR_fchmodat:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_user_str(&r, (void *)ARG1);
		put_u32(&r, ARG2);
		break;
	case __NR_setuid:
	case __NR_setgid:
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_u32(&r, ARG0);
		break;
	case __NR_setreuid:
	case __NR_setregid:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_u32(&r, ARG0);
		put_u32(&r, ARG1);
		break;
	case __NR_setresuid:
	case __NR_setresgid:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_u32(&r, ARG0);
		put_u32(&r, ARG1);
		put_u32(&r, ARG2);
		break;
	case __NR_capset: {
		if (rec_begin(&r, vcode, 4))
			return 0;
		const struct cred *cred = BPF_CORE_READ(t, cred);
		put_s64(&r, ret);
		put_u64(&r, BPF_CORE_READ(cred, cap_inheritable.val));
		put_u64(&r, BPF_CORE_READ(cred, cap_permitted.val));
		put_u64(&r, BPF_CORE_READ(cred, cap_effective.val));
		break;
	}
	case __NR_mount:
		if (rec_begin(&r, vcode, 5))
			return 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		put_user_str(&r, (void *)ARG1);
		put_user_str(&r, (void *)ARG2);
		put_u32(&r, ARG3);
		break;
	case __NR_umount2:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_user_str(&r, (void *)ARG0);
		put_u32(&r, ARG1);
		break;
	case __NR_init_module:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_empty(&r);
		put_u64(&r, ARG1);
		put_user_str(&r, (void *)ARG2);
		break;
	case __NR_finit_module:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_user_str(&r, (void *)ARG1);
		put_u32(&r, ARG2);
		break;
	case __NR_setns:
		if (rec_begin(&r, vcode, 3))
			return 0;
		put_s64(&r, ret);
		put_s64(&r, (int)ARG0);
		put_u32(&r, ARG1);
		break;
	case __NR_unshare:
		if (rec_begin(&r, vcode, 2))
			return 0;
		put_s64(&r, ret);
		put_u32(&r, ARG0);
		break;
	case __NR_prctl:
		if (rec_begin(&r, vcode, 4))
			return 0;
		put_s64(&r, ret);
		put_u32(&r, ARG0);
		put_empty(&r);
		put_s64(&r, ARG1);
		break;
	default:
		/* a wanted syscall without an encoder: the result only */
		if (rec_begin(&r, vcode, 1))
			return 0;
		put_s64(&r, ret);
		break;
	}
	if ((c->open_filter & OF_ON) && ret >= 0) {
		/* a reported new fd is not a quiet one, whatever was at its number before */
		switch (nr) {
		case __NR_creat:
		case __NR_dup:
		case __NR_dup2:
		case __NR_dup3:
		case __NR_fcntl:
		case __NR_socket:
		case __NR_accept:
		case __NR_accept4:
		case __NR_eventfd:
		case __NR_eventfd2:
		case __NR_signalfd:
		case __NR_signalfd4:
		case __NR_timerfd_create:
		case __NR_inotify_init:
		case __NR_inotify_init1:
		case __NR_memfd_create:
		case __NR_userfaultfd:
		case __NR_bpf:
			forget_fd(c, t, ret);
			break;
		case __NR_pipe:
		case __NR_pipe2:
		case __NR_socketpair:
			forget_fd(c, t, pair[0]);
			forget_fd(c, t, pair[1]);
			break;
		}
	}
	rec_submit(&r, t->pid, t->tgid, ret);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_sys_exit, struct pt_regs *regs, long ret)
{
	return sys_exit(regs, ret, 1);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_sys_exit_portable, struct pt_regs *regs, long ret)
{
	return sys_exit(regs, ret, 0);
}
