/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The msfuzz runtime: what executes a program of mm operations.
 *
 * "msfuzz run" and every C reproducer that "msfuzz c" writes use this same
 * code: the reproducer is these rt*.c files pasted together, followed by
 * the program as a table of struct rt_op.  So nothing here may depend on
 * the rest of msfuzz, and no two rt*.c files may define a static of the
 * same name.
 *
 * A program is a list of operations, each executed by one of the processes
 * p0..p15.  A coordinator (the process that called rt_run()) forks p0 and
 * hands out the operations one at a time in program order; the process
 * whose turn it is runs it and reports back (rt_coord.c, rt_proc.c).  "fork"
 * creates a process, which inherits its parent's mappings.  Mappings are
 * named by handles m1..m255; every process keeps its own view of each
 * handle (address, length, backing file) in the shared control block, so
 * that one process can name another one's memory (process_madvise,
 * move_pages, split_huge_pages).
 */
#ifndef MSFUZZ_RT_H
#define MSFUZZ_RT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <linux/types.h>
#include <sys/types.h>

#define RT_MAXPROC	16
#define RT_MAXH		256		/* handles m1..m255 */
#define RT_PAGE		4096UL
#define RT_HPAGE	(2UL << 20)
/*
 * Handle mN is created at RT_BASE + N * RT_SLOT: the same address every
 * run.  A mapping is at most RT_MAXLEN long, but those of the 1 GiB types
 * (hugetlb-1g, dax-1g), which are exactly RT_SLOT long: they fill their
 * slot, RT_BASE being 1 GiB aligned.  A range (or mremap's new length) is
 * at most RT_SLOT, and no new range may leave its slot (prog.c).
 */
#define RT_MAXLEN	(512UL << 20)
#define RT_BASE		0x200000000000UL
#define RT_SLOT		0x40000000UL	/* 1 GiB */
#define RT_MTHP_SKEW	0x10000UL	/* anon-mthp starts 64 KiB into its slot */
/* argv[1] of the image an "exec" operation runs: it exits at once. */
#define RT_EXEC_ARG	"__msfuzz-exec-exit"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* The operations; msfuzz's text names are these, lower case, '_' -> '-'. */
enum rt_verb {
	RT_V_NONE,
	RT_V_MAP,
	RT_V_MUNMAP,
	RT_V_MPROTECT,
	RT_V_MADVISE,
	RT_V_MREMAP,
	RT_V_MLOCK,
	RT_V_MUNLOCK,
	RT_V_WRITE,
	RT_V_READ,
	RT_V_FORK,
	RT_V_EXIT,
	RT_V_EXEC,
	RT_V_PMADVISE,
	RT_V_MIGRATE,
	RT_V_MBIND,
	RT_V_UFFD_COPY,
	RT_V_UFFD_ZERO,
	RT_V_UFFD_MOVE,
	RT_V_PUNCH,
	RT_V_TRUNCATE,
	RT_V_SPLIT,
	RT_V_COMPACT,
	RT_V_DROPCACHES,
	RT_V_SLEEP,
	RT_V_INJECT,	/* test only, never generated: tests/kmod/ms_inject */
	RT_V_NR
};

/* Mapping types of "map" (the same naming rule). */
enum rt_type {
	RT_T_ANON,		/* private anonymous, MADV_NOHUGEPAGE */
	RT_T_ANON_THP,		/* private anonymous, MADV_HUGEPAGE, 2 MiB aligned */
	RT_T_ANON_MTHP,		/* MADV_HUGEPAGE, 64 KiB into a 2 MiB slot */
	RT_T_ANON_SHARED,	/* MAP_SHARED | MAP_ANONYMOUS */
	RT_T_ANON_KSM,		/* private anonymous, same bytes, MADV_MERGEABLE */
	RT_T_MEMFD,
	RT_T_MEMFD_HUGE,	/* MFD_HUGETLB, 2 MiB pages */
	RT_T_SHMEM,		/* a file on $MSFUZZ_TMPFS or /dev/shm */
	RT_T_SHMEM_HUGE,	/* a file on $MSFUZZ_TMPFS_HUGE (huge=...) */
	RT_T_FILE,		/* a file on $MSFUZZ_FILEDIR (or /var/tmp) */
	RT_T_HUGETLB,		/* MAP_HUGETLB */
	RT_T_DAX,		/* the device $MSFUZZ_DAX */
	/* Appended: the generator's draws for the others stay the same. */
	RT_T_HUGETLB_1G,	/* MAP_HUGETLB | MAP_HUGE_1GB */
	RT_T_DAX_1G,		/* the device $MSFUZZ_DAX_1G, 1 GiB aligned */
	RT_T_NR
};

/* inject's faults, as tests/kmod/ms_inject names them (prog.c). */
#define RT_INJECT_NR 2
extern const char * const rt_inject_modes[RT_INJECT_NR];

/* rt_op.flags */
#define RT_F_SHARED	0x1	/* map: MAP_SHARED (file-backed types) */
#define RT_F_PRIVATE	0x2	/* map: MAP_PRIVATE */
#define RT_F_ONFAULT	0x4	/* mlock: MLOCK_ONFAULT */
#define RT_F_ORDER	0x8	/* split: arg is the new order */
#define RT_F_DEFAULT	0x10	/* mbind: MPOL_DEFAULT instead of a node */
/* mremap modes, in rt_op.flags >> 5 */
#define RT_MR_SHIFT	5
#define RT_MR_INPLACE	0
#define RT_MR_MAYMOVE	1
#define RT_MR_FIXED	2
#define RT_MR_DONTUNMAP	3

/*
 * One operation.  Which fields count depends on the verb (msfuzz's
 * README.md has the grammar): h/off/len the range "mH +OFF LEN", h2/off2
 * the second one (uffd-move's source, mremap's new handle and its offset),
 * len2 mremap's new length, proc2 the other process (fork's child, the
 * target of pmadvise, migrate and split), arg the advice, protection,
 * node, byte, order, milliseconds or drop_caches value.
 */
struct rt_op {
	unsigned char verb, proc, proc2, h, h2, type, flags;
	int arg;
	unsigned long off, len, off2, len2;
	const char *text;	/* the line, for the log */
};

/* Results of an operation: 0, -errno, or one of these. */
#define RT_R_SEGV	1	/* an access took SIGSEGV */
#define RT_R_BUS	2	/* an access took SIGBUS */
#define RT_R_SKIP	3	/* not available here: not counted as run */
#define RT_R_NOHANDLE	4	/* the process has no such handle */
#define RT_R_BUDGET	5	/* would exceed MSFUZZ_MAXMEM */
#define RT_R_DEAD	6	/* its process is gone: not run */
#define RT_R_TIMEOUT	7	/* ran past MSFUZZ_OP_TIMEOUT: killed */
#define RT_R_DIED	8	/* its process died while running it */

/* One process's view of one handle; addr 0: the process has none. */
struct rt_handle {
	unsigned long addr, len;	/* len: extent; the budget: rt_cost() */
	unsigned long pgoff, fsize;	/* file offset of addr, file's size */
	int fd;				/* backing file, -1 if none */
	unsigned char type;
};

/* Shared by the coordinator and every process (MAP_SHARED). */
struct rt_ctl {
	__u64 cmd;		/* seq << 32 | proc << 24 | op index */
	__u32 seq;		/* futex word: the low half of cmd's seq */
	__u32 done;		/* seq of the last finished command */
	__s32 res;		/* its result */
	__u32 nsys;		/* syscalls it made */
	pid_t pid[RT_MAXPROC];	/* 0: not (or no longer) running */
	__u64 mem[RT_MAXPROC], mem_total, mem_max;
	signed char madv[128];	/* advice supported: 0 unknown, 1 yes, -1 no */
	struct rt_handle h[RT_MAXPROC][RT_MAXH];
};

extern struct rt_ctl *rt_ctl;
extern int rt_me;			/* this process's number */
extern unsigned long rt_nsys;		/* syscalls made by operations */
extern const struct rt_op *rt_ops;
extern int rt_nops;

/* Count one syscall made on behalf of an operation. */
#define RT_SYS(e)	(rt_nsys++, (e))

/* rt_coord.c: run @n operations; the exit status for main(). */
int rt_run(const struct rt_op *ops, int n, bool verbose);
/* rt_proc.c */
void rt_proc_main(int me, int done_fd, int life_fd);	/* never returns */
int rt_do(const struct rt_op *op);
/* rt_map.c */
int rt_map(const struct rt_op *op);
struct rt_handle *rt_handle(int proc, int h);
unsigned long rt_slot(int h);
bool rt_budget(int proc, unsigned long bytes);
void rt_unbudget(int proc, unsigned long bytes);
void rt_forget(int proc, struct rt_handle *hd);
bool rt_type_1g(int type);
unsigned long rt_maxlen(int type);
unsigned long rt_cost(int type, unsigned long len);
/* rt_vma.c */
int rt_vma_op(const struct rt_op *op);
bool rt_advice_ok(int advice);
/* rt_touch.c */
void rt_touch_init(void);
int rt_touch(const struct rt_op *op);
/* rt_numa.c */
int rt_numa_op(const struct rt_op *op);
/* rt_uffd.c */
int rt_uffd_op(const struct rt_op *op);
/* rt_sys.c */
int rt_sys_op(const struct rt_op *op);
/* rt_util.c */
const char *rt_result_name(int res, char *buf, unsigned long size);
unsigned long rt_env_size(const char *name, unsigned long def);

#endif /* MSFUZZ_RT_H */
