/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A site table as the two halves of sites see it: sites_load.c stages one
 * (written to debugfs "sites", checked line by line), sites.c arms it.
 * Not for the rest of the module: sites.h is.
 */
#ifndef MAPSHADOW_SITES_TABLE_H
#define MAPSHADOW_SITES_TABLE_H

#include <linux/kprobes.h>
#include <linux/mutex.h>
#include "sitetable_parse.h"

#define MS_SITES_MAX 256
#define MS_RACES_MAX 1024	/* 6.12: 456 flag writers, 7.3: 520 */

struct ms_site_probe {
	struct kprobe kp;
	struct ms_site site;
	u8 level;		/* enum ms_level of the folio-level change */
	bool page_is_folio;	/* a per-page site counts for its folio */
	bool armed;
	const char *skip;	/* why not armed */
	unsigned long __percpu *hits;	/* one of its table's */
};

struct ms_site_table {
	struct mutex write_lock;	/* partial, line, error: one writer */
	struct ms_site_probe *probes;
	unsigned long __percpu *hits;	/* MS_SITES_MAX: every hit counts */
	unsigned int nr;
	unsigned int words_checked;	/* enum ms_race_word bits */
	struct ms_race *races;		/* "race" lines: the flags inventory */
	unsigned int nr_races, nr_races_nonatomic;
	bool armed;			/* sites.c armed it: not replaced */
	bool magic, build_id, release;
	char partial[MS_SITE_LINE_MAX + 2];
	size_t partial_len;
	unsigned int line;
	int error;
};

/* The staged table, and the lock for it and for arming it. */
extern struct mutex ms_sites_lock;
extern struct ms_site_table *ms_sites_staged;

void ms_site_table_free(struct ms_site_table *t);
/* Where a flags word of the table's kinds lies, as this module knows it. */
u32 ms_word_offset(enum ms_race_word w);

#endif /* MAPSHADOW_SITES_TABLE_H */
