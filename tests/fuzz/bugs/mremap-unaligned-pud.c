// SPDX-License-Identifier: GPL-2.0
/*
 * mremap-unaligned-pud: mremap() of a PUD-mapped 1 GiB device-dax range to
 * an address that is not 1 GiB aligned: move_page_tables() meets the huge
 * PUD with an extent below HPAGE_PUD_SIZE, has no split for it, and its
 * get_old_pmd() clears it as "bad pud".  The mapping is gone without its
 * rmap removal, rss counter or folio reference (7.x: "Bad rss-counter
 * state ... MM_FILEPAGES val:262144" at exit; 6.12: the "bad pud" only).
 *
 *   gcc -O2 -o repro mremap-unaligned-pud.c && ./repro /dev/dax0.0
 *
 * The device: device-dax with 1 GiB alignment (ndctl create-namespace -m
 * devdax -a 1G, or tests/guest/lib.sh fuzz_dax_setup on memmap=2G!4G).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define GB (1UL << 30)
#define MB (1UL << 20)

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/dax0.0";
	char *area, *src, *dst;
	int fd = open(dev, O_RDWR);

	if (fd < 0) {
		perror(dev);
		return 2;
	}
	/* Room for a 1 GiB aligned source and a target 2 MiB past a GiB. */
	area = mmap(NULL, 4 * GB, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (area == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	src = (char *)(((unsigned long)area + GB - 1) & ~(GB - 1));
	dst = src + GB + 2 * MB;
	if (mmap(src, GB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 fd, 0) == MAP_FAILED) {
		perror("mmap device-dax");
		return 2;
	}
	src[0] = 1;	/* one fault maps the whole GiB: one PUD */
	if (mremap(src, GB, GB, MREMAP_MAYMOVE | MREMAP_FIXED, dst) ==
	    MAP_FAILED) {
		perror("mremap");
		return 2;
	}
	printf("moved %p to %p: the kernel log says \"bad pud\"\n",
	       (void *)src, (void *)dst);
	return 0;
}
