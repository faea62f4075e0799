// SPDX-License-Identifier: GPL-2.0
/* Raw counter classification (module/raw_counters.c). */
#include "tap.h"
#include "raw_counters.h"

int main(void)
{
	is_int(ms_raw_page_mapcount(-1), MS_RAW_NORMAL, "-1: unmapped");
	is_int(ms_raw_page_mapcount(0), MS_RAW_NORMAL, "0: mapped once");
	is_int(ms_raw_page_mapcount(511), MS_RAW_NORMAL, "511");
	is_int(ms_raw_page_mapcount(-2), MS_RAW_UNDERFLOW, "-2: underflow by one");
	is_int(ms_raw_page_mapcount(-16777216), MS_RAW_UNDERFLOW, "0xff000000: deepest underflow");
	is_int(ms_raw_page_mapcount((s32)0xf0000000), MS_RAW_TYPED, "PGTY_buddy");
	is_int(ms_raw_page_mapcount((s32)0xf4000000), MS_RAW_TYPED, "PGTY_hugetlb");
	is_int(ms_raw_page_mapcount((s32)0xf5001234), MS_RAW_TYPED, "PGTY_slab with owner bits");
	is_int(ms_raw_page_mapcount((s32)0xf8000000), MS_RAW_TYPED, "PGTY_large_kmalloc (7.x)");
	is_int(ms_raw_page_mapcount((s32)0xfe000000), MS_RAW_TYPED, "unknown future type");
	is_int(ms_raw_page_mapcount((s32)0x80000000), MS_RAW_OVERFLOW, "0x80..: overflow zone");
	is_int(ms_raw_page_mapcount((s32)0xef123456), MS_RAW_OVERFLOW, "0xef..: overflow zone");
	is_int(ms_raw_counter(-1), MS_RAW_NORMAL, "large -1");
	is_int(ms_raw_counter(1000), MS_RAW_NORMAL, "large 1000");
	is_int(ms_raw_counter(-2), MS_RAW_UNDERFLOW, "large -2");
	is_int(ms_raw_counter((s32)0xf0000000), MS_RAW_UNDERFLOW, "large has no types");
	is_int(ms_raw_nr_pages_mapped(0, 512), MS_RAW_NORMAL, "nr_pages_mapped 0");
	is_int(ms_raw_nr_pages_mapped(512, 512), MS_RAW_NORMAL, "all pages");
	is_int(ms_raw_nr_pages_mapped(0x800000 | 3, 512), MS_RAW_NORMAL, "entire + 3");
	is_int(ms_raw_nr_pages_mapped(513, 512), MS_RAW_CORRUPT, "more pages than the folio");
	is_int(ms_raw_nr_pages_mapped(-1, 512), MS_RAW_UNDERFLOW, "negative");
	is_int(ms_raw_nr_pages_mapped(0x1000000, 512), MS_RAW_CORRUPT, "bits above ENTIRELY_MAPPED");
	is_str(ms_raw_class_name(MS_RAW_UNDERFLOW), "underflow", "name");
	is_str(ms_raw_class_name((enum ms_raw_class)42), "?", "name out of range");
	return tap_finish();
}
