// SPDX-License-Identifier: GPL-2.0
/* Names of the finding kinds; see finding_kinds.h.  Pure. */
#include "finding_kinds.h"

#define MS_FIND_NAME_(id, name, once) [MS_FIND_##id] = name,
static const char * const ms_kind_names[MS_NR_FIND_KINDS] = {
	MS_FINDING_KINDS(MS_FIND_NAME_)
};

const char *ms_finding_kind_name(unsigned int kind)
{
	return kind < MS_NR_FIND_KINDS ? ms_kind_names[kind] : "?";
}
