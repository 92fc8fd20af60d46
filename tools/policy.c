// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - the policy file parser and the value parsers. The format is
 * described in policy.h.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
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

const char *pmg_shown(const char *s, char *buf, size_t bufsz)
{
	return shown(s, buf, bufsz);
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
	char b[64], real[PATH_MAX];
	struct stat st;

	if (path[0] != '/')
		return msgf(msg, msgsz, "exe=%s: the path must be absolute",
			    shown(path, b, sizeof(b)));
	if (!realpath(path, real) || stat(real, &st))
		return msgf(msg, msgsz, "exe=%s: %s",
			    shown(path, b, sizeof(b)), strerror(errno));
	if (!S_ISREG(st.st_mode))
		return msgf(msg, msgsz, "exe=%s: not a regular file%s",
			    shown(path, b, sizeof(b)),
			    S_ISDIR(st.st_mode) ? " (a directory)" : "");
	snprintf(r->exe_path, sizeof(r->exe_path), "%s", real);
	r->exe_dev = (uint32_t)st.st_dev;	/* compared, never sent */
	r->exe_ino = st.st_ino;
	PMG_SET(r, PMG_R_EXE_PATH);
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

/* A comma list selector (access=, channel=) into *bits and attr. */
static int set_list(struct pmg_rule *r, int attr, uint8_t *bits,
		    int (*parse)(const char *s, uint8_t *bits),
		    const char *key, const char *names, const char *value,
		    char *msg, size_t msgsz)
{
	char b[64];

	if (parse(value, bits))
		return msgf(msg, msgsz,
			    "%s=%s: expected %s, or several joined by commas",
			    key, shown(value, b, sizeof(b)), names);
	PMG_SET(r, attr);
	return 0;
}

int pmg_rule_set_access(struct pmg_rule *r, const char *access,
			char *msg, size_t msgsz)
{
	return set_list(r, PMG_R_ACCESS, &r->access, pmg_parse_access_list,
			"access", "read, write, attach or read-write", access,
			msg, msgsz);
}

int pmg_rule_set_channel(struct pmg_rule *r, const char *channels,
			 char *msg, size_t msgsz)
{
	return set_list(r, PMG_R_CHANNELS, &r->channels,
			pmg_parse_channel_list, "channel",
			"proc-mem, process-vm, ptrace or pidfd-getfd", channels,
			msg, msgsz);
}

int pmg_rule_set(struct pmg_rule *r, int attr, const char *value,
		 char *msg, size_t msgsz)
{
	switch (attr) {
	case PMG_R_EXE_PATH:
		return pmg_rule_set_exe(r, value, msg, msgsz);
	case PMG_R_UID:
		return pmg_rule_set_uid(r, value, msg, msgsz);
	case PMG_R_CGROUP_ID:
		return pmg_rule_set_cgroup(r, value, msg, msgsz);
	case PMG_R_ACCESS:
		return pmg_rule_set_access(r, value, msg, msgsz);
	case PMG_R_CHANNELS:
		return pmg_rule_set_channel(r, value, msg, msgsz);
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
		{ "exe=", PMG_R_EXE_PATH },
		{ "uid=", PMG_R_UID },
		{ "cgroup=", PMG_R_CGROUP_ID },
		{ "access=", PMG_R_ACCESS },
		{ "channel=", PMG_R_CHANNELS },
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
			    "unknown selector '%s' (exe=, uid=, cgroup=, self, "
			    "access=, channel=)",
			    shown(word, b, sizeof(b)));
	if (PMG_HAS(r, sel[i].attr))
		return msgf(msg, msgsz, "'%s' given twice in one rule",
			    sel[i].prefix);
	return pmg_rule_set(r, sel[i].attr, v, msg, msgsz);
}

int pmg_rule_check(const struct pmg_rule *r, char *msg, size_t msgsz)
{
	if (PMG_HAS(r, PMG_R_EXE_PATH) || PMG_HAS(r, PMG_R_UID) ||
	    PMG_HAS(r, PMG_R_CGROUP_ID) || PMG_HAS(r, PMG_R_SELF))
		return 0;
	return msgf(msg, msgsz,
		    "an allow rule needs a selector: exe=, uid=, cgroup= or self");
}

bool pmg_rule_advisory(const struct pmg_rule *r, char *msg, size_t msgsz)
{
	char b[64];

	if (!PMG_HAS(r, PMG_R_EXE_PATH) || PMG_HAS(r, PMG_R_UID) ||
	    PMG_HAS(r, PMG_R_CGROUP_ID))
		return false;
	msgf(msg, msgsz,
	     "exe=%s without uid= or cgroup= is advisory: any process can "
	     "make its executable look like a file it may run, in a user "
	     "namespace of its own; add uid=",
	     shown(r->exe_path, b, sizeof(b)));
	return true;
}

/* --- the settings ------------------------------------------------------------- */

/* In the order they are printed; their names are the module parameters'. */
static const struct pmg_setting settings[] = {
	{ "read", "off|alert|block", PMG_C_READ },
	{ "write", "off|alert|block", PMG_C_WRITE },
	{ "attach", "off|alert|block", PMG_C_ATTACH },
	{ "ratelimit", "<N>/s|off", PMG_C_RATELIMIT },
	{ "burst", "<N>", PMG_C_BURST },
	{ "log", "on|off", PMG_C_LOG },
	{ "report_allowed", "on|off", PMG_C_REPORT_ALLOWED },
};

#define NSETTINGS	(sizeof(settings) / sizeof(settings[0]))

const struct pmg_setting *pmg_settings(size_t *n)
{
	*n = NSETTINGS;
	return settings;
}

/* A setting by name; an old spelling sets *old. */
static const struct pmg_setting *find_setting(const char *name, bool *old)
{
	size_t i;

	*old = !strcmp(name, "report-allowed");
	if (*old)
		name = "report_allowed";
	for (i = 0; i < NSETTINGS; i++)
		if (!strcmp(name, settings[i].name))
			return &settings[i];
	return NULL;
}

int pmg_setting_value(const struct pmg_config *c, int attr, char *buf,
		      size_t n)
{
	const char *word = NULL;
	uint32_t num = 0;

	if (!PMG_HAS(c, attr))
		return -ENOENT;
	switch (attr) {
	case PMG_C_READ:
		word = pmg_mode_name(c->read);
		num = c->read;
		break;
	case PMG_C_WRITE:
		word = pmg_mode_name(c->write);
		num = c->write;
		break;
	case PMG_C_ATTACH:
		word = pmg_mode_name(c->attach);
		num = c->attach;
		break;
	case PMG_C_RATELIMIT:
		if (c->ratelimit)
			snprintf(buf, n, "%" PRIu32 "/s", c->ratelimit);
		else
			snprintf(buf, n, "off");
		return 0;
	case PMG_C_BURST:
		num = c->burst;
		break;
	case PMG_C_LOG:
		word = c->log ? "on" : "off";
		break;
	case PMG_C_REPORT_ALLOWED:
		word = c->report_allowed ? "on" : "off";
		break;
	case PMG_C_LOCKED:
		word = c->locked ? "yes" : "no";
		break;
	default:
		return -ENOENT;
	}
	if (word)
		snprintf(buf, n, "%s", word);
	else
		snprintf(buf, n, "%" PRIu32, num);	/* a value without a name */
	return 0;
}

/* A setting's value into its field of *c: 0, or -EINVAL. */
static int set_value(struct pmg_config *c, int attr, const char *v)
{
	switch (attr) {
	case PMG_C_READ:
		return pmg_parse_mode(v, &c->read);
	case PMG_C_WRITE:
		return pmg_parse_mode(v, &c->write);
	case PMG_C_ATTACH:
		return pmg_parse_mode(v, &c->attach);
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

/* "key=values, ..." of every setting, for messages. */
static void all_settings(char *all, size_t size, char sep)
{
	size_t i;

	all[0] = '\0';
	for (i = 0; i < NSETTINGS; i++)
		snprintf(all + strlen(all), size - strlen(all), "%s%s%c%s",
			 i ? ", " : "", settings[i].name, sep,
			 settings[i].values);
}

/* The warning for an old spelling, into msg. */
static void old_spelling(char *msg, size_t msgsz, const char *old,
			 const struct pmg_setting *st)
{
	snprintf(msg, msgsz, "'%s' is spelled '%s' now", old, st->name);
}

int pmg_config_set_kv(struct pmg_config *c, const char *kv,
		      char *msg, size_t msgsz)
{
	const char *eq = strchr(kv, '=');
	const struct pmg_setting *st;
	struct pmg_config tmp = *c;
	char key[32], b[64], all[300];
	size_t len;
	bool old;

	len = eq ? (size_t)(eq - kv) : 0;
	if (!eq || len == 0 || len >= sizeof(key))
		return msgf(msg, msgsz, "expected key=value, not '%s'",
			    shown(kv, b, sizeof(b)));
	memcpy(key, kv, len);
	key[len] = '\0';
	st = find_setting(key, &old);
	if (!st || set_value(&tmp, st->attr, eq + 1)) {
		all_settings(all, sizeof(all), '=');
		return msgf(msg, msgsz, "bad setting '%s' (%s)",
			    shown(kv, b, sizeof(b)), all);
	}
	if (PMG_HAS(c, st->attr))
		return msgf(msg, msgsz, "'%s' given twice", st->name);
	*c = tmp;
	PMG_SET(c, st->attr);
	msg[0] = '\0';
	if (old)
		old_spelling(msg, msgsz, key, st);
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
	size_t warn_len;			/* of pol->warnings */
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

/* "<name>:<line>: <what>\n" appended to the policy's warnings. */
static int warn(struct parser *ps, const char *what)
{
	size_t add = strlen(ps->name) + strlen(what) + 32;
	char *w = realloc(ps->pol->warnings, ps->warn_len + add);
	int n;

	if (!w)
		return -ENOMEM;
	ps->pol->warnings = w;
	n = snprintf(w + ps->warn_len, add, "%s:%u: warning: %s\n", ps->name,
		     ps->line, what);
	if (n > 0)
		ps->warn_len += (size_t)n < add ? (size_t)n : add - 1;
	return 0;
}

/* The setting st was given on this line; once only. */
static int mark_set(struct parser *ps, const struct pmg_setting *st)
{
	if (ps->set_at[st->attr])
		return fail(ps, "'%s' already given on line %u", st->name,
			    ps->set_at[st->attr]);
	ps->set_at[st->attr] = ps->line;
	PMG_SET(&ps->pol->config, st->attr);
	return 0;
}

/* "ratelimit <N>/s|off", or the older "ratelimit <N>/s burst <M>". */
static int do_ratelimit(struct parser *ps, const struct pmg_setting *st,
			char **w, int n)
{
	struct pmg_config *c = &ps->pol->config;
	bool found;
	int r;

	if ((n != 2 && n != 4) || (n == 4 && !strcmp(w[1], "off")) ||
	    pmg_parse_rate(w[1], &c->ratelimit))
		return fail(ps, "usage: ratelimit <N>/s|off, N >= 1");
	if (n == 2)
		return mark_set(ps, st);
	if (strcmp(w[2], "burst") || pmg_parse_u32(w[3], &c->burst) ||
	    c->burst == 0)
		return fail(ps, "usage: ratelimit <N>/s burst <M>, M >= 1");
	r = mark_set(ps, st);
	if (!r)
		r = mark_set(ps, find_setting("burst", &found));
	return r ? r : warn(ps, "'ratelimit <N>/s burst <M>' is spelled "
			    "'ratelimit <N>/s' and 'burst <M>' on two lines now");
}

/* Any other setting: one value, as config set takes it. */
static int do_setting(struct parser *ps, const struct pmg_setting *st,
		      bool old, char **w, int n)
{
	char msg[128];
	int r;

	if (st->attr == PMG_C_RATELIMIT)
		return do_ratelimit(ps, st, w, n);
	if (n != 2 || set_value(&ps->pol->config, st->attr, w[1]))
		return fail(ps, "usage: %s %s%s", st->name, st->values,
			    st->attr == PMG_C_BURST ? ", N >= 1" : "");
	r = mark_set(ps, st);
	if (r || !old)
		return r;
	old_spelling(msg, sizeof(msg), w[0], st);
	return warn(ps, msg);
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
	struct pmg_rule *r = calloc(1, sizeof(*r));
	char msg[300];
	int i, err = -ENOMEM;

	if (!r)
		return err;
	for (i = 1, err = 0; i < n && !err; i++)
		if (pmg_rule_parse_word(r, w[i], msg, sizeof(msg)))
			err = fail(ps, "%s", msg);
	if (!err && pmg_rule_check(r, msg, sizeof(msg)))
		err = fail(ps, "%s", msg);
	if (!err && pmg_rule_advisory(r, msg, sizeof(msg)))
		err = warn(ps, msg);
	if (!err)
		err = add_rule(ps, r);
	free(r);
	return err;
}

/* allow, or a setting. */
static int run_directive(struct parser *ps, char **w, int n)
{
	const struct pmg_setting *st;
	char b[64], all[300];
	bool old;

	ps->pol->directives++;
	if (!strcmp(w[0], "allow"))
		return do_allow(ps, w, n);
	st = find_setting(w[0], &old);
	if (!st) {
		all_settings(all, sizeof(all), ' ');
		return fail(ps, "unknown directive '%s' (%s; allow)",
			    shown(w[0], b, sizeof(b)), all);
	}
	return do_setting(ps, st, old, w, n);
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
	errno = 0;
	while (!r && (len = getline(&line, &size, f)) >= 0) {
		ps.line++;
		r = parse_line(&ps, line, (size_t)len);
		errno = 0;
	}
	if (!r && ferror(f)) {
		r = errno ? -errno : -EIO;
		snprintf(err->msg, sizeof(err->msg), "%s: %s", name,
			 strerror(-r));
		r = r == -ENOMEM ? r : -EIO;
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
	struct stat st;
	int r;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (!f) {
		r = -errno;
		snprintf(err->msg, sizeof(err->msg), "%s: %s", path,
			 strerror(-r));
		return r;
	}
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		fclose(f);
		snprintf(err->msg, sizeof(err->msg),
			 "%s: is a directory, not a policy file", path);
		return -EISDIR;
	}
	r = pmg_policy_parse(f, path, out, err);
	fclose(f);
	return r;
}

void pmg_policy_free(struct pmg_policy *p)
{
	free(p->rules);
	free(p->warnings);
	memset(p, 0, sizeof(*p));
}
