// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module for the VM harness's own tests: writing "oops", "warn",
 * "bug" or "panic" to /sys/kernel/debug/ms_selftest/trigger does exactly
 * that, so the harness can show it reports each one as a failure.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

static struct dentry *dir;

static noinline void selftest_oops(void)
{
	int *p = NULL;

	/* A NULL store the compiler cannot prove away. */
	OPTIMIZER_HIDE_VAR(p);
	WRITE_ONCE(*p, 1);
}

static ssize_t trigger_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	char buf[16];

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
	else
		return -EINVAL;
	return len;
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
MODULE_DESCRIPTION("mapshadow test harness self-test: oops/warn/panic on request");
MODULE_LICENSE("GPL");
