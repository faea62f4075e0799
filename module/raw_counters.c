// SPDX-License-Identifier: GPL-2.0
/* Classifying raw counter words; see raw_counters.h. */
#include "pure.h"
#include "raw_counters.h"

enum ms_raw_class ms_raw_page_mapcount(s32 v)
{
	u32 top = (u32)v >> 24;

	if (v >= -1)
		return MS_RAW_NORMAL;
	if (top == 0xff)
		return MS_RAW_UNDERFLOW;
	if (top >= 0xf0)
		return MS_RAW_TYPED;
	if (top >= 0x80)
		return MS_RAW_OVERFLOW;
	return MS_RAW_CORRUPT;
}

enum ms_raw_class ms_raw_counter(s32 v)
{
	return v >= -1 ? MS_RAW_NORMAL : MS_RAW_UNDERFLOW;
}

enum ms_raw_class ms_raw_nr_pages_mapped(s32 v, unsigned long nr_pages)
{
	if (v < 0)
		return MS_RAW_UNDERFLOW;
	if ((unsigned long)(v & MS_PAGES_MAPPED_MASK) > nr_pages ||
	    (v & ~(MS_ENTIRELY_MAPPED | MS_PAGES_MAPPED_MASK)))
		return MS_RAW_CORRUPT;
	return MS_RAW_NORMAL;
}

const char *ms_raw_class_name(enum ms_raw_class c)
{
	static const char * const names[] = {
		[MS_RAW_NORMAL] = "normal", [MS_RAW_TYPED] = "typed",
		[MS_RAW_UNDERFLOW] = "underflow", [MS_RAW_OVERFLOW] = "overflow",
		[MS_RAW_CORRUPT] = "corrupt",
	};

	return (unsigned int)c < ARRAY_SIZE(names) ? names[c] : "?";
}
