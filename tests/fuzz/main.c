// SPDX-License-Identifier: GPL-2.0
/*
 * msfuzz: random mm syscall programs, with mapshadow as the oracle.
 *
 *   msfuzz gen -s SEED [-n OPS] [-p MAXPROCS]   print a random program
 *   msfuzz run FILE [-v]                        run one ("-": stdin)
 *   msfuzz c FILE                               print it as a C reproducer
 *   msfuzz min FILE -- CMD [ARGS...]            shrink it while CMD exits 0
 *
 * "run" exits 0 once the program ran, whatever its operations returned:
 * the verdict is mapshadow's and the kernel log's, read by the caller.
 * Exit status 2: usage or a malformed program; 1: msfuzz itself failed.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msfuzz.h"

static int help(FILE *f, int status)
{
	fprintf(f, "usage: msfuzz gen -s SEED [-n OPS] [-p MAXPROCS]\n"
		"       msfuzz run FILE [-v]\n"
		"       msfuzz c FILE\n"
		"       msfuzz min FILE -- CMD [ARGS...]\n"
		"gen: OPS default 200, MAXPROCS default 4 (at most %d); reads\n"
		"     MSFUZZ_MAXMEM, MSFUZZ_HWPOISON=1, MSFUZZ_DAX, MSFUZZ_TMPFS_HUGE,\n"
		"     MSFUZZ_HUGETLB_1G=1, MSFUZZ_DAX_1G\n"
		"run: -v logs every operation and its result (README.md)\n"
		"min: CMD gets the candidate program as its last argument and\n"
		"     in MSFUZZ_PROG, and exits 0 when it still fails\n",
		RT_MAXPROC);
	return status;
}

static bool env_set(const char *name)
{
	const char *e = getenv(name);

	return e && *e && strcmp(e, "0");
}

static bool num_arg(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	*v = strtoul(s, &end, 0);
	return !*end && *v <= max;
}

static int cmd_gen(int argc, char **argv)
{
	struct gen_opts o = { .seed = 1, .nops = 200, .maxprocs = 4 };
	unsigned long v;
	int c;

	while ((c = getopt(argc, argv, "s:n:p:")) != -1) {
		if (c == '?' || !num_arg(optarg, c == 's' ? -1UL :
					 c == 'n' ? 1000000 : RT_MAXPROC, &v))
			return help(stderr, 2);
		if (c == 's')
			o.seed = v;
		else if (c == 'n')
			o.nops = v;
		else
			o.maxprocs = v ? v : 1;
	}
	if (optind != argc)
		return help(stderr, 2);
	o.maxmem = rt_env_size("MSFUZZ_MAXMEM", 256UL << 20);
	o.hwpoison = env_set("MSFUZZ_HWPOISON");
	o.dax = env_set("MSFUZZ_DAX");
	o.shmem_huge = env_set("MSFUZZ_TMPFS_HUGE");
	o.hugetlb_1g = env_set("MSFUZZ_HUGETLB_1G");
	o.dax_1g = env_set("MSFUZZ_DAX_1G");
	return gen_program(&o, stdout) ? 1 : 0;
}

static int cmd_prog(const char *cmd, int argc, char **argv)
{
	bool verbose = false;
	const char *file = NULL;
	struct prog p;
	int i, r;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v") && !strcmp(cmd, "run"))
			verbose = true;
		else if (!file && (argv[i][0] != '-' || !argv[i][1]))
			file = argv[i];
		else
			return help(stderr, 2);
	}
	if (!file)
		return help(stderr, 2);
	if (prog_load(&p, file))
		return 2;
	if (!strcmp(cmd, "run"))
		r = rt_run(p.ops, p.n, verbose);
	else
		r = emit_c(&p, file, stdout) ? 1 : 0;
	prog_free(&p);
	return r;
}

static int cmd_min(int argc, char **argv)
{
	struct prog p;
	int r;

	if (argc < 4 || strcmp(argv[2], "--"))
		return help(stderr, 2);
	if (prog_load(&p, argv[1]))
		return 2;
	r = min_program(&p, argv + 3, stdout);
	prog_free(&p);
	return r;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], RT_EXEC_ARG))
		return 0;	/* the new image of an "exec" operation */
	if (argc < 2)
		return help(stderr, 2);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return help(stdout, 0);
	if (!strcmp(argv[1], "gen"))
		return cmd_gen(argc - 1, argv + 1);
	if (!strcmp(argv[1], "run") || !strcmp(argv[1], "c"))
		return cmd_prog(argv[1], argc - 1, argv + 1);
	if (!strcmp(argv[1], "min"))
		return cmd_min(argc - 1, argv + 1);
	return help(stderr, 2);
}
