// SPDX-License-Identifier: GPL-2.0
/*
 * sendq.c - a sender's bounded queue and the thread that drains it (see
 * senders.h for what it promises, sendq.h for the kinds of sender).
 *
 * The caller's thread only copies a line into the queue under a mutex;
 * everything that can wait (connecting, sending, backing off) happens in
 * the sender's thread. Messages on stderr come from that thread, one
 * line each (under stderr's lock).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "cli.h"
#include "format.h"
#include "sendq.h"

struct msg {
	char *data;
	size_t len;
};

struct pmg_sender {
	const struct pmg_sender_ops *ops;
	void *ctx;
	struct pmg_send_opts o;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* queue not empty, or stop */
	struct msg *ring;		/* o.queue_lines slots */
	unsigned int head, count;	/* oldest slot, slots in use */
	size_t bytes;			/* bytes in the queue */
	bool busy;			/* the thread holds a message */
	bool stop;			/* pmg_sender_stop() was called */
	bool stopped;			/* and the thread has ended */
	struct timespec deadline;	/* then: give up at this time */
	struct pmg_send_stats st;
	uint64_t reported;		/* drops already reported */
};

uint64_t pmg_send_dropped(const struct pmg_send_stats *s)
{
	return s->queue_full + s->failed + s->rejected + s->unsent;
}

const char *pmg_sender_kind(const struct pmg_sender *s)
{
	return s->ops->kind;
}

/* One line on stderr, whole, from any thread. */
static void say(struct pmg_sender *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct pmg_sender *s, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (s->o.quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	flockfile(stderr);
	pmg_err("%s: %s: %s", s->ops->kind, s->ops->where(s->ctx), buf);
	funlockfile(stderr);
}

static bool past(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec ||
	       (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

static struct timespec after_ms(unsigned int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* Whether the thread must give up now (stopped, and the drain time over). */
static bool giving_up(struct pmg_sender *s)
{
	return s->stop && past(&s->deadline);
}

/*
 * Wait ms before a retry, under the lock; returns early when the sender is
 * stopped (the retry then happens at once, or not at all: giving_up()).
 */
static void backoff(struct pmg_sender *s, unsigned int ms)
{
	struct timespec t = after_ms(ms);

	while (!s->stop && !past(&t))
		if (pthread_cond_timedwait(&s->cond, &s->lock, &t) == ETIMEDOUT)
			break;
}

/*
 * Deliver one message, retrying as senders.h says. Called without the
 * lock, which it takes only to count and to wait: a line given meanwhile
 * never waits for stderr.
 */
static void deliver(struct pmg_sender *s, const struct msg *m)
{
	unsigned int attempt = 0, wait = s->o.backoff_ms;
	uint64_t dropped;
	const char *why;
	char err[512];
	int r;

	for (;;) {
		err[0] = '\0';
		r = s->ops->send(s->ctx, m->data, m->len, err, sizeof(err));
		pthread_mutex_lock(&s->lock);
		if (!r) {
			s->st.delivered++;
			pthread_mutex_unlock(&s->lock);
			if (attempt)
				say(s, "delivered after %u %s", attempt,
				    attempt == 1 ? "retry" : "retries");
			return;
		}
		if (r != -EAGAIN) {
			s->st.rejected++;
			dropped = pmg_send_dropped(&s->st);
			pthread_mutex_unlock(&s->lock);
			say(s, "%s: line rejected (%" PRIu64 " dropped so far)",
			    err, dropped);
			return;
		}
		if (attempt == s->o.retries || giving_up(s)) {
			why = giving_up(s) ? "stopping" : "gave up";
			if (giving_up(s))
				s->st.unsent++;
			else
				s->st.failed++;
			dropped = pmg_send_dropped(&s->st);
			pthread_mutex_unlock(&s->lock);
			say(s, "%s; %s after %u attempt%s: line dropped "
			    "(%" PRIu64 " dropped so far)", err, why,
			    attempt + 1, attempt ? "s" : "", dropped);
			return;
		}
		attempt++;
		s->st.retries++;
		pthread_mutex_unlock(&s->lock);
		say(s, "%s; retry %u of %u in %u ms", err, attempt,
		    s->o.retries, wait);
		pthread_mutex_lock(&s->lock);
		backoff(s, wait);
		pthread_mutex_unlock(&s->lock);
		wait = wait > PMG_SEND_BACKOFF_MAX_MS / 2 ?
		       PMG_SEND_BACKOFF_MAX_MS : wait * 2;
	}
}

static void *run(void *arg)
{
	struct pmg_sender *s = arg;
	struct msg m;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->count && !s->stop)
			pthread_cond_wait(&s->cond, &s->lock);
		if (!s->count)
			break;
		m = s->ring[s->head];
		s->head = (s->head + 1) % s->o.queue_lines;
		s->count--;
		s->busy = true;
		if (giving_up(s)) {
			s->st.unsent++;
		} else {
			pthread_mutex_unlock(&s->lock);
			deliver(s, &m);
			pthread_mutex_lock(&s->lock);
		}
		s->bytes -= m.len;
		s->busy = false;
		free(m.data);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int pmg_sender_start(struct pmg_sender **out, const struct pmg_sender_ops *ops,
		     void *ctx, const struct pmg_send_opts *o, char *err,
		     size_t errlen)
{
	struct pmg_sender *s;
	int r;

	if (!o->queue_lines || !o->backoff_ms || !o->queue_bytes) {
		snprintf(err, errlen, "the queue's size and the backoff must "
			 "be at least 1");
		ops->release(ctx);
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (s)
		s->ring = calloc(o->queue_lines, sizeof(*s->ring));
	if (!s || !s->ring) {
		free(s);
		ops->release(ctx);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->ops = ops;
	s->ctx = ctx;
	s->o = *o;
	pthread_mutex_init(&s->lock, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&s->cond, &ca);
		pthread_condattr_destroy(&ca);
	}
	r = pthread_create(&s->thread, NULL, run, s);
	if (r) {
		snprintf(err, errlen, "cannot start a thread: %s", strerror(r));
		pthread_cond_destroy(&s->cond);
		pthread_mutex_destroy(&s->lock);
		free(s->ring);
		free(s);
		ops->release(ctx);
		return -r;
	}
	*out = s;
	return 0;
}

int pmg_sender_line(struct pmg_sender *s, const char *line, size_t len,
		    const struct pmg_line_meta *m)
{
	struct msg msg;
	int r = 0;

	msg.data = s->ops->encode(s->ctx, line, len, m, &msg.len);
	pthread_mutex_lock(&s->lock);
	if (!msg.data) {
		s->st.queue_full++;
		r = -ENOMEM;
	} else if (s->stop || s->count == s->o.queue_lines ||
		   s->bytes + msg.len > s->o.queue_bytes) {
		s->st.queue_full++;
		r = -ENOBUFS;
	} else {
		s->ring[(s->head + s->count) % s->o.queue_lines] = msg;
		s->count++;
		s->bytes += msg.len;
		s->st.queued++;
		msg.data = NULL;
		pthread_cond_signal(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
	free(msg.data);
	return r;
}

void pmg_sender_stats(struct pmg_sender *s, struct pmg_send_stats *st)
{
	pthread_mutex_lock(&s->lock);
	*st = s->st;
	st->pending = s->count + (s->busy ? 1 : 0);
	pthread_mutex_unlock(&s->lock);
}

static void add_u64(json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

char *pmg_sender_drop_report(struct pmg_sender *s, bool force)
{
	struct pmg_send_stats st;
	uint64_t dropped, now;
	struct timespec ts;
	json_object *o;
	char t[64];
	char *line = NULL;

	pthread_mutex_lock(&s->lock);
	st = s->st;
	now = pmg_send_dropped(&st);
	dropped = now - s->reported;
	s->reported = now;
	pthread_mutex_unlock(&s->lock);
	if (!dropped && !force)
		return NULL;
	o = json_object_new_object();
	if (!o)
		return NULL;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (pmg_format_time((uint64_t)ts.tv_sec * 1000000000u +
			    (uint64_t)ts.tv_nsec, t, sizeof(t)))
		t[0] = '\0';
	json_object_object_add(o, "time", json_object_new_string(t));
	json_object_object_add(o, "event", json_object_new_string("listener"));
	json_object_object_add(o, "output",
			       json_object_new_string(s->ops->kind));
	add_u64(o, "dropped", dropped);
	add_u64(o, "dropped_total", now);
	add_u64(o, "queue_full", st.queue_full);
	add_u64(o, "failed", st.failed);
	add_u64(o, "rejected", st.rejected);
	add_u64(o, "unsent", st.unsent);
	add_u64(o, "delivered", st.delivered);
	add_u64(o, "retries", st.retries);
	line = strdup(json_object_to_json_string_ext(o, PMG_JSON_FLAGS));
	json_object_put(o);
	return line;
}

bool pmg_sender_stopped(struct pmg_sender *s)
{
	bool r;

	pthread_mutex_lock(&s->lock);
	r = s->stop;
	pthread_mutex_unlock(&s->lock);
	return r;
}

void pmg_sender_stop(struct pmg_sender *s, int drain_ms)
{
	pthread_mutex_lock(&s->lock);
	if (s->stopped) {
		pthread_mutex_unlock(&s->lock);
		return;
	}
	s->stop = true;
	s->deadline = after_ms(drain_ms > 0 ? (unsigned int)drain_ms : 0);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	s->stopped = true;
}

void pmg_sender_free(struct pmg_sender *s)
{
	if (!s)
		return;
	pmg_sender_stop(s, 0);
	s->ops->release(s->ctx);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s->ring);
	free(s);
}
