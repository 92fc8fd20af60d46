// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - the policy file parser and the value parsers. The format is
 * described in policy.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <linux/magic.h>

#include "policy.h"
#include "rules.h"

#define MAX_WORDS	16

static int msgf(char *msg, size_t msgsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int msgf(char *msg, size_t msgsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msgsz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A word from the input, made safe to show in a message. */
static const char *shown(const char *s, char *buf, size_t bufsz)
{
	size_t i;

	for (i = 0; s[i] && i + 4 < bufsz; i++)
		buf[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (s[i]) {
		memcpy(buf + i, "...", 4);	/* here i + 4 == bufsz */
		return buf;
	}
	buf[i] = '\0';
	return buf;
}

/* --- values ----------------------------------------------------------------- */

int pmg_parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int pmg_parse_onoff(const char *s, bool *out)
{
	if (!strcmp(s, "on"))
		*out = true;
	else if (!strcmp(s, "off"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

int pmg_parse_rate(const char *s, uint32_t *out)
{
	const char *slash = strchr(s, '/');
	char num[16];
	size_t len;

	if (!strcmp(s, "off")) {
		*out = 0;
		return 0;
	}
	if (!slash || strcmp(slash, "/s"))
		return -EINVAL;
	len = (size_t)(slash - s);
	if (len == 0 || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len);
	num[len] = '\0';
	if (pmg_parse_u32(num, out) || *out == 0)
		return -EINVAL;
	return 0;
}

/* --- allow rules ------------------------------------------------------------ */

int pmg_rule_set_exe(struct pmg_rule *r, const char *path,
		     char *msg, size_t msgsz)
{
	char b[64];
	struct stat st;

	if (path[0] != '/')
		return msgf(msg, msgsz, "exe=%s: the path must be absolute",
			    shown(path, b, sizeof(b)));
	if (stat(path, &st))
		return msgf(msg, msgsz, "exe=%s: %s",
			    shown(path, b, sizeof(b)), strerror(errno));
	if (!S_ISREG(st.st_mode))
		return msgf(msg, msgsz, "exe=%s: not a regular file",
			    shown(path, b, sizeof(b)));
	if (st.st_dev > UINT32_MAX)
		return msgf(msg, msgsz,
			    "exe=%s: device number %#llx does not fit 32 bits",
			    shown(path, b, sizeof(b)),
			    (unsigned long long)st.st_dev);
	r->exe_dev = (uint32_t)st.st_dev;
	r->exe_ino = st.st_ino;
	PMG_SET(r, PMG_R_EXE_DEV);
	PMG_SET(r, PMG_R_EXE_INO);
	return 0;
}

int pmg_rule_set_cgroup(struct pmg_rule *r, const char *path,
			char *msg, size_t msgsz)
{
	struct statfs sfs;
	struct stat st;
	char b[64];

	if (path[0] != '/')
		return msgf(msg, msgsz, "cgroup=%s: the path must be absolute",
			    shown(path, b, sizeof(b)));
	if (statfs(path, &sfs) || stat(path, &st))
		return msgf(msg, msgsz, "cgroup=%s: %s",
			    shown(path, b, sizeof(b)), strerror(errno));
	if (sfs.f_type != CGROUP2_SUPER_MAGIC || !S_ISDIR(st.st_mode))
		return msgf(msg, msgsz,
			    "cgroup=%s: not a cgroup v2 directory",
			    shown(path, b, sizeof(b)));
	/* On cgroup2, a directory's inode number is its cgroup id. */
	r->cgroup_id = st.st_ino;
	PMG_SET(r, PMG_R_CGROUP_ID);
	return 0;
}

int pmg_rule_set_uid(struct pmg_rule *r, const char *uid,
		     char *msg, size_t msgsz)
{
	char b[64];

	if (pmg_parse_u32(uid, &r->uid) || r->uid == UINT32_MAX)
		return msgf(msg, msgsz,
			    "uid=%s: expected a number from 0 to 4294967294",
			    shown(uid, b, sizeof(b)));
	PMG_SET(r, PMG_R_UID);
	return 0;
}

int pmg_rule_set_access(struct pmg_rule *r, const char *access,
			char *msg, size_t msgsz)
{
	char b[64];

	if (pmg_parse_access(access, &r->access))
		return msgf(msg, msgsz,
			    "access=%s: expected read, write or read-write",
			    shown(access, b, sizeof(b)));
	PMG_SET(r, PMG_R_ACCESS);
	return 0;
}

int pmg_rule_set(struct pmg_rule *r, int attr, const char *value,
		 char *msg, size_t msgsz)
{
	switch (attr) {
	case PMG_R_EXE_INO:
		return pmg_rule_set_exe(r, value, msg, msgsz);
	case PMG_R_UID:
		return pmg_rule_set_uid(r, value, msg, msgsz);
	case PMG_R_CGROUP_ID:
		return pmg_rule_set_cgroup(r, value, msg, msgsz);
	case PMG_R_ACCESS:
		return pmg_rule_set_access(r, value, msg, msgsz);
	case PMG_R_SELF:
		r->self = true;
		PMG_SET(r, PMG_R_SELF);
		return 0;
	}
	return msgf(msg, msgsz, "no such selector");
}

int pmg_rule_parse_word(struct pmg_rule *r, const char *word,
			char *msg, size_t msgsz)
{
	static const struct {
		const char *prefix;
		int attr;
	} sel[] = {
		{ "exe=", PMG_R_EXE_INO },
		{ "uid=", PMG_R_UID },
		{ "cgroup=", PMG_R_CGROUP_ID },
		{ "access=", PMG_R_ACCESS },
		{ "self", PMG_R_SELF },
	};
	const char *v = NULL;
	char b[64];
	size_t i, n;

	for (i = 0; i < sizeof(sel) / sizeof(sel[0]); i++) {
		n = strlen(sel[i].prefix);
		if (!strncmp(word, sel[i].prefix, n) &&
		    (sel[i].prefix[n - 1] == '=' || !word[n])) {
			v = word + n;
			break;
		}
	}
	if (!v)
		return msgf(msg, msgsz,
			    "unknown selector '%s' (exe=, uid=, cgroup=, self, access=)",
			    shown(word, b, sizeof(b)));
	if (PMG_HAS(r, sel[i].attr))
		return msgf(msg, msgsz, "'%s' given twice in one rule",
			    sel[i].prefix);
	return pmg_rule_set(r, sel[i].attr, v, msg, msgsz);
}

int pmg_rule_check(const struct pmg_rule *r, char *msg, size_t msgsz)
{
	if (PMG_HAS(r, PMG_R_EXE_INO) || PMG_HAS(r, PMG_R_UID) ||
	    PMG_HAS(r, PMG_R_CGROUP_ID) || PMG_HAS(r, PMG_R_SELF))
		return 0;
	return msgf(msg, msgsz,
		    "an allow rule needs a selector: exe=, uid=, cgroup= or self");
}

/* --- config set key=value ------------------------------------------------------ */

/*
 * The settings: the keys of `config set` and, but for burst (given on the
 * ratelimit line), the directives of a policy file.
 */
static const struct setting {
	const char *name;
	const char *values;	/* what it takes, for messages */
	int attr;
	bool directive;
} settings[] = {
	{ "read", "off|alert|block", PMG_C_READ, true },
	{ "write", "off|alert|block", PMG_C_WRITE, true },
	{ "ratelimit", "<N>/s|off", PMG_C_RATELIMIT, true },
	{ "burst", "<N>", PMG_C_BURST, false },
	{ "log", "on|off", PMG_C_LOG, true },
	{ "report-allowed", "on|off", PMG_C_REPORT_ALLOWED, true },
};

static const struct setting *find_setting(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (!strcmp(name, settings[i].name))
			return &settings[i];
	return NULL;
}

/* A setting's value into its field of *c: 0, or -EINVAL. */
static int set_value(struct pmg_config *c, int attr, const char *v)
{
	switch (attr) {
	case PMG_C_READ:
		return pmg_parse_mode(v, &c->read);
	case PMG_C_WRITE:
		return pmg_parse_mode(v, &c->write);
	case PMG_C_RATELIMIT:
		return pmg_parse_rate(v, &c->ratelimit);
	case PMG_C_BURST:
		return pmg_parse_u32(v, &c->burst) || !c->burst ? -EINVAL : 0;
	case PMG_C_LOG:
		return pmg_parse_onoff(v, &c->log);
	case PMG_C_REPORT_ALLOWED:
		return pmg_parse_onoff(v, &c->report_allowed);
	}
	return -EINVAL;
}

/* key=value into *c: the setting's attribute, or -EINVAL (msg says why). */
static int set_kv(struct pmg_config *c, const char *kv, const char *key,
		  const char *v, char *msg, size_t msgsz)
{
	const struct setting *st = find_setting(key);
	char b[64], all[256] = "";
	size_t i;

	if (st && !set_value(c, st->attr, v))
		return st->attr;
	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s=%s",
			 i ? ", " : "", settings[i].name, settings[i].values);
	return msgf(msg, msgsz, "bad setting '%s' (%s)",
		    shown(kv, b, sizeof(b)), all);
}

int pmg_config_set_kv(struct pmg_config *c, const char *kv,
		      char *msg, size_t msgsz)
{
	const char *eq = strchr(kv, '=');
	struct pmg_config tmp = *c;
	char key[32], b[64];
	size_t len;
	int attr;

	len = eq ? (size_t)(eq - kv) : 0;
	if (!eq || len == 0 || len >= sizeof(key))
		return msgf(msg, msgsz, "expected key=value, not '%s'",
			    shown(kv, b, sizeof(b)));
	memcpy(key, kv, len);
	key[len] = '\0';
	attr = set_kv(&tmp, kv, key, eq + 1, msg, msgsz);
	if (attr < 0)
		return attr;
	if (PMG_HAS(c, attr))
		return msgf(msg, msgsz, "'%s' given twice", key);
	*c = tmp;
	PMG_SET(c, attr);
	return 0;
}

/* --- the policy file ------------------------------------------------------------ */

struct parser {
	const char *name;
	unsigned int line;
	struct pmg_policy *pol;
	struct pmg_perr *err;
	unsigned int set_at[PMG_C_MAX + 1];	/* line of each setting */
	size_t cap;				/* of pol->rules */
};

static int fail(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *ps, const char *fmt, ...)
{
	char reason[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	ps->err->line = ps->line;
	snprintf(ps->err->msg, sizeof(ps->err->msg), "%s:%u: %s",
		 ps->name, ps->line, reason);
	return -EINVAL;
}

/* read, write, log, report-allowed: one value, as `config set` takes it. */
static int do_setting(struct parser *ps, const struct setting *st,
		      char **w, int n)
{
	if (n != 2 || set_value(&ps->pol->config, st->attr, w[1]))
		return fail(ps, "usage: %s %s", w[0], st->values);
	return 0;
}

static int do_ratelimit(struct parser *ps, char **w, int n)
{
	struct pmg_config *c = &ps->pol->config;

	if (n == 2 && !strcmp(w[1], "off")) {
		c->ratelimit = 0;
		return 0;
	}
	if ((n != 2 && n != 4) || !strcmp(w[1], "off") ||
	    pmg_parse_rate(w[1], &c->ratelimit))
		return fail(ps, "usage: ratelimit <N>/s [burst <M>], N >= 1, "
			    "or ratelimit off");
	if (n == 2)
		return 0;
	if (strcmp(w[2], "burst") || pmg_parse_u32(w[3], &c->burst) ||
	    c->burst == 0)
		return fail(ps, "usage: ratelimit <N>/s [burst <M>], M >= 1");
	PMG_SET(c, PMG_C_BURST);
	return 0;
}

static int add_rule(struct parser *ps, const struct pmg_rule *r)
{
	struct pmg_policy *p = ps->pol;

	if (p->nrules >= PMG_MAX_RULES)
		return fail(ps, "too many allow rules (at most %d)",
			    PMG_MAX_RULES);
	return pmg_rules_append(&p->rules, &p->nrules, &ps->cap, r);
}

static int do_allow(struct parser *ps, char **w, int n)
{
	struct pmg_rule r = { 0 };
	char msg[300];
	int i;

	for (i = 1; i < n; i++)
		if (pmg_rule_parse_word(&r, w[i], msg, sizeof(msg)))
			return fail(ps, "%s", msg);
	if (pmg_rule_check(&r, msg, sizeof(msg)))
		return fail(ps, "%s", msg);
	return add_rule(ps, &r);
}

/* allow, or a setting: read, write, ratelimit, log, report-allowed. */
static int run_directive(struct parser *ps, char **w, int n)
{
	const struct setting *st = find_setting(w[0]);
	char b[64];
	int r;

	if (!strcmp(w[0], "allow"))
		return do_allow(ps, w, n);
	if (!st || !st->directive)
		return fail(ps, "unknown directive '%s' (read, write, ratelimit, "
			    "log, report-allowed, allow)",
			    shown(w[0], b, sizeof(b)));
	if (ps->set_at[st->attr])
		return fail(ps, "'%s' already given on line %u", st->name,
			    ps->set_at[st->attr]);
	r = st->attr == PMG_C_RATELIMIT ? do_ratelimit(ps, w, n) :
					  do_setting(ps, st, w, n);
	if (r)
		return r;
	ps->set_at[st->attr] = ps->line;
	PMG_SET(&ps->pol->config, st->attr);
	return 0;
}

/* Split a line into words; a word starting with '#' ends it. */
static int split(char *line, char **w)
{
	char *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(line, " \t\r\n\v\f", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n\v\f", &save)) {
		if (tok[0] == '#')
			break;
		if (n == MAX_WORDS)
			return -1;
		w[n++] = tok;
	}
	return n;
}

static int parse_line(struct parser *ps, char *line, size_t len)
{
	char *w[MAX_WORDS];
	int n;

	if (strlen(line) != len)
		return fail(ps, "NUL byte in the line");
	n = split(line, w);
	if (n < 0)
		return fail(ps, "too many words (at most %d)", MAX_WORDS);
	if (n == 0)
		return 0;
	return run_directive(ps, w, n);
}

int pmg_policy_parse(FILE *f, const char *name, struct pmg_policy *out,
		     struct pmg_perr *err)
{
	struct parser ps = { .name = name, .pol = out, .err = err };
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	int r = 0;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	while (!r && (len = getline(&line, &size, f)) >= 0) {
		ps.line++;
		r = parse_line(&ps, line, (size_t)len);
	}
	if (!r && ferror(f)) {
		snprintf(err->msg, sizeof(err->msg), "%s: read error", name);
		r = -EIO;
	}
	if (r == -ENOMEM)
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", name);
	free(line);
	if (r)
		pmg_policy_free(out);
	return r;
}

int pmg_policy_load(const char *path, struct pmg_policy *out,
		    struct pmg_perr *err)
{
	FILE *f = fopen(path, "re");
	int r;

	if (!f) {
		r = -errno;
		memset(out, 0, sizeof(*out));
		memset(err, 0, sizeof(*err));
		snprintf(err->msg, sizeof(err->msg), "%s: %s", path,
			 strerror(-r));
		return r;
	}
	r = pmg_policy_parse(f, path, out, err);
	fclose(f);
	return r;
}

void pmg_policy_free(struct pmg_policy *p)
{
	free(p->rules);
	memset(p, 0, sizeof(*p));
}
