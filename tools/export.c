// SPDX-License-Identifier: GPL-2.0
/*
 * export.c - the policy in the policy file's words: settings, rules, the
 * whole running policy, and what applying a file would change (export.h).
 */
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/printbuf.h>

#include "codec.h"
#include "escape.h"
#include "export.h"
#include "format.h"

/* --- settings --------------------------------------------------------------- */

void pmg_print_config(FILE *out, const struct pmg_config *c)
{
	const struct pmg_setting *st = NULL;
	char v[32];
	size_t i, n;

	st = pmg_settings(&n);
	for (i = 0; i < n; i++)
		fprintf(out, "%s: %s\n", st[i].name,
			pmg_setting_value(c, st[i].attr, v, sizeof(v)) ? "?" : v);
	fprintf(out, "locked: %s\n",
		pmg_setting_value(c, PMG_C_LOCKED, v, sizeof(v)) ? "?" : v);
}

/* A setting's value in JSON: its word, a number, or true/false. */
static json_object *setting_json(const struct pmg_config *c, int attr)
{
	char v[32];

	if (pmg_setting_value(c, attr, v, sizeof(v)))
		return NULL;
	switch (attr) {
	case PMG_C_RATELIMIT:
		return json_object_new_int64(c->ratelimit);
	case PMG_C_BURST:
		return json_object_new_int64(c->burst);
	case PMG_C_LOG:
		return json_object_new_boolean(c->log);
	case PMG_C_REPORT_ALLOWED:
		return json_object_new_boolean(c->report_allowed);
	case PMG_C_LOCKED:
		return json_object_new_boolean(c->locked);
	}
	return json_object_new_string(v);
}

json_object *pmg_config_to_json(const struct pmg_config *c)
{
	json_object *o = json_object_new_object();
	const struct pmg_setting *st;
	size_t i, n;

	st = pmg_settings(&n);
	for (i = 0; i < n; i++)
		json_object_object_add(o, st[i].name,
				       setting_json(c, st[i].attr));
	json_object_object_add(o, "locked", setting_json(c, PMG_C_LOCKED));
	return o;
}

/* --- cgroups by id ------------------------------------------------------------ */

/* The first cgroup2 mount point, from mountinfo: 0 or -ENOENT. */
static int cgroup2_root(char *buf, size_t n)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, mnt[4096], type[32];
	const char *sep;
	size_t size = 0;
	int r = -ENOENT;

	if (!f)
		return r;
	while (r && getline(&line, &size, f) > 0) {
		sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(sep, " - %31s", type) != 1 || strcmp(type, "cgroup2"))
			continue;
		/* mountinfo writes blanks and backslashes as \ooo: skip those */
		if (!strchr(mnt, '\\') && strlen(mnt) < n) {
			snprintf(buf, n, "%s", mnt);
			r = 0;
		}
	}
	free(line);
	fclose(f);
	return r;
}

/* nftw() takes no argument for its callback: what visit() looks for. */
static struct {
	uint64_t id;
	char *buf;
	size_t n;
} wanted;

static int visit(const char *path, const struct stat *st, int type,
		 struct FTW *ftw)
{
	(void)ftw;
	if (type != FTW_D || st->st_ino != wanted.id ||
	    strlen(path) >= wanted.n)
		return 0;
	snprintf(wanted.buf, wanted.n, "%s", path);
	return 1;	/* found: stop */
}

int pmg_cgroup_path(uint64_t id, char *buf, size_t n)
{
	char root[4096];
	int r;

	if (cgroup2_root(root, sizeof(root)))
		return -ENOENT;
	wanted.id = id;
	wanted.buf = buf;
	wanted.n = n;
	/* Physical walk on that file system only, 16 descriptors at most. */
	r = nftw(root, visit, 16, FTW_PHYS | FTW_MOUNT);
	wanted.buf = NULL;
	return r == 1 ? 0 : -ENOENT;
}

/* --- rules ----------------------------------------------------------------- */

/* The words of an allow line for r, unescaped; false if out of memory. */
static bool rule_words(struct printbuf *pb, const struct pmg_rule *r,
		       const char *cgroup_path, bool escape)
{
	char list[64];
	int e = 0;

	if (PMG_HAS(r, PMG_R_EXE_PATH)) {
		e |= printbuf_strappend(pb, " exe=") < 0;
		if (escape)
			e |= pmg_text_escape(pb, r->exe_path,
					     strlen(r->exe_path)) != 0;
		else
			e |= printbuf_memappend(pb, r->exe_path,
						(int)strlen(r->exe_path)) < 0;
	}
	if (PMG_HAS(r, PMG_R_UID))
		e |= sprintbuf(pb, " uid=%" PRIu32, r->uid) < 0;
	if (PMG_HAS(r, PMG_R_CGROUP_ID) && cgroup_path)
		e |= sprintbuf(pb, " cgroup=%s", cgroup_path) < 0;
	else if (PMG_HAS(r, PMG_R_CGROUP_ID))
		e |= sprintbuf(pb, " cgroup_id=%" PRIu64, r->cgroup_id) < 0;
	if (PMG_HAS(r, PMG_R_SELF) && r->self)
		e |= printbuf_strappend(pb, " self") < 0;
	if (PMG_HAS(r, PMG_R_ACCESS)) {
		if (pmg_access_list_name(r->access, list, sizeof(list)))
			snprintf(list, sizeof(list), "%u", r->access);
		e |= sprintbuf(pb, " access=%s", list) < 0;
	}
	if (PMG_HAS(r, PMG_R_CHANNELS)) {
		if (pmg_channel_list_name(r->channels, list, sizeof(list)))
			snprintf(list, sizeof(list), "%u", r->channels);
		e |= sprintbuf(pb, " channel=%s", list) < 0;
	}
	return !e;
}

char *pmg_rule_words(const struct pmg_rule *r, const char *cgroup_path)
{
	struct printbuf *pb = printbuf_new();
	char *s = NULL;

	if (!pb)
		return NULL;
	if (rule_words(pb, r, cgroup_path, true))
		s = strdup(pb->bpos ? pb->buf + 1 : "");
	printbuf_free(pb);
	return s;
}

char *pmg_rule_to_text(const struct pmg_rule *r)
{
	return pmg_rule_words(r, NULL);
}

static json_object *opt_u64(bool has, uint64_t v)
{
	return has ? json_object_new_uint64(v) : NULL;
}

static json_object *list_json(bool has, unsigned int bits,
			      int (*name)(unsigned int, char *, size_t))
{
	char list[64];

	if (!has)
		return NULL;
	if (name(bits, list, sizeof(list)))
		return json_object_new_int64(bits);
	return json_object_new_string(list);
}

json_object *pmg_rule_to_json(const struct pmg_rule *r)
{
	json_object *o = json_object_new_object();
	bool exe = PMG_HAS(r, PMG_R_EXE_PATH);

	json_object_object_add(o, "id", opt_u64(PMG_HAS(r, PMG_R_ID), r->id));
	json_object_object_add(o, "exe", exe ? pmg_json_bytes(r->exe_path) :
					       NULL);
	json_object_object_add(o, "exe_dev", opt_u64(PMG_HAS(r, PMG_R_EXE_DEV),
						     r->exe_dev));
	json_object_object_add(o, "exe_inode",
			       opt_u64(PMG_HAS(r, PMG_R_EXE_INO), r->exe_ino));
	json_object_object_add(o, "stale", PMG_HAS(r, PMG_R_STALE) ?
			       json_object_new_boolean(r->stale) : NULL);
	json_object_object_add(o, "uid", opt_u64(PMG_HAS(r, PMG_R_UID),
						 r->uid));
	json_object_object_add(o, "cgroup_id",
			       opt_u64(PMG_HAS(r, PMG_R_CGROUP_ID),
				       r->cgroup_id));
	/* A rule is for the accessor itself or not: never null. */
	json_object_object_add(o, "self", json_object_new_boolean(
		PMG_HAS(r, PMG_R_SELF) && r->self));
	json_object_object_add(o, "access",
			       list_json(PMG_HAS(r, PMG_R_ACCESS), r->access,
					 pmg_access_list_name));
	json_object_object_add(o, "channel",
			       list_json(PMG_HAS(r, PMG_R_CHANNELS),
					 r->channels, pmg_channel_list_name));
	return o;
}

/* --- policy files ------------------------------------------------------------ */

/* Can a policy line hold this path as it is? */
static bool line_safe(const char *s)
{
	struct printbuf *pb = printbuf_new();
	bool ok;

	if (!pb)
		return false;
	ok = !pmg_text_escape(pb, s, strlen(s)) &&
	     !strcmp(pb->buf ? pb->buf : "", s) && !strpbrk(s, " \t\v\f\r");
	printbuf_free(pb);
	return ok;
}

/*
 * The allow line of r into pb ("allow ..."), or false when no line can
 * hold it, with why. Out of memory: *oom.
 */
static bool allow_line(struct printbuf *pb, const struct pmg_rule *r,
		       const char **why, bool *oom)
{
	char cg[4096];
	const char *path = NULL;

	*why = NULL;
	if (PMG_HAS(r, PMG_R_CGROUP_ID)) {
		if (!pmg_cgroup_path(r->cgroup_id, cg, sizeof(cg)) &&
		    line_safe(cg))
			path = cg;
		else
			*why = "no cgroup directory has this id now, or its path "
			       "cannot be written on a policy line";
	}
	if (PMG_HAS(r, PMG_R_EXE_PATH) && !line_safe(r->exe_path))
		*why = "the exe path cannot be written on a policy line";
	*oom = printbuf_strappend(pb, "allow") < 0 ||
	       !rule_words(pb, r, path, true);
	return !*why;
}

/* Append "<what>\n" to *notes. */
static int note(char **notes, const char *what, const char *line)
{
	size_t len = *notes ? strlen(*notes) : 0;
	size_t add = strlen(what) + strlen(line) + 8;
	char *n = realloc(*notes, len + add);

	if (!n)
		return -ENOMEM;
	snprintf(n + len, add, "%s: %s\n", line, what);
	*notes = n;
	return 0;
}

static const char stale_note[] =
	"stale: the path now names another file than the one this rule "
	"allows; applying this line allows the file it names now";

int pmg_policy_export(FILE *out, const struct pmg_config *c,
		      const struct pmg_rule *rules, size_t n, char **notes)
{
	const struct pmg_setting *st = NULL;
	struct printbuf *pb;
	const char *why;
	char v[32];
	size_t i, ns;
	bool oom = false;

	*notes = NULL;
	st = pmg_settings(&ns);
	for (i = 0; i < ns; i++)
		if (!pmg_setting_value(c, st[i].attr, v, sizeof(v)))
			fprintf(out, "%s %s\n", st[i].name, v);
	pb = printbuf_new();
	if (!pb)
		return -ENOMEM;
	for (i = 0; i < n && !oom; i++) {
		printbuf_reset(pb);
		if (!allow_line(pb, &rules[i], &why, &oom)) {
			fprintf(out, "# %s\n#%s\n", why, pb->buf);
			oom = oom || note(notes, why, pb->buf);
			continue;
		}
		if (PMG_HAS(&rules[i], PMG_R_STALE) && rules[i].stale) {
			fprintf(out, "# %s\n", stale_note);
			oom = oom || note(notes, stale_note, pb->buf);
		}
		fprintf(out, "%s\n", pb->buf);
	}
	printbuf_free(pb);
	return oom ? -ENOMEM : 0;
}

/* --- differences ------------------------------------------------------------ */

/* Would applying file's rule f leave the running rule r as it is? */
static bool same_rule(const struct pmg_rule *r, const struct pmg_rule *f)
{
	static const int sel[] = {
		PMG_R_EXE_PATH, PMG_R_UID, PMG_R_CGROUP_ID, PMG_R_SELF,
		PMG_R_ACCESS, PMG_R_CHANNELS,
	};
	size_t i;

	for (i = 0; i < sizeof(sel) / sizeof(sel[0]); i++)
		if (PMG_HAS(r, sel[i]) != PMG_HAS(f, sel[i]))
			return false;
	if (PMG_HAS(r, PMG_R_EXE_PATH) &&
	    ((PMG_HAS(r, PMG_R_STALE) && r->stale) ||
	     (strcmp(r->exe_path, f->exe_path) &&
	      (r->exe_ino != f->exe_ino || r->exe_dev != f->exe_dev))))
		return false;
	return (!PMG_HAS(r, PMG_R_UID) || r->uid == f->uid) &&
	       (!PMG_HAS(r, PMG_R_CGROUP_ID) || r->cgroup_id == f->cgroup_id) &&
	       (!PMG_HAS(r, PMG_R_SELF) || r->self == f->self) &&
	       (!PMG_HAS(r, PMG_R_ACCESS) || r->access == f->access) &&
	       (!PMG_HAS(r, PMG_R_CHANNELS) || r->channels == f->channels);
}

/* "<sign>allow ..." for r, with a note when stale or not expressible. */
static int diff_rule(FILE *out, char sign, const struct pmg_rule *r)
{
	struct printbuf *pb = printbuf_new();
	const char *why;
	bool oom;

	if (!pb)
		return -ENOMEM;
	allow_line(pb, r, &why, &oom);
	if (!oom)
		fprintf(out, "%c%s%s\n", sign, pb->buf,
			PMG_HAS(r, PMG_R_STALE) && r->stale ?
			"  # stale: the path now names another file" : "");
	printbuf_free(pb);
	return oom ? -ENOMEM : 1;
}

/* The settings src has, over those of dst. */
static void overlay(struct pmg_config *dst, const struct pmg_config *src)
{
	if (PMG_HAS(src, PMG_C_READ))
		dst->read = src->read;
	if (PMG_HAS(src, PMG_C_WRITE))
		dst->write = src->write;
	if (PMG_HAS(src, PMG_C_ATTACH))
		dst->attach = src->attach;
	if (PMG_HAS(src, PMG_C_RATELIMIT))
		dst->ratelimit = src->ratelimit;
	if (PMG_HAS(src, PMG_C_BURST))
		dst->burst = src->burst;
	if (PMG_HAS(src, PMG_C_LOG))
		dst->log = src->log;
	if (PMG_HAS(src, PMG_C_REPORT_ALLOWED))
		dst->report_allowed = src->report_allowed;
	dst->present |= src->present & PMG_C_SETTABLE;
}

/* The settings that differ; *send gets the settings to send. */
static int diff_settings(FILE *out, const struct pmg_config *running,
			 const struct pmg_config *file, struct pmg_config *send)
{
	const struct pmg_setting *st = NULL;
	char old[32], new[32];
	size_t i, n;
	int lines = 0;

	*send = *running;
	send->present &= PMG_C_SETTABLE;
	st = pmg_settings(&n);
	for (i = 0; i < n; i++) {
		if (pmg_setting_value(file, st[i].attr, new, sizeof(new)))
			continue;
		if (pmg_setting_value(running, st[i].attr, old, sizeof(old)))
			snprintf(old, sizeof(old), "?");
		else if (!strcmp(old, new))
			continue;
		fprintf(out, "-%s %s\n+%s %s\n", st[i].name, old, st[i].name,
			new);
		lines += 2;
	}
	overlay(send, file);
	return lines;
}

int pmg_policy_diff(FILE *out, const struct pmg_config *running,
		    const struct pmg_rule *rules, size_t n,
		    const struct pmg_policy *file, struct pmg_config *send)
{
	bool *kept = calloc(n + 1, sizeof(*kept));
	bool *taken = calloc(file->nrules + 1, sizeof(*taken));
	int lines = -ENOMEM, r = 0;
	size_t i, j;

	if (!kept || !taken)
		goto out;
	lines = diff_settings(out, running, &file->config, send);
	for (i = 0; i < n; i++)
		for (j = 0; j < file->nrules && !kept[i]; j++)
			if (!taken[j] && same_rule(&rules[i], &file->rules[j]))
				kept[i] = taken[j] = true;
	for (i = 0; i < n && r >= 0; i++)
		if (!kept[i]) {
			r = diff_rule(out, '-', &rules[i]);
			lines += r > 0;
		}
	for (j = 0; j < file->nrules && r >= 0; j++)
		if (!taken[j]) {
			r = diff_rule(out, '+', &file->rules[j]);
			lines += r > 0;
		}
	if (r < 0)
		lines = r;
out:
	free(kept);
	free(taken);
	return lines;
}
