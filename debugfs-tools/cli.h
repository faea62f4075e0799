/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the mapshadow CLI's files share: the state read from the module's
 * directory, and the helpers every command uses. Each failure is one line
 * on stderr and an exit status (EXIT_*); see mapshadow.c.
 */
#ifndef MS_CLI_H
#define MS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "ms_parse.h"

#define KERNEL_LOG	"see dmesg | grep mapshadow"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define EXIT_RUNTIME	1
#define EXIT_USAGE	2
#define EXIT_DISAGREE	3

struct stat_list {
	struct ms_stat *v;
	size_t n;
};

/* What was read from the module's directory. */
struct ms_state {
	const char *dir;
	struct stat_list stats;
	struct ms_hook_row *hooks;
	size_t nr_hooks;
	struct ms_finding_row *findings;
	size_t nr_findings;
	struct stat_list scan;
	struct ms_disagree *disagrees;
	size_t nr_disagrees;
};

/* Print "mapshadow: MESSAGE" and exit with EXIT_RUNTIME (or EXIT_USAGE). */
void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...);
void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...);
/* @array of @nr elements of @size, with room for one more. */
void *grow(void *array, size_t nr, size_t size);
/* Fail with the most helpful message when @dir is not usable. */
void check_dir(const char *dir);
/* Read DIR/stats (and DIR/hooks) into @s, after check_dir(). */
void load(struct ms_state *s, bool stats, bool hooks);
/* Read DIR/findings into @s. */
void load_findings(struct ms_state *s);
uint64_t stat_number(const struct ms_state *s, const char *key, uint64_t dflt);
/* A usage error if the command @cmd has arguments. */
void no_args(const char *cmd, int argc, char **argv);
/* DIR/@name opened (its path in @path), or a failure that says why. */
FILE *open_to_read(const struct ms_state *s, const char *name, char *path);
int open_to_write(const struct ms_state *s, const char *name, char *path);
/* Write all of @buf to @fd; returns 0 or an errno value. */
int write_all(int fd, const char *buf, size_t len);
/* Write @verb to DIR/control, or fail with the module's reason. */
void control(const struct ms_state *s, const char *verb);

/* The commands in files of their own. */
int cmd_sites(struct ms_state *s, int argc, char **argv);
int cmd_explain(struct ms_state *s, int argc, char **argv);

#endif /* MS_CLI_H */
