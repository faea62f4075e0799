/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classifying raw counter words of a folio (pure: module and unit tests).
 * Encodings of 6.12 and later (include/linux/page-flags.h): page->_mapcount
 * shares its word with page_type, whose top byte 0xf0.. names a type;
 * 0xff.. below -1 is an underflow; 0x80..0xef is reserved for overflow.
 * _large_mapcount, _entire_mapcount and _mm_id_mapcount start at -1 and have
 * no type encoding.  _nr_pages_mapped counts pages, plus ENTIRELY_MAPPED.
 */
#ifndef MAPSHADOW_RAW_COUNTERS_H
#define MAPSHADOW_RAW_COUNTERS_H

#include "pure.h"

enum ms_raw_class {
	MS_RAW_NORMAL,		/* a count */
	MS_RAW_TYPED,		/* page_type in the word, not a count */
	MS_RAW_UNDERFLOW,	/* went below its starting value */
	MS_RAW_OVERFLOW,	/* in the range reserved for overflow */
	MS_RAW_CORRUPT,		/* no meaning in any encoding */
};

#define MS_ENTIRELY_MAPPED	0x800000
#define MS_PAGES_MAPPED_MASK	(MS_ENTIRELY_MAPPED - 1)

enum ms_raw_class ms_raw_page_mapcount(s32 v);
enum ms_raw_class ms_raw_counter(s32 v);
enum ms_raw_class ms_raw_nr_pages_mapped(s32 v, unsigned long nr_pages);
const char *ms_raw_class_name(enum ms_raw_class c);

#endif /* MAPSHADOW_RAW_COUNTERS_H */
