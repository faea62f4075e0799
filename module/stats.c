// SPDX-License-Identifier: GPL-2.0
#include "stats.h"

DEFINE_PER_CPU(struct ms_counters, ms_counters);
