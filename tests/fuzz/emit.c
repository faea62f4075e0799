// SPDX-License-Identifier: GPL-2.0
/*
 * "msfuzz c": a program as one self-contained C file.
 *
 * The file is the runtime's source (rt.h and rt_*.c, which the Makefile
 * pastes into msfuzz as a string), then the operations as a table of
 * struct rt_op, each with its text line, then a main() that runs them:
 * the same code as "msfuzz run", so it does the same things in the same
 * order, with the same processes, without msfuzz.
 */
#include <string.h>

#include "msfuzz.h"

static void em_op(FILE *out, const struct rt_op *op)
{
	char verb[64], type[64];

	ms_enum_name(verb, sizeof(verb), "RT_V_", ms_verb_names[op->verb]);
	fprintf(out, "\t/* %s */\n\t{ .verb = %s, .proc = %d", op->text, verb, op->proc);
	if (op->proc2)
		fprintf(out, ", .proc2 = %d", op->proc2);
	if (op->h)
		fprintf(out, ", .h = %d", op->h);
	if (op->h2)
		fprintf(out, ", .h2 = %d", op->h2);
	if (op->verb == RT_V_MAP) {
		ms_enum_name(type, sizeof(type), "RT_T_", ms_type_names[op->type]);
		fprintf(out, ", .type = %s", type);
	}
	if (op->flags)
		fprintf(out, ", .flags = 0x%x", op->flags);
	if (op->arg)
		fprintf(out, ", .arg = %d", op->arg);
	if (op->off)
		fprintf(out, ", .off = 0x%lx", op->off);
	if (op->len)
		fprintf(out, ", .len = 0x%lx", op->len);
	if (op->off2)
		fprintf(out, ", .off2 = 0x%lx", op->off2);
	if (op->len2)
		fprintf(out, ", .len2 = 0x%lx", op->len2);
	fprintf(out, ",\n\t  .text = \"%s\" },\n", op->text);
}

int emit_c(const struct prog *p, const char *name, FILE *out)
{
	int i;

	/* Two pieces: checkpatch takes the whole for this file's own tag. */
	fprintf(out, "// SPDX-%s: GPL-2.0\n"
		"/*\n"
		" * mapshadow reproducer, written by \"msfuzz c %s\".\n",
		"License-Identifier", name);
	if (p->header)
		fprintf(out, " * From: %s\n", p->header);
	fprintf(out, " *\n"
		" *   gcc -O2 -static -o repro THIS.c && ./repro [-v]\n"
		" *\n"
		" * Runs as \"msfuzz run\" would, with the same environment\n"
		" * (MSFUZZ_MAXMEM, MSFUZZ_OP_TIMEOUT, MSFUZZ_TMPFS, MSFUZZ_TMPFS_HUGE,\n"
		" * MSFUZZ_FILEDIR, MSFUZZ_DAX, MSFUZZ_DAX_1G, MSFUZZ_HWPOISON...);\n"
		" * -v logs each operation and its result.\n"
		" * The operations, in order:\n"
		" *\n");
	for (i = 0; i < p->n; i++)
		fprintf(out, " *   %s\n", p->ops[i].text);
	fprintf(out, " */\n\n");
	fputs(msfuzz_rt_src, out);
	fprintf(out, "\n/* The program. */\nstatic const struct rt_op repro_ops[] = {\n");
	for (i = 0; i < p->n; i++)
		em_op(out, &p->ops[i]);
	fprintf(out, "\t{ .verb = RT_V_NONE }\t/* the end, not run */\n};\n\n"
		"int main(int argc, char **argv)\n"
		"{\n"
		"\tif (argc > 1 && !strcmp(argv[1], RT_EXEC_ARG))\n"
		"\t\treturn 0;\t/* the image of an \"exec\" operation */\n"
		"\treturn rt_run(repro_ops, %d, argc > 1 && !strcmp(argv[1], \"-v\"));\n"
		"}\n", p->n);
	return fflush(out) || ferror(out) ? -1 : 0;
}
