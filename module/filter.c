// SPDX-License-Identifier: GPL-2.0
/* The tracking filter; see filter.h.  Written under the control mutex. */
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/string.h>
#include "control_parse.h"
#include "filter.h"
#include "mapshadow.h"

enum ms_filter_mode { MS_FILTER_ALL, MS_FILTER_PID, MS_FILTER_COMM };

static int ms_mode = MS_FILTER_ALL;
/* Compared, never dereferenced by handlers; held with mmgrab(). */
static struct mm_struct *ms_filter_mm;
static int ms_pid;
static char ms_comm[MS_COMM_LEN];

bool ms_filter_allows(const struct mm_struct *mm)
{
	char comm[TASK_COMM_LEN];

	switch (READ_ONCE(ms_mode)) {
	case MS_FILTER_PID:
		return mm && mm == READ_ONCE(ms_filter_mm);
	case MS_FILTER_COMM:
		ms_current_comm(comm);
		return !strncmp(comm, ms_comm, sizeof(ms_comm));
	default:
		return true;
	}
}

static void ms_filter_drop_mm(void)
{
	struct mm_struct *old = ms_filter_mm;

	WRITE_ONCE(ms_filter_mm, NULL);
	if (old)
		mmdrop(old);
}

int ms_filter_set_pid(int pid)
{
	struct pid *p = find_get_pid(pid);
	struct task_struct *task;
	struct mm_struct *mm;

	task = get_pid_task(p, PIDTYPE_PID);
	put_pid(p);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return -EINVAL;
	mmgrab(mm);
	mmput(mm);
	WRITE_ONCE(ms_mode, MS_FILTER_ALL);
	ms_filter_drop_mm();
	WRITE_ONCE(ms_filter_mm, mm);
	ms_pid = pid;
	WRITE_ONCE(ms_mode, MS_FILTER_PID);
	return 0;
}

void ms_filter_set_comm(const char *comm)
{
	WRITE_ONCE(ms_mode, MS_FILTER_ALL);
	ms_filter_drop_mm();
	strscpy(ms_comm, comm, sizeof(ms_comm));
	WRITE_ONCE(ms_mode, MS_FILTER_COMM);
}

void ms_filter_set_all(void)
{
	WRITE_ONCE(ms_mode, MS_FILTER_ALL);
	ms_filter_drop_mm();
}

/* stats lines: filter_mode and filter_value. */
void ms_filter_show(struct seq_file *m)
{
	switch (ms_mode) {
	case MS_FILTER_PID:
		seq_printf(m, "filter_mode: pid\nfilter_value: %d\n", ms_pid);
		break;
	case MS_FILTER_COMM:
		seq_printf(m, "filter_mode: comm\nfilter_value: %s\n", ms_comm);
		break;
	default:
		seq_puts(m, "filter_mode: all\nfilter_value: -\n");
	}
}
