// SPDX-License-Identifier: GPL-2.0
/*
 * outsink.c - the sinks of `listen`, and the sink of the standard output
 * or a file (see outsink.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "outsink.h"

#define FILE_CHUNK	(64 * 1024)

/* --- the set of sinks ------------------------------------------------------ */

int pmg_out_add(struct pmg_out *out, const struct pmg_out_sink *sink)
{
	if (out->n == PMG_OUT_MAX_SINKS)
		return -ENOSPC;
	out->sink[out->n++] = *sink;
	return 0;
}

int pmg_out_write(struct pmg_out *out, const char *line, size_t len,
		  const struct pmg_line_meta *meta)
{
	int r = 0, e;
	size_t i;

	for (i = 0; i < out->n; i++) {
		e = out->sink[i].write(out->sink[i].ctx, line, len, meta);
		if (e && !r)
			r = e;
	}
	return r;
}

/* Call the callback cb of every sink that has one; the first error. */
#define EACH(out, cb, ...) ({						\
	int _r = 0, _e;							\
	size_t _i;							\
	for (_i = 0; _i < (out)->n; _i++) {				\
		if (!(out)->sink[_i].cb)				\
			continue;					\
		_e = (out)->sink[_i].cb((out)->sink[_i].ctx, ##__VA_ARGS__); \
		if (_e && !_r)						\
			_r = _e;					\
	}								\
	_r; })

int pmg_out_flush(struct pmg_out *out)
{
	return EACH(out, flush);
}

int pmg_out_tick(struct pmg_out *out, int64_t now_ms)
{
	return EACH(out, tick, now_ms);
}

int pmg_out_reopen(struct pmg_out *out)
{
	return EACH(out, reopen);
}

void pmg_out_close(struct pmg_out *out)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->sink[i].close)
			out->sink[i].close(out->sink[i].ctx);
	out->n = 0;
}

/* --- standard output, or a file --------------------------------------------- */

struct fd_sink {
	int fd;
	char *path;		/* NULL: standard output */
	char *buf;		/* whole lines not written yet */
	size_t len, cap;
	size_t chunk;		/* bytes gathered before a flush */
	bool pipe;		/* writes sized by the pipe's room */
};

/*
 * s writes to fd from now on. Whole lines are gathered for it, up to
 * PIPE_BUF (4096) bytes for a socket, where a write of at most PIPE_BUF
 * bytes is not split, so a reader never sees part of a line even when the
 * writer is killed; 64 KiB for anything else (regular files, pipes and
 * FIFOs, /dev/null, terminals). A pipe's writes are sized by its room.
 */
static void fd_sink_use(struct fd_sink *s, int fd)
{
	struct stat st;
	bool known = fstat(fd, &st) == 0;

	s->fd = fd;
	s->chunk = known && S_ISSOCK(st.st_mode) ? PIPE_BUF : FILE_CHUNK;
	s->pipe = known && S_ISFIFO(st.st_mode);
}

/*
 * The bytes an empty pipe fd takes in one write() without waiting (an
 * empty pipe has every page free; a write fills whole pages, but for its
 * last): its size, or 0 in packet mode (O_DIRECT: each page is a read()
 * of its own, so PIPE_BUF at most) or when that cannot be told.
 */
static size_t pipe_capacity(int fd)
{
	int size = fcntl(fd, F_GETPIPE_SZ), fl = fcntl(fd, F_GETFL);

	return size > 0 && fl >= 0 && !(fl & O_DIRECT) ? (size_t)size : 0;
}

/*
 * Whether the pipe fd is empty: pages partly read or written cannot be
 * told from outside, so only an empty pipe's room is known. A reader
 * only makes more room, unless it shrinks the pipe; another writer could
 * take it.
 */
static bool pipe_empty(int fd)
{
	int queued = 1;

	return ioctl(fd, FIONREAD, &queued) == 0 && !queued;
}

/*
 * All of p[0..n): a write() that a signal cuts short goes on where it
 * stopped, and a descriptor someone made non-blocking is waited for.
 */
static int write_all(int fd, const char *p, size_t n)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	ssize_t k;

	while (n) {
		k = write(fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && poll(&pfd, 1, -1) >= 0)
				continue;
			return -errno;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int fd_failed(const struct fd_sink *s, int err)
{
	pmg_err("writing %s: %s", s->path ? s->path : "standard output",
		strerror(-err));
	return err;
}

/*
 * The whole lines of p[0..n) to a pipe. A write() does not wait halfway,
 * so no reader sees part of a line, even when the listener is killed, and
 * (with no other writer) no other bytes come between: it carries as many
 * whole lines as an empty pipe has room for, else (the reader is behind)
 * up to PIPE_BUF bytes of them, which the kernel writes at once when there
 * is room, else one line longer than that alone (which may wait halfway).
 * Each write wakes the reader: at 4096 bytes a write, one flat-out
 * opener's findings outran the listener to a pipe (BENCHMARKS.md,
 * delivery). The pipe's size and mode are read once per call, whether it
 * is empty before each write.
 */
static int write_pipe(int fd, const char *p, size_t n)
{
	size_t cap = n > PIPE_BUF ? pipe_capacity(fd) : 0, k, lim;
	const char *nl;
	int r;

	while (n) {
		k = n;
		lim = n;
		if (n > PIPE_BUF)
			lim = cap && pipe_empty(fd) ? cap : 0;
		if (lim < n) {
			if (lim < PIPE_BUF)
				lim = PIPE_BUF;
			nl = memrchr(p, '\n', lim);
			if (!nl)	/* a line longer than lim */
				nl = memchr(p + lim, '\n', n - lim);
			k = nl ? (size_t)(nl - p) + 1 : n;
		}
		r = write_all(fd, p, k);
		if (r)
			return r;
		p += k;
		n -= k;
	}
	return 0;
}

static int fd_flush(void *ctx)
{
	struct fd_sink *s = ctx;
	int r;

	if (!s->len)
		return 0;
	r = s->pipe ? write_pipe(s->fd, s->buf, s->len) :
		      write_all(s->fd, s->buf, s->len);
	s->len = 0;
	return r ? fd_failed(s, r) : 0;
}

static int fd_reserve(struct fd_sink *s, size_t need)
{
	char *b;

	if (need <= s->cap)
		return 0;
	/* A chunk at once: the buffer grows only for a longer line. */
	if (need < s->chunk)
		need = s->chunk;
	b = realloc(s->buf, need);
	if (!b)
		return -ENOMEM;
	s->buf = b;
	s->cap = need;
	return 0;
}

static int fd_write(void *ctx, const char *line, size_t len,
		    const struct pmg_line_meta *meta)
{
	struct fd_sink *s = ctx;
	int r;

	(void)meta;
	/* Whole lines per write(): flush first rather than split this one. */
	if (s->len && s->len + len + 1 > s->chunk) {
		r = fd_flush(s);
		if (r)
			return r;
	}
	r = fd_reserve(s, s->len + len + 1);
	if (r)
		return fd_failed(s, r);
	memcpy(s->buf + s->len, line, len);
	s->len += len;
	s->buf[s->len++] = '\n';
	/* A line longer than a chunk goes out alone. */
	return s->len >= s->chunk ? fd_flush(s) : 0;
}

/*
 * Open path for appending, creating it with mode 0640. When the file does
 * not end with a newline, write one. Returns the descriptor or -errno.
 */
static int open_append(const char *path)
{
	int flags = O_APPEND | O_CLOEXEC | O_NOCTTY, fd, tries;
	struct stat st;
	char c;

	for (tries = 0; tries < 2; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | flags, 0640);
		if (fd >= 0) {
			/* Exactly 0640, whatever the umask. */
			if (fchmod(fd, 0640)) {
				close(fd);
				return -errno;
			}
			return fd;
		}
		if (errno != EEXIST)
			return -errno;
		fd = open(path, O_RDWR | flags);
		if (fd < 0 && (errno == EACCES || errno == EISDIR ||
			       errno == EINVAL))
			fd = open(path, O_WRONLY | flags);
		if (fd >= 0)
			break;
		if (errno != ENOENT)	/* removed meanwhile: once more */
			return -errno;
	}
	if (fd < 0)
		return -ENOENT;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    pread(fd, &c, 1, st.st_size - 1) == 1 && c != '\n' &&
	    write_all(fd, "\n", 1)) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int fd_reopen(void *ctx)
{
	struct fd_sink *s = ctx;
	int r = fd_flush(s), fd;

	if (r || !s->path)
		return r;
	fd = open_append(s->path);
	if (fd < 0) {
		/* Not fatal: the lines keep going where they went. */
		pmg_err("reopening %s: %s; still writing to the file opened "
			"before", s->path, strerror(-fd));
		return 0;
	}
	close(s->fd);
	fd_sink_use(s, fd);
	return 0;
}

static void fd_close(void *ctx)
{
	struct fd_sink *s = ctx;

	if (s->path) {
		close(s->fd);
		free(s->path);
	}
	free(s->buf);
	free(s);
}

static int fd_sink(int fd, const char *path, struct pmg_out_sink *sink)
{
	struct fd_sink *s = calloc(1, sizeof(*s));

	if (!s || (path && !(s->path = strdup(path)))) {
		free(s);
		pmg_err("out of memory");
		return -ENOMEM;
	}
	fd_sink_use(s, fd);
	memset(sink, 0, sizeof(*sink));
	sink->name = path ? s->path : "standard output";
	sink->write = fd_write;
	sink->flush = fd_flush;
	sink->reopen = fd_reopen;
	sink->close = fd_close;
	sink->ctx = s;
	return 0;
}

int pmg_fd_sink_stdout(struct pmg_out_sink *sink)
{
	return fd_sink(STDOUT_FILENO, NULL, sink);
}

int pmg_fd_sink_file(const char *path, struct pmg_out_sink *sink)
{
	int fd = open_append(path), r;

	if (fd < 0) {
		pmg_err("%s: %s", path, strerror(-fd));
		return fd;
	}
	r = fd_sink(fd, path, sink);
	if (r)
		close(fd);
	return r;
}
