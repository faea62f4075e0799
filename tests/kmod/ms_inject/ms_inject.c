// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only fault injection for mapshadow.  Write to
 * /sys/kernel/debug/ms_inject/ctl one of
 *   PID ADDR skip-inc     the folio lost an increment: live = shadow - 1
 *   PID ADDR spurious-inc the folio got an extra one:  live = shadow + 1
 *   undo                  reverse the last skip-inc/spurious-inc
 *   drop                  forget it instead (the folio may then be freed
 *                         with the wrong count: the kernel's "Bad page")
 *   PID ADDR skip-remove  hold the small folio mapped once at ADDR and make
 *                         the next zap of it skip folio_remove_rmap_ptes():
 *                         its PTE goes, its mapcount stays (an unmap without
 *                         the rmap call; the process's exit leaks a mapping)
 *   free-held             after that zap, reset _mapcount as if the rmap
 *                         call had been made and drop the held reference:
 *                         the folio is freed while the shadow says mapped
 * Corruptions of a large folio's own words, for the kernel-bookkeeping
 * checks (each undone by "undo"):
 *   PID ADDR page-inc      the page at ADDR gets a spurious _mapcount
 *   PID ADDR page-dec      the page at ADDR loses one (its next unmap
 *                          underflows it, the folio's own counts stay right)
 *   PID ADDR nr-mapped-inc _nr_pages_mapped counts one page too many
 *   PID ADDR entirely-flip ENTIRELY_MAPPED in _nr_pages_mapped flipped
 *   PID ADDR shared-clear  (MM-ID) the "maybe mapped shared" bit cleared
 *   PID ADDR slot-rename OTHER
 *                          (MM-ID) slot 0 renamed to process OTHER's MM ID
 *   PID ADDR slot-shift    (MM-ID) one mapping moved from slot 1's count to
 *                          slot 0's: the total stays right, the split not
 * A page table's entry dropped, as a kernel walker that meets a huge PMD
 * where it expects a page table does (pmd_none_or_clear_bad()):
 *   PID ADDR clear-bad-pmd the kernel's pmd_clear_bad() on the PMD that
 *                          maps the THP at ADDR ("bad pmd", the entry
 *                          cleared), then the entry put back as it was
 * ADDR is a user address (hex, 0x...) mapped in process PID.  The change is
 * made to the counter folio_mapcount() reads (_mapcount of a small folio,
 * _large_mapcount of a large one).  An underflow through a zap is a
 * skip-inc on a folio mapped once followed by its unmap.  Read ctl for the
 * pfn and counter of the last injection, and whether the remove was skipped.
 *
 * The skip is a kprobe whose handler returns into an empty function, so the
 * call returns at once; registered after mapshadow's kretprobe on the same
 * function, it runs first (kprobes aggregate newest first) and mapshadow
 * never sees the call either.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>

/* mm/internal.h, not installed */
#define ENTIRELY_MAPPED 0x800000

static struct dentry *dir;
static DEFINE_MUTEX(inject_lock);	/* the last injection */
static unsigned long last_pfn;
static struct page *last_page;	/* skip-inc/spurious-inc: ours until undo */
static int last_delta;
static bool last_large;
static struct folio *held;	/* skip-remove: ours until free-held */

/* The last corruption of a large folio's words, for undo. */
enum word_kind { WORD_NONE, WORD_PAGE, WORD_PAGE_DEC, WORD_NR_MAPPED,
		 WORD_ENTIRELY, WORD_SHARED, WORD_SLOT, WORD_SLOT_SHIFT };
static enum word_kind word_kind;
static struct page *word_page;
static atomic_t skipped;	/* the held folio's remove was skipped */

static atomic_t *counter_of(struct folio *folio)
{
	return folio_test_large(folio) ? &folio->_large_mapcount :
					 &folio->_mapcount;
}

/* The task of @pid, with a reference; the pid's own is dropped. */
static struct task_struct *get_pid_task_by_nr(int pid)
{
	struct pid *p = find_get_pid(pid);
	struct task_struct *task = get_pid_task(p, PIDTYPE_PID);

	put_pid(p);
	return task;
}

/* The page mapped at @addr in process @pid, with a reference. */
static int page_of(int pid, unsigned long addr, struct page **page)
{
	struct task_struct *task;
	struct mm_struct *mm;
	long got;

	task = get_pid_task_by_nr(pid);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return -EINVAL;
	mmap_read_lock(mm);
	got = get_user_pages_remote(mm, addr, 1, 0, page, NULL);
	mmap_read_unlock(mm);
	mmput(mm);
	if (got != 1)
		return got < 0 ? got : -EFAULT;
	return 0;
}

/* The mm of process @pid, with a reference. */
static struct mm_struct *mm_of_pid(int pid)
{
	struct task_struct *task = get_pid_task_by_nr(pid);
	struct mm_struct *mm;

	if (!task)
		return NULL;
	mm = get_task_mm(task);
	put_task_struct(task);
	return mm;
}

/* The PMD of @addr in @mm, when the walk down to it meets no hole. */
static pmd_t *pmd_of(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;

	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_leaf(*pud) || pud_bad(*pud))
		return NULL;
	return pmd_offset(pud, addr);
}

/*
 * The kernel's own pmd_clear_bad() on the huge PMD at @addr: it says "bad
 * pmd" and clears the entry, as a walker does that meets a huge PMD where
 * it expects a page table, and mapshadow's hook on it sees a mapping
 * dropped without its rmap removal.  The entry is then put back as it was
 * with set_pmd(), not set_pmd_at(): page_table_check saw no clear either,
 * and nothing leaks.  mmap_lock for write and the PMD lock: the process
 * never sees the gap.  pmd_clear_bad() is not exported: its address comes
 * from a kprobe (past its ENDBR), called indirectly, which is refused
 * where IBT is enforced.
 */
static int clear_bad_pmd(int pid, unsigned long addr)
{
	struct kprobe kp = { .symbol_name = "pmd_clear_bad" };
	void (*clear_bad)(pmd_t *pmd);
	struct mm_struct *mm;
	spinlock_t *ptl;	/* the PMD's lock */
	pmd_t *pmd, old;
	int err;

	if (cpu_feature_enabled(X86_FEATURE_IBT))
		return -EOPNOTSUPP;
	err = register_kprobe(&kp);
	if (err)
		return err;
	clear_bad = (void (*)(pmd_t *))kp.addr;
	unregister_kprobe(&kp);
	mm = mm_of_pid(pid);
	if (!mm)
		return -ESRCH;
	mmap_write_lock(mm);
	pmd = pmd_of(mm, addr);
	err = -EINVAL;
	if (pmd) {
		ptl = pmd_lock(mm, pmd);
		old = *pmd;
		if (pmd_present(old) && pmd_leaf(old)) {
			clear_bad(pmd);
			set_pmd(pmd, old);
			last_pfn = pmd_pfn(old);
			last_large = true;
			err = 0;
		}
		spin_unlock(ptl);
	}
	mmap_write_unlock(mm);
	mmput(mm);
	if (!err)
		pr_info("pid %d addr 0x%lx: pmd of pfn 0x%lx cleared as bad, then put back\n",
			pid, addr, last_pfn);
	return err;
}

static int inject(int pid, unsigned long addr, int delta)
{
	struct folio *folio;
	struct page *page;
	int err;

	if (last_page)
		return -EBUSY;
	err = page_of(pid, addr, &page);
	if (err)
		return err;
	folio = page_folio(page);
	atomic_add(delta, counter_of(folio));
	last_page = page;	/* undo writes through our reference only */
	last_pfn = folio_pfn(folio);
	last_delta = delta;
	last_large = folio_test_large(folio);
	pr_info("pid %d addr 0x%lx: pfn 0x%lx %s %+d\n", pid, addr, last_pfn,
		last_large ? "_large_mapcount" : "_mapcount", delta);
	return 0;
}

#if IS_ENABLED(CONFIG_MM_ID)
static int word_old;		/* the MM-ID word's old value */

static int mm_of(int pid, struct mm_struct **mm)
{
	struct task_struct *task;

	task = get_pid_task_by_nr(pid);
	if (!task)
		return -ESRCH;
	*mm = get_task_mm(task);
	put_task_struct(task);
	return *mm ? 0 : -EINVAL;
}

static int mm_id_word(struct folio *folio, enum word_kind kind, int arg)
{
	struct mm_struct *other;
	mm_id_t other_id = 0;
	int err;

	if (kind == WORD_SLOT) {
		err = mm_of(arg, &other);
		if (err)
			return err;
		other_id = other->mm_id;
		mmput(other);
	}
	folio_lock_large_mapcount(folio);
	if (kind == WORD_SHARED) {
		word_old = test_bit(FOLIO_MM_IDS_SHARED_BITNUM, &folio->_mm_ids);
		folio->_mm_ids &= ~FOLIO_MM_IDS_SHARED_BIT;
	} else if (kind == WORD_SLOT_SHIFT) {
		folio->_mm_id_mapcount[0]++;
		folio->_mm_id_mapcount[1]--;
	} else {
		word_old = folio_mm_id(folio, 0);
		folio_set_mm_id(folio, 0, other_id);
	}
	folio_unlock_large_mapcount(folio);
	return 0;
}

static void mm_id_word_undo(struct folio *folio)
{
	folio_lock_large_mapcount(folio);
	if (word_kind == WORD_SHARED && word_old) {
		folio->_mm_ids |= FOLIO_MM_IDS_SHARED_BIT;
	} else if (word_kind == WORD_SLOT_SHIFT) {
		folio->_mm_id_mapcount[0]--;
		folio->_mm_id_mapcount[1]++;
	} else if (word_kind == WORD_SLOT) {
		/*
		 * Removes meanwhile missed the renamed slot; the folio is
		 * exclusive to its owner, whose slot holds every mapping.
		 */
		folio_set_mm_id(folio, 0, word_old);
		folio->_mm_id_mapcount[0] = atomic_read(&folio->_large_mapcount);
	}
	folio_unlock_large_mapcount(folio);
}
#else
static int mm_id_word(struct folio *folio, enum word_kind kind, int arg)
{
	return -EOPNOTSUPP;
}

static void mm_id_word_undo(struct folio *folio)
{
}
#endif

/* Corrupt one word of the large folio mapped at addr. */
static int word_inject(int pid, unsigned long addr, enum word_kind kind,
		       int arg)
{
	struct folio *folio;
	struct page *page;
	int err;

	if (word_kind != WORD_NONE)
		return -EBUSY;
	err = page_of(pid, addr, &page);
	if (err)
		return err;
	folio = page_folio(page);
	if (!folio_test_large(folio) || folio_test_hugetlb(folio)) {
		put_page(page);
		return -EINVAL;
	}
	switch (kind) {
	case WORD_PAGE:
		atomic_inc(&page->_mapcount);
		break;
	case WORD_PAGE_DEC:
		atomic_dec(&page->_mapcount);
		break;
	case WORD_NR_MAPPED:
		atomic_inc(&folio->_nr_pages_mapped);
		break;
	case WORD_ENTIRELY:
		atomic_xor(ENTIRELY_MAPPED, &folio->_nr_pages_mapped);
		break;
	default:
		err = mm_id_word(folio, kind, arg);
		break;
	}
	if (!err) {
		word_kind = kind;
		word_page = page;	/* our reference keeps it until undo */
		last_pfn = folio_pfn(folio);
		pr_info("pid %d addr 0x%lx: pfn 0x%lx: word %d corrupted\n",
			pid, addr, last_pfn, kind);
	} else {
		put_page(page);
	}
	return err;
}

static void word_undo(void)
{
	struct folio *folio = page_folio(word_page);

	switch (word_kind) {
	case WORD_PAGE:
		atomic_dec(&word_page->_mapcount);
		break;
	case WORD_PAGE_DEC:
		atomic_inc(&word_page->_mapcount);
		break;
	case WORD_NR_MAPPED:
		atomic_dec(&folio->_nr_pages_mapped);
		break;
	case WORD_ENTIRELY:
		atomic_xor(ENTIRELY_MAPPED, &folio->_nr_pages_mapped);
		break;
	default:
		mm_id_word_undo(folio);
		break;
	}
	pr_info("reverted: pfn 0x%lx word %d\n", folio_pfn(folio), word_kind);
	word_kind = WORD_NONE;
	put_page(word_page);
}

/* Forget the last skip-inc/spurious-inc and its reference. */
static int drop(void)
{
	if (!last_page)
		return -ENOENT;
	last_delta = 0;
	put_page(last_page);
	last_page = NULL;
	return 0;
}

static int undo(void)
{
	struct folio *folio;

	if (word_kind != WORD_NONE) {
		word_undo();
		return 0;
	}
	if (!last_page)
		return -ENOENT;
	folio = page_folio(last_page);
	atomic_sub(last_delta, counter_of(folio));
	pr_info("reverted: pfn 0x%lx %+d\n", last_pfn, -last_delta);
	return drop();
}

/* Where a skipped folio_remove_rmap_ptes() "runs": it returns at once. */
static noinline void skipped_remove(void)
{
}

/* void folio_remove_rmap_ptes(folio, page, nr_pages, vma) */
static int skip_remove_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct folio *folio = (struct folio *)regs_get_kernel_argument(regs, 0);

	if (folio != READ_ONCE(held) || atomic_xchg(&skipped, 1))
		return 0;
	/* The stack is as at the call: the empty function returns for it. */
	instruction_pointer_set(regs, (unsigned long)skipped_remove);
	return 1;
}

static struct kprobe skip_remove_kp = {
	.symbol_name = "folio_remove_rmap_ptes",
	.pre_handler = skip_remove_pre,
};

static int skip_remove(int pid, unsigned long addr)
{
	struct folio *folio;
	struct page *page;
	int err;

	if (held)
		return -EBUSY;
	err = page_of(pid, addr, &page);
	if (err)
		return err;
	folio = page_folio(page);
	if (folio_test_large(folio) || folio_mapcount(folio) != 1) {
		put_page(page);
		return -EINVAL;
	}
	atomic_set(&skipped, 0);
	WRITE_ONCE(held, folio);
	err = register_kprobe(&skip_remove_kp);
	if (err) {
		WRITE_ONCE(held, NULL);
		folio_put(folio);
		return err;
	}
	drop();
	last_pfn = folio_pfn(folio);
	last_large = false;
	pr_info("pid %d addr 0x%lx: pfn 0x%lx: its next remove is skipped\n",
		pid, addr, last_pfn);
	return 0;
}

/*
 * Drop the held folio.  Once its remove was skipped no PTE maps it, so its
 * _mapcount is put back to "unmapped" first: the free the kernel then does
 * is clean, and only the shadow still counts a mapping.
 */
static int release_held(void)
{
	struct folio *folio = held;

	if (!folio)
		return -ENOENT;
	unregister_kprobe(&skip_remove_kp);
	WRITE_ONCE(held, NULL);
	if (atomic_read(&skipped))
		atomic_dec(&folio->_mapcount);
	pr_info("pfn 0x%lx: released (refcount %d, remove %s)\n",
		folio_pfn(folio), folio_ref_count(folio),
		atomic_read(&skipped) ? "skipped" : "not skipped");
	folio_put(folio);
	return 0;
}

static int free_held(void)
{
	if (!held)
		return -ENOENT;
	/* Only after the zap, and when ours is the last reference. */
	if (!atomic_read(&skipped) || folio_ref_count(held) != 1)
		return -EBUSY;
	return release_held();
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	char buf[64], kind[16];
	unsigned long addr;
	int pid, err, arg = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	mutex_lock(&inject_lock);
	if (!strcmp(strim(buf), "undo"))
		err = undo();
	else if (!strcmp(buf, "drop"))
		err = drop();
	else if (!strcmp(buf, "free-held"))
		err = free_held();
	else if (sscanf(buf, "%d %lx %15s %d", &pid, &addr, kind, &arg) < 3)
		err = -EINVAL;
	else if (!strcmp(kind, "skip-inc"))
		err = inject(pid, addr, -1);
	else if (!strcmp(kind, "spurious-inc"))
		err = inject(pid, addr, 1);
	else if (!strcmp(kind, "skip-remove"))
		err = skip_remove(pid, addr);
	else if (!strcmp(kind, "page-inc"))
		err = word_inject(pid, addr, WORD_PAGE, 0);
	else if (!strcmp(kind, "page-dec"))
		err = word_inject(pid, addr, WORD_PAGE_DEC, 0);
	else if (!strcmp(kind, "nr-mapped-inc"))
		err = word_inject(pid, addr, WORD_NR_MAPPED, 0);
	else if (!strcmp(kind, "entirely-flip"))
		err = word_inject(pid, addr, WORD_ENTIRELY, 0);
	else if (!strcmp(kind, "shared-clear"))
		err = word_inject(pid, addr, WORD_SHARED, 0);
	else if (!strcmp(kind, "slot-rename"))
		err = word_inject(pid, addr, WORD_SLOT, arg);
	else if (!strcmp(kind, "clear-bad-pmd"))
		err = clear_bad_pmd(pid, addr);
	else if (!strcmp(kind, "slot-shift"))
		err = word_inject(pid, addr, WORD_SLOT_SHIFT, 0);
	else
		err = -EINVAL;
	mutex_unlock(&inject_lock);
	return err ? err : len;
}

static int ctl_show(struct seq_file *m, void *v)
{
	mutex_lock(&inject_lock);
	seq_printf(m, "pfn: 0x%lx\ncounter: %s\ndelta: %d\n", last_pfn,
		   last_large ? "_large_mapcount" : "_mapcount", last_delta);
	seq_printf(m, "held: %d\nskipped: %d\n", !!held, atomic_read(&skipped));
	mutex_unlock(&inject_lock);
	return 0;
}

static int ctl_open(struct inode *inode, struct file *file)
{
	return single_open(file, ctl_show, NULL);
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = ctl_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = ctl_write,
};

static int __init inject_init(void)
{
	dir = debugfs_create_dir("ms_inject", NULL);
	debugfs_create_file("ctl", 0600, dir, NULL, &ctl_fops);
	return 0;
}

static void __exit inject_exit(void)
{
	debugfs_remove(dir);
	mutex_lock(&inject_lock);
	release_held();
	drop();
	if (word_kind != WORD_NONE)
		word_undo();
	mutex_unlock(&inject_lock);
}

module_init(inject_init);
module_exit(inject_exit);
MODULE_DESCRIPTION("mapshadow tests: inject mapcount faults");
MODULE_LICENSE("GPL");
