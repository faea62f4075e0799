/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little JSON the CLI writes (findings --json, status --json): strings
 * escaped per RFC 8259, everything else written by the caller.
 */
#ifndef MS_JSON_H
#define MS_JSON_H

#include <stdio.h>

/* s as a JSON string, quotes included: ", \, and bytes below 0x20 escaped. */
void ms_json_str(FILE *f, const char *s);

#endif /* MS_JSON_H */
