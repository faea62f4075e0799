// SPDX-License-Identifier: GPL-2.0
/* The flag-race detector's arithmetic; see race_logic.h. */
#include "race_logic.h"

int ms_race_store_src(const u8 *bytes, unsigned int n)
{
	unsigned int i = 0;
	u8 rex = 0, modrm;

	if (n > i && bytes[i] >= 0x40 && bytes[i] <= 0x4f)
		rex = bytes[i++];
	/* 64 bits only: the flags word is an unsigned long. */
	if (!(rex & 0x08) || n < i + 2 || bytes[i] != 0x89)
		return -1;
	modrm = bytes[i + 1];
	if ((modrm >> 6) == 3)		/* register to register: no store */
		return -1;
	return ((modrm >> 3) & 7) | ((rex & 0x04) ? 8 : 0);
}

void ms_race_reach_str(unsigned int reach, char *buf, size_t len)
{
	static const char *const names[] = { "mapped", "lru", "ref" };
	size_t used = 0;
	unsigned int i;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		size_t need;

		if (!(reach & (1U << i)))
			continue;
		need = strlen(names[i]) + (used ? 1 : 0);
		if (used + need + 1 > len)
			break;
		if (used)
			buf[used++] = ',';
		memcpy(buf + used, names[i], strlen(names[i]) + 1);
		used += strlen(names[i]);
	}
	if (!used && len >= 2)
		memcpy(buf, "-", 2);
}
