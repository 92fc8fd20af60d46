// SPDX-License-Identifier: GPL-2.0
/*
 * match.c - recognising procfs mem files.
 *
 * Identity first: every /proc/<pid>/mem and /proc/<pid>/task/<tid>/mem file
 * is opened with procfs' proc_mem_operations, which do_dentry_open() has set
 * in file->f_op before security_file_open() runs. The module learns that
 * pointer at load by opening /proc/self/mem itself, so "is this a mem file"
 * is one pointer compare that no mount, bind mount, symlink, chroot or
 * namespace changes. Names come second, only to tell which process: the
 * dentry chain up to the procfs root is read locklessly under RCU and
 * handed to the pure matcher in include/pmg_match.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include "match.h"

const struct file_operations *pmg_mem_fops __read_mostly;

int pmg_match_init(void)
{
	struct file *f;
	int err = 0;

	f = filp_open("/proc/self/mem", O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_err("cannot open /proc/self/mem to learn procfs' mem file operations (%ld); is procfs mounted at /proc?\n",
		       PTR_ERR(f));
		return PTR_ERR(f);
	}
	/* procfs' own file named "mem", under a pid directory. */
	if (file_inode(f)->i_sb->s_magic != PROC_SUPER_MAGIC ||
	    strcmp(f->f_path.dentry->d_name.name, "mem") ||
	    IS_ROOT(f->f_path.dentry->d_parent)) {
		pr_err("/proc/self/mem is not procfs' mem file; cannot learn its file operations\n");
		err = -ENOENT;
	} else {
		WRITE_ONCE(pmg_mem_fops, f->f_op);
	}
	filp_close(f, NULL);
	return err;
}

/*
 * Copies the names from the file's dentry up to the procfs root, at most
 * PMG_MATCH_DEPTH of them, without locks: procfs never renames the pid,
 * "task" and "mem" dentries, and dentry names are freed after an RCU grace
 * period, so a bounded copy under rcu_read_lock() is safe. A name too long
 * to be a pid is kept as an impossible length so the matcher rejects it.
 */
bool pmg_read_chain(const struct file *file, struct pmg_chain *chain)
{
	const struct dentry *d = file->f_path.dentry;
	const struct dentry *mnt_root = file->f_path.mnt->mnt_root;
	char tmp[PMG_MATCH_DEPTH][PMG_NAME_BYTES] = {};
	u8 tlen[PMG_MATCH_DEPTH];
	unsigned int n = 0, i, below_mnt = 0;
	bool seen_mnt_root = false;

	rcu_read_lock();
	while (!IS_ROOT(d) && n < PMG_MATCH_DEPTH) {
		const unsigned char *name = READ_ONCE(d->d_name.name);
		unsigned int len = READ_ONCE(d->d_name.len);

		if (d == mnt_root)
			seen_mnt_root = true;
		if (!seen_mnt_root)
			below_mnt++;
		if (len >= PMG_NAME_BYTES) {
			tlen[n] = PMG_NAME_BYTES;
		} else {
			for (i = 0; i < len && name[i]; i++)
				tmp[n][i] = name[i];
			tlen[n] = i;
		}
		n++;
		d = READ_ONCE(d->d_parent);
	}
	chain->complete = IS_ROOT(d);
	rcu_read_unlock();

	/* Reverse into root-first order. */
	for (i = 0; i < n; i++) {
		unsigned int j = n - 1 - i;

		memcpy(chain->name[i], tmp[j], PMG_NAME_BYTES);
		chain->len[i] = tlen[j];
	}
	chain->depth = n;
	chain->below_mnt = seen_mnt_root ? below_mnt : n;
	return chain->complete;
}

enum pmg_match_kind pmg_match_chain(const struct pmg_chain *chain,
				    struct pmg_match *m)
{
	struct pmg_name names[PMG_MATCH_DEPTH];
	unsigned int i;

	if (!chain->complete)
		return pmg_no_match(m);
	for (i = 0; i < chain->depth; i++) {
		names[i].name = chain->name[i];
		names[i].len = chain->len[i];
	}
	return pmg_match_names(names, chain->depth, m);
}
