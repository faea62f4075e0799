// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only writers of a page's flags word for mapshadow's flag-race
 * detector.  Its own writes are at fixed instructions (labels in inline
 * assembly), which /sys/kernel/debug/ms_flagrace/table describes as site
 * table "race" lines, to append to the kernel's table:
 *   pair    ms_fr_lost: a load of page->flags, then an atomic set of
 *           another bit (the writer of the lost update), then a store of
 *           the loaded value with its own bit set: the other bit is lost,
 *           deterministically, every time
 *   atomic  ms_fr_lost's atomic set (lock bts), so that a report can name it
 *   rmw     ms_fr_rmw: one non-atomic "or" of page->flags
 * Write to /sys/kernel/debug/ms_flagrace/run:
 *   lost    run ms_fr_lost once on a page of our own
 *   race    run ms_fr_rmw once on a page of our own with a second reference
 *           held (reachable: refcount 2)
 *   quiet   run ms_fr_rmw once on a page we hold alone (unreachable)
 * Read run for the pfn of the last page and its flags after the write.
 * The bits are PG_owner_priv_1 (ours) and PG_private_2 (the "other"),
 * both cleared again before the page is freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/page-flags.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "ms_flagrace.h"

asm(".pushsection .rodata\n"
	".balign 8\n"
	"ms_fr_offsets:\n\t"
	".quad ms_fr_lost_load - ms_fr_lost\n\t"
	".quad ms_fr_lost_other - ms_fr_lost\n\t"
	".quad ms_fr_lost_store - ms_fr_lost\n\t"
	".quad ms_fr_rmw_or - ms_fr_rmw\n"
	".popsection");

static struct dentry *dir;
static DEFINE_MUTEX(run_lock);
static unsigned long last_pfn, last_flags;

/* The word of page: its first unsigned long (page->flags, 6.12 and 7.x). */
static unsigned long *ms_fr_word(struct page *page)
{
	return (unsigned long *)page;
}

/* Load; another writer sets other atomically; store loaded | mine. */
noinline void ms_fr_lost(unsigned long *word, unsigned long other_bit,
			 unsigned long mine)
{
	unsigned long v;

	asm volatile("ms_fr_lost_load:\n\t"
		     "movq (%1), %0"
		     : "=a" (v) : "D" (word) : "memory");
	asm volatile("ms_fr_lost_other:\n\t"
		     "lock btsq %1, (%0)"
		     : : "D" (word), "c" (other_bit) : "memory", "cc");
	v |= mine;
	asm volatile("ms_fr_lost_store:\n\t"
		     "movq %0, (%1)"
		     : : "a" (v), "D" (word) : "memory");
}

/* One non-atomic read-modify-write: or mine into the word. */
noinline void ms_fr_rmw(unsigned long *word, unsigned long mine)
{
	asm volatile("ms_fr_rmw_or:\n\t"
		     "orq %1, (%0)"
		     : : "D" (word), "S" (mine) : "memory", "cc");
}

static int ms_fr_hex(char *buf, size_t len, const char *code, int n)
{
	u8 b[8];
	int i, used = 0;

	if (copy_from_kernel_nofault(b, code, n))
		return -EFAULT;
	for (i = 0; i < n; i++)
		used += scnprintf(buf + used, len - used, "%02x", b[i]);
	return 0;
}

static int table_show(struct seq_file *m, void *v)
{
	unsigned long mine = BIT(PG_owner_priv_1), other = BIT(PG_private_2);
	const struct ms_fr_offsets *o = &ms_fr_offsets;
	const char *lost = (const char *)ms_fr_lost, *rmw = (const char *)ms_fr_rmw;
	char load[24], store[24], atomic[24], or[24];

	if (ms_fr_hex(load, sizeof(load), lost + o->load, 3) ||
	    ms_fr_hex(store, sizeof(store), lost + o->store, 3) ||
	    ms_fr_hex(atomic, sizeof(atomic), lost + o->other, 5) ||
	    ms_fr_hex(or, sizeof(or), rmw + o->rmw, 3))
		return -EFAULT;
	seq_printf(m, "race ms_fr_lost 0x%lx %s rdi 0x0 page 0x%lx ms_fr_lost pair 0x%lx %s rdi 0x0\n",
		   o->store, store, mine, o->load, load);
	seq_printf(m, "race ms_fr_lost 0x%lx %s rdi 0x0 page 0x%lx ms_fr_lost atomic\n",
		   o->other, atomic, other);
	seq_printf(m, "race ms_fr_rmw 0x%lx %s rdi 0x0 page 0x%lx ms_fr_rmw rmw\n",
		   o->rmw, or, mine);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(table);

static int run_show(struct seq_file *m, void *v)
{
	mutex_lock(&run_lock);
	seq_printf(m, "pfn 0x%lx flags 0x%lx\n", last_pfn, last_flags);
	mutex_unlock(&run_lock);
	return 0;
}

static int run_open(struct inode *inode, struct file *file)
{
	return single_open(file, run_show, NULL);
}

static ssize_t run_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	unsigned long mine = BIT(PG_owner_priv_1);
	char buf[16] = {};
	struct page *page;
	unsigned long *w;

	if (len >= sizeof(buf) || copy_from_user(buf, ubuf, len))
		return -EINVAL;
	strim(buf);
	if (strcmp(buf, "lost") && strcmp(buf, "race") && strcmp(buf, "quiet"))
		return -EINVAL;
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	w = ms_fr_word(page);
	mutex_lock(&run_lock);
	if (!strcmp(buf, "lost")) {
		ms_fr_lost(w, PG_private_2, mine);
	} else {
		if (!strcmp(buf, "race"))
			get_page(page);
		ms_fr_rmw(w, mine);
		if (!strcmp(buf, "race"))
			put_page(page);
	}
	last_pfn = page_to_pfn(page);
	last_flags = READ_ONCE(*w);
	mutex_unlock(&run_lock);
	clear_bit(PG_owner_priv_1, w);
	clear_bit(PG_private_2, w);
	__free_page(page);
	return len;
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.open = run_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = run_write,
};

static int __init ms_fr_init(void)
{
	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	debugfs_create_file("table", 0400, dir, NULL, &table_fops);
	debugfs_create_file("run", 0600, dir, NULL, &run_fops);
	return 0;
}

static void __exit ms_fr_exit(void)
{
	debugfs_remove(dir);
}

module_init(ms_fr_init);
module_exit(ms_fr_exit);
MODULE_DESCRIPTION("mapshadow test: non-atomic flags writes on purpose");
MODULE_LICENSE("GPL");
