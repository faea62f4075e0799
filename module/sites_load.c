// SPDX-License-Identifier: GPL-2.0
/*
 * Staging a site table (see sites.h): written to debugfs "sites", each
 * line is checked as it arrives.  The build id must be the running
 * kernel's (its /sys/kernel/notes), the field offsets must be the ones
 * this module was built with.  A complete, valid table replaces the staged
 * one unless that one is armed; sites.c arms it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include "sites.h"
#include "sites_table.h"

#define MS_NT_GNU_BUILD_ID 3	/* ELF note type of the build id */

DEFINE_MUTEX(ms_sites_lock);	/* the staged table, and arming it */
struct ms_site_table *ms_sites_staged;

/* The build id of the running kernel, from the notes it exports. */
static int ms_kernel_build_id(u8 *id, unsigned int *len)
{
	loff_t pos = 0;
	struct file *f;
	size_t off = 0;
	ssize_t n;
	u8 *buf;
	int err = -ENOENT;

	buf = kmalloc(4096, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	f = filp_open("/sys/kernel/notes", O_RDONLY, 0);
	if (IS_ERR(f)) {
		kfree(buf);
		return PTR_ERR(f);
	}
	n = kernel_read(f, buf, 4096, &pos);
	filp_close(f, NULL);
	while (n > 0 && off + sizeof(struct elf64_note) <= (size_t)n) {
		struct elf64_note *nh = (struct elf64_note *)(buf + off);
		size_t name = ALIGN(nh->n_namesz, 4), desc = ALIGN(nh->n_descsz, 4);
		size_t next = off + sizeof(*nh) + name + desc;

		if (next > (size_t)n)
			break;
		if (nh->n_type == MS_NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
		    !memcmp(buf + off + sizeof(*nh), "GNU", 4) &&
		    nh->n_descsz <= MS_SITE_BUILD_ID_MAX) {
			memcpy(id, buf + off + sizeof(*nh) + name, nh->n_descsz);
			*len = nh->n_descsz;
			err = 0;
			break;
		}
		off = next;
	}
	kfree(buf);
	return err;
}

static u32 ms_field_offset(enum ms_site_counter c)
{
	switch (c) {
	case MS_CNT_MAPCOUNT: return offsetof(struct page, _mapcount);
	case MS_CNT_LARGE_MAPCOUNT: return offsetof(struct folio, _large_mapcount);
	case MS_CNT_ENTIRE_MAPCOUNT: return offsetof(struct folio, _entire_mapcount);
	case MS_CNT_NR_PAGES_MAPPED: return offsetof(struct folio, _nr_pages_mapped);
	default: return U32_MAX;
	}
}

u32 ms_word_offset(enum ms_race_word w)
{
	static const u32 folio_words[] = {
		offsetof(struct folio, flags), offsetof(struct folio, _flags_1),
		offsetof(struct folio, _flags_2), offsetof(struct folio, _flags_3),
	};

	if (w >= MS_WORD_NR)
		return U32_MAX;
	if (MS_WORD_IS_FOLIO(w))
		return folio_words[MS_WORD_INDEX(w)];
	return MS_WORD_INDEX(w) * sizeof(struct page) +
	       offsetof(struct page, flags);
}

static int ms_table_line(struct ms_site_table *t, const char *line, size_t len)
{
	struct ms_site_line *l;
	u8 id[MS_SITE_BUILD_ID_MAX];
	unsigned int idlen;
	int kind, err = 0;

	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	t->line++;
	kind = ms_site_parse_line(line, len, l);
	if (kind < 0) {
		pr_warn("sites:%u: malformed line (%d)\n", t->line, kind);
		err = kind;
		goto out;
	}
	switch (kind) {
	case MS_SITE_MAGIC:
		t->magic = l->version == MS_SITE_VERSION;
		if (!t->magic) {
			pr_warn("sites:%u: table version %u, this module reads %u\n",
				t->line, l->version, MS_SITE_VERSION);
			err = -EINVAL;
		}
		break;
	case MS_SITE_BUILD_ID:
		err = ms_kernel_build_id(id, &idlen);
		if (err) {
			pr_warn("sites: cannot read the kernel's build id (%d)\n", err);
			break;
		}
		if (idlen != l->build_id.len || memcmp(id, l->build_id.id, idlen)) {
			pr_warn("sites:%u: table is for build id %*phN, the kernel is %*phN\n",
				t->line, l->build_id.len, l->build_id.id, idlen, id);
			err = -EINVAL;
		}
		t->build_id = !err;
		break;
	case MS_SITE_RELEASE:
		if (strcmp(l->release, init_utsname()->release)) {
			pr_warn("sites:%u: table is for %s, the kernel is %s\n",
				t->line, l->release, init_utsname()->release);
			err = -EINVAL;
		}
		t->release = !err;
		break;
	case MS_SITE_FIELD:
		if (l->field.offset != ms_field_offset(l->field.counter)) {
			pr_warn("sites:%u: %s at 0x%x, this module has it at 0x%x\n",
				t->line, ms_site_counter_name(l->field.counter),
				l->field.offset, ms_field_offset(l->field.counter));
			err = -EINVAL;
		}
		break;
	case MS_SITE_SITE:
		if (!t->magic || !t->build_id) {
			pr_warn("sites:%u: site before the header and build id\n", t->line);
			err = -EINVAL;
		} else if (t->nr >= MS_SITES_MAX) {
			pr_warn("sites:%u: more than %d sites\n", t->line, MS_SITES_MAX);
			err = -E2BIG;
		} else {
			t->probes[t->nr++].site = l->site;
		}
		break;
	case MS_SITE_WORD:
		if (l->word.offset != ms_word_offset(l->word.word)) {
			pr_warn("sites:%u: flags word %u at 0x%x, this module has it at 0x%x\n",
				t->line, l->word.word, l->word.offset,
				ms_word_offset(l->word.word));
			err = -EINVAL;
		} else {
			t->words_checked |= 1U << l->word.word;
		}
		break;
	case MS_SITE_RACE:
		/* The flags inventory: kept for races=on (races.c). */
		if (!t->magic || !t->build_id ||
		    !(t->words_checked & (1U << l->race.word))) {
			pr_warn("sites:%u: race line before the header or its word line\n",
				t->line);
			err = -EINVAL;
		} else if (t->nr_races >= MS_RACES_MAX) {
			pr_warn("sites:%u: more than %d flag writers\n", t->line,
				MS_RACES_MAX);
			err = -E2BIG;
		} else {
			t->races[t->nr_races++] = l->race;
			t->nr_races_nonatomic += l->race.shape != MS_RACE_ATOMIC;
		}
		break;
	}
out:
	kfree(l);
	return err;
}

void ms_site_table_free(struct ms_site_table *t)
{
	if (t) {
		free_percpu(t->hits);
		vfree(t->probes);
		vfree(t->races);
		kfree(t);
	}
}

static int ms_sites_open(struct inode *inode, struct file *file)
{
	struct ms_site_table *t;
	unsigned int i;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	mutex_init(&t->write_lock);
	t->probes = vzalloc(array_size(MS_SITES_MAX, sizeof(*t->probes)));
	t->races = vzalloc(array_size(MS_RACES_MAX, sizeof(*t->races)));
	t->hits = __alloc_percpu(array_size(MS_SITES_MAX, sizeof(unsigned long)),
				 __alignof__(unsigned long));
	if (!t->probes || !t->races || !t->hits) {
		ms_site_table_free(t);
		return -ENOMEM;
	}
	for (i = 0; i < MS_SITES_MAX; i++)
		t->probes[i].hits = t->hits + i;
	file->private_data = t;
	return nonseekable_open(inode, file);
}

/* Lines may be split across writes: keep the tail until its newline. */
static ssize_t ms_sites_write_locked(struct ms_site_table *t,
				     const char __user *ubuf, size_t len)
{
	size_t done = 0;

	if (t->error)
		return t->error;
	while (done < len) {
		size_t room = sizeof(t->partial) - t->partial_len;
		size_t n = min(len - done, room);
		char *nl;
		int err;

		if (!n) {
			pr_warn("sites:%u: line too long\n", t->line + 1);
			t->error = -EINVAL;
			return t->error;
		}
		if (copy_from_user(t->partial + t->partial_len, ubuf + done, n))
			return -EFAULT;
		t->partial_len += n;
		done += n;
		while ((nl = memchr(t->partial, '\n', t->partial_len))) {
			size_t line = nl - t->partial + 1;

			err = ms_table_line(t, t->partial, line);
			if (err) {
				t->error = err;
				return err;
			}
			t->partial_len -= line;
			memmove(t->partial, t->partial + line, t->partial_len);
		}
	}
	return len;
}

static ssize_t ms_sites_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct ms_site_table *t = file->private_data;
	ssize_t ret;

	/* Threads sharing the file would interleave lines otherwise. */
	if (mutex_lock_interruptible(&t->write_lock))
		return -EINTR;
	ret = ms_sites_write_locked(t, ubuf, len);
	mutex_unlock(&t->write_lock);
	return ret;
}

/* A complete, valid table replaces the staged one; sites=on arms it. */
static int ms_sites_release(struct inode *inode, struct file *file)
{
	struct ms_site_table *t = file->private_data;

	if (!t->error && t->partial_len &&
	    ms_table_line(t, t->partial, t->partial_len))
		t->error = -EINVAL;
	mutex_lock(&ms_sites_lock);
	if (t->error || !t->magic || !t->build_id || !t->nr) {
		if (!t->error)
			pr_warn("sites: incomplete table ignored (header, build id or sites missing)\n");
	} else if (ms_sites_staged && ms_sites_staged->armed) {
		pr_warn("sites: a table is armed; echo sites=off > control first\n");
	} else {
		ms_site_table_free(ms_sites_staged);
		ms_sites_staged = t;
		t = NULL;
		pr_info("sites: table of %u sites and %u flag writers (%u non-atomic) staged; echo sites=on > control to arm\n",
			ms_sites_staged->nr, ms_sites_staged->nr_races,
			ms_sites_staged->nr_races_nonatomic);
	}
	mutex_unlock(&ms_sites_lock);
	ms_site_table_free(t);
	return 0;
}

const struct file_operations ms_sites_fops = {
	.owner = THIS_MODULE,
	.open = ms_sites_open,
	.write = ms_sites_write,
	.release = ms_sites_release,
};
