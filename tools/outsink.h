/* SPDX-License-Identifier: GPL-2.0 */
/*
 * outsink.h - where `listen` puts its lines: one or more sinks.
 *
 * `listen` turns every event into one line in the chosen --format (a
 * finding, a summary, a notice of the module, an event of the listener
 * itself) and hands that line to each sink in turn, with a description of
 * the event (struct pmg_line_meta). The standard output or --output FILE
 * is one sink (outsink.c); others (syslog, HTTP, metrics) are kinds of
 * sinks that a command line option adds (struct pmg_sink_kind, listed in
 * outsinks.c).
 *
 * Calls, all from listen's one thread:
 *   write   once per line, in event order;
 *   flush   when no further event is waiting (the end of a burst): a
 *           sink that buffers writes out now, so no line waits for the
 *           next event;
 *   tick    about every 500 ms, also while nothing happens;
 *   reopen  on SIGHUP (log rotation);
 *   close   once, at the end (after a last flush).
 * Every callback but write may be NULL. A callback returns 0, or a
 * negative errno after reporting the problem itself (pmg_err()): that
 * ends `listen` with exit status 2. A sink that may lose lines without
 * that being fatal (a network peer away) keeps count itself and returns 0.
 */
#ifndef PMG_OUTSINK_H
#define PMG_OUTSINK_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "pmg.h"

struct pmg_listener;

/* What a line stands for. */
enum pmg_line_type {
	PMG_LINE_FINDING,	/* a finding: meta->finding */
	PMG_LINE_SUMMARY,	/* a summary of findings: meta->finding */
	PMG_LINE_NOTICE,	/* a notice of the module: meta->notice */
	PMG_LINE_LISTENER,	/* an event of the listener itself */
};

/* Events of the listener itself (PMG_LINE_LISTENER). */
enum pmg_listener_event {
	PMG_LEV_STARTED = 1,	/* listening (or waiting for the module) */
	PMG_LEV_MODULE_LOADED,	/* the module is there (again) */
	PMG_LEV_MODULE_UNLOADED, /* the module went away */
	PMG_LEV_LOST,		/* findings or notices lost: meta->lost */
	PMG_LEV_PACING_REFUSED,	/* the module would not pace: meta->err */
	PMG_LEV_BAD_MESSAGE,	/* a message was dropped: meta->err */
	PMG_LEV_ERROR,		/* a fatal error: listen ends (meta->err) */
	PMG_LEV_STOPPED,	/* listen ends normally (signal) */
	PMG_LEV_OUTPUT_DROPPED,	/* a --syslog or --post sink dropped
				 * lines: pmg_lev.output
				 */
};

/*
 * Syslog severities (RFC 5424), the scale of pmg_line_meta.severity:
 * a finding is WARNING, CRIT when procmem-guard refused the access (see
 * the man page, OUTPUT FORMATS, for every mapping).
 */
enum pmg_severity {
	PMG_SEV_EMERG, PMG_SEV_ALERT, PMG_SEV_CRIT, PMG_SEV_ERR,
	PMG_SEV_WARNING, PMG_SEV_NOTICE, PMG_SEV_INFO, PMG_SEV_DEBUG,
};

/*
 * What a sink learns about a line besides its bytes. Pointers are valid
 * during the call only (the strings of finding and notice point into the
 * listener's receive buffer: struct pmg_str, never NUL-free assumptions).
 */
struct pmg_line_meta {
	enum pmg_line_type type;
	enum pmg_format format;		/* of the line */
	int severity;			/* enum pmg_severity */
	const char *priority;		/* the same as Falco names it:
					 * "Critical", "Warning", ...
					 */
	/*
	 * Short ASCII name of the event, [a-z0-9_-] only (safe as a syslog
	 * MSGID or a metric label): a finding's or summary's Tracee event
	 * name ("proc_mem_access", "process_vm_read"), a notice's type
	 * ("policy-changed"), a listener event ("lost", "module-loaded").
	 */
	const char *event;
	const char *signature;		/* "TRC-1023", "PMG-2001"; NULL but
					 * for findings and summaries
					 */
	uint64_t time_ns;		/* when it happened, CLOCK_REALTIME */
	uint64_t seq;			/* the module's sequence number; 0:
					 * none (listener events)
					 */
	const char *hostname;		/* the listener's host name */
	const char *boot_id;		/* 32 hex digits, or NULL */
	const struct pmg_finding *finding;	/* FINDING, SUMMARY */
	const struct pmg_notice *notice;	/* NOTICE */
	enum pmg_listener_event lev;	/* LISTENER */
	uint64_t lost;			/* PMG_LEV_LOST: how many (0: not
					 * known)
					 */
	int err;			/* LISTENER: a negative errno, or 0 */
};

/* One sink: the callbacks described above, and their context. */
struct pmg_out_sink {
	const char *name;		/* for messages: "stdout", a path */
	/* line[0..len) is one line without its newline; line[len] is NUL */
	int (*write)(void *ctx, const char *line, size_t len,
		     const struct pmg_line_meta *meta);
	int (*flush)(void *ctx);
	int (*tick)(void *ctx, int64_t now_ms);
	int (*reopen)(void *ctx);
	void (*close)(void *ctx);
	void *ctx;
};

/* What a sink kind's open() gets to know. */
struct pmg_out_env {
	enum pmg_format format;		/* of the lines it will get */
	const char *hostname;
	const char *boot_id;		/* or NULL */
	/*
	 * The running listener (e.g. pmg_get_stats(pmg_listener_nl(l), ...)
	 * from tick); NULL in tests.
	 */
	struct pmg_listener *listener;
};

/*
 * A kind of sink that an option of `listen` adds: --<option> <ARG>, or
 * --<option> alone when arg is NULL. Each use of the option opens one
 * sink, after `listen` has connected to the module and before the first
 * line.
 */
struct pmg_sink_kind {
	const char *option;		/* long option, without "--" */
	const char *arg;		/* "ADDRESS", or NULL: no argument */
	const char *help;		/* lines for `listen --help`, each
					 * "  --option ARG  what it does\n"
					 */
	/* Fill *sink for arg: 0, or a negative errno, reported already. */
	int (*open)(const char *arg, const struct pmg_out_env *env,
		    struct pmg_out_sink *sink);
};

/* The sink kinds of this build, NULL-terminated (outsinks.c). */
extern const struct pmg_sink_kind *const pmg_sink_kinds[];

/* --- the sinks of one `listen` ------------------------------------------ */

#define PMG_OUT_MAX_SINKS	8

struct pmg_out {
	struct pmg_out_sink sink[PMG_OUT_MAX_SINKS];
	size_t n;
};

/* Add a sink: 0, or -ENOSPC when PMG_OUT_MAX_SINKS are there already. */
int pmg_out_add(struct pmg_out *out, const struct pmg_out_sink *sink);

/*
 * Hand a line to every sink, in the order they were added. 0, or the
 * first negative errno a sink returned (the other sinks still get it).
 */
int pmg_out_write(struct pmg_out *out, const char *line, size_t len,
		  const struct pmg_line_meta *meta);
/* The same for the other calls; close closes and forgets every sink. */
int pmg_out_flush(struct pmg_out *out);
int pmg_out_tick(struct pmg_out *out, int64_t now_ms);
int pmg_out_reopen(struct pmg_out *out);
void pmg_out_close(struct pmg_out *out);

/*
 * The sink of the standard output, or of a file. Lines are gathered (4096
 * bytes for a socket, else 64 KiB) and written in whole lines only; to a
 * pipe or a FIFO, each write() carries what the pipe has room for, or at
 * most PIPE_BUF bytes, so that it does not wait halfway (see write_pipe()
 * in outsink.c). A write cut short by a signal goes on where it stopped.
 *
 * pmg_fd_sink_stdout: file descriptor 1.
 * pmg_fd_sink_file: path, opened for appending; created with mode 0640
 * (whatever the umask) if it does not exist. If the file does not end
 * with a newline (a writer was killed in the middle of a line), a newline
 * is written first, so that the next line starts a line of its own.
 * reopen (SIGHUP) closes it and opens the path again, for log rotation.
 * Both: 0 with *sink filled, or a negative errno (reported).
 */
int pmg_fd_sink_stdout(struct pmg_out_sink *sink);
int pmg_fd_sink_file(const char *path, struct pmg_out_sink *sink);

#endif /* PMG_OUTSINK_H */
