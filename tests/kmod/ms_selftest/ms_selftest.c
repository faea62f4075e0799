// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module for the VM harness's own tests: writing "oops", "warn",
 * "bug" or "panic" to /sys/kernel/debug/ms_selftest/trigger does exactly
 * that, so the harness can show it reports each one as a failure.  On a
 * kernel with the checkers (the debug kernel), "kasan" reads past a
 * kmalloc'd object, "lockdep" takes two locks in both orders, "sleep"
 * may sleep with preemption off and "leak" drops kmalloc'd objects; each
 * is -EOPNOTSUPP where its checker is not built in.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

static struct dentry *dir;
static DEFINE_SPINLOCK(lock_a);
static DEFINE_SPINLOCK(lock_b);

static noinline void selftest_oops(void)
{
	int *p = NULL;

	/* A NULL store the compiler cannot prove away. */
	OPTIMIZER_HIDE_VAR(p);
	WRITE_ONCE(*p, 1);
}

static noinline int selftest_kasan(void)
{
	size_t past = 8;
	char *p;

	if (!IS_ENABLED(CONFIG_KASAN))
		return -EOPNOTSUPP;
	p = kmalloc(8, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(past);
	pr_info("read past the object: %d\n", READ_ONCE(p[past]));
	kfree(p);
	return 0;
}

/* A then B, later B then A: a possible deadlock, never a real one. */
static noinline int selftest_lockdep(void)
{
	if (!IS_ENABLED(CONFIG_PROVE_LOCKING))
		return -EOPNOTSUPP;
	spin_lock(&lock_a);
	spin_lock(&lock_b);
	spin_unlock(&lock_b);
	spin_unlock(&lock_a);
	spin_lock(&lock_b);
	spin_lock(&lock_a);
	spin_unlock(&lock_a);
	spin_unlock(&lock_b);
	return 0;
}

/* The check alone: might_sleep() with preemption off, no actual sleep. */
static noinline int selftest_sleep(void)
{
	if (!IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP))
		return -EOPNOTSUPP;
	preempt_disable();
	might_sleep();
	preempt_enable();
	return 0;
}

/*
 * Several objects, no pointer kept: the stack may still hold the last one
 * when kmemleak scans, not all of them.
 */
static noinline int selftest_leak(void)
{
	int i;
	void *p;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		return -EOPNOTSUPP;
	for (i = 0; i < 8; i++) {
		p = kmalloc(128, GFP_KERNEL);
		if (p)
			memset(p, 0x5a, 128);
		OPTIMIZER_HIDE_VAR(p);
	}
	return 0;
}

static ssize_t trigger_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	char buf[16];
	int ret = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	pr_info("trigger %s\n", buf);
	if (!strcmp(buf, "oops"))
		selftest_oops();
	else if (!strcmp(buf, "warn"))
		WARN(1, "ms_selftest: requested warning\n");
	else if (!strcmp(buf, "panic"))
		panic("ms_selftest: requested panic\n");
	else if (!strcmp(buf, "kasan"))
		ret = selftest_kasan();
	else if (!strcmp(buf, "lockdep"))
		ret = selftest_lockdep();
	else if (!strcmp(buf, "sleep"))
		ret = selftest_sleep();
	else if (!strcmp(buf, "leak"))
		ret = selftest_leak();
	else
		return -EINVAL;
	return ret ? ret : len;
}

static const struct file_operations trigger_fops = {
	.owner = THIS_MODULE,
	.write = trigger_write,
};

static int __init selftest_init(void)
{
	dir = debugfs_create_dir("ms_selftest", NULL);
	debugfs_create_file("trigger", 0200, dir, NULL, &trigger_fops);
	return 0;
}

static void __exit selftest_exit(void)
{
	debugfs_remove(dir);
}

module_init(selftest_init);
module_exit(selftest_exit);
MODULE_DESCRIPTION("mapshadow test harness self-test: oops/warn/panic and checker reports on request");
MODULE_LICENSE("GPL");
