/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for the userspace unit tests, in the spirit of
 * tools/testing/selftests/kselftest.h.
 *
 *	tap_plan(3);			// optional: "1..N" up front
 *	ok(x == 1, "x is one");
 *	is_int(f(2), 4, "f(%d)", 2);
 *	is_str(name, "foo", "name");
 *	return tap_finish();		// "# Totals: pass:N fail:N", 0 or 1
 *
 * Without tap_plan() the plan is printed at the end, which suits
 * table-driven tests. tests/unit/tap-run.sh reads the Totals line.
 */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static unsigned int tap_planned, tap_run, tap_passed, tap_failed;

static inline void tap_plan(unsigned int n)
{
	tap_planned = n;
	printf("1..%u\n", n);
}

static inline void tap_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline bool tap_vok(bool pass, const char *fmt, va_list ap)
{
	tap_run++;
	if (pass)
		tap_passed++;
	else
		tap_failed++;
	printf("%sok %u - ", pass ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	putchar('\n');
	return pass;
}

static inline bool ok(bool pass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(pass, fmt, ap);
	va_end(ap);
	return pass;
}

static inline bool is_int(long long got, long long want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline bool is_int(long long got, long long want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(got == want, fmt, ap);
	va_end(ap);
	if (got != want)
		tap_diag("got %lld, expected %lld", got, want);
	return got == want;
}

static inline bool is_str(const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline bool is_str(const char *got, const char *want, const char *fmt, ...)
{
	bool pass = got && want && !strcmp(got, want);
	va_list ap;

	va_start(ap, fmt);
	tap_vok(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		tap_diag("got \"%s\", expected \"%s\"", got ? got : "(null)",
			 want ? want : "(null)");
	return pass;
}

/* Print the trailing plan if needed and the totals; returns the exit code. */
static inline int tap_finish(void)
{
	if (!tap_planned)
		printf("1..%u\n", tap_run);
	else if (tap_run != tap_planned) {
		tap_diag("planned %u tests but ran %u", tap_planned, tap_run);
		/* A test that stopped early or ran astray must not pass. */
		tap_failed += tap_run < tap_planned ? tap_planned - tap_run : 1;
	}
	printf("# Totals: pass:%u fail:%u\n", tap_passed, tap_failed);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif /* TAP_H */
