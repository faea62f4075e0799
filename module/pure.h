/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What pure-logic files (built in the module and in userspace unit tests)
 * need from either side.
 */
#ifndef MAPSHADOW_PURE_H
#define MAPSHADOW_PURE_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
typedef unsigned char u8;
typedef unsigned int u32;
typedef int s32;
typedef short s16;
typedef unsigned long long u64;
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif /* MAPSHADOW_PURE_H */
