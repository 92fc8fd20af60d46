/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sendq.h - the part of a sender (senders.h) that post.c and syslog.c
 * share: the bounded queue, the thread that drains it, retries, counts.
 */
#ifndef PMG_SENDQ_H
#define PMG_SENDQ_H

#include <stddef.h>

#include "senders.h"

/* What one kind of sender does; ctx is its own. */
struct pmg_sender_ops {
	const char *kind;	/* "post", "syslog" */
	/*
	 * The message to queue for a line (malloc()ed, length in *outlen),
	 * made in the caller's thread; NULL when out of memory.
	 */
	char *(*encode)(void *ctx, const char *line, size_t len,
			const struct pmg_line_meta *m, size_t *outlen);
	/*
	 * Send one message, in the sender's thread: 0 when the receiver has
	 * it, -EAGAIN for a failure that may pass (retried), another -errno
	 * when it was refused for good. On failure, err (errlen bytes) says
	 * what happened.
	 */
	int (*send)(void *ctx, const char *msg, size_t len, char *err,
		    size_t errlen);
	/* Release ctx, once the thread has ended. */
	void (*release)(void *ctx);
	/* Where the messages go, for stderr messages ("http://...") */
	const char *(*where)(void *ctx);
};

/*
 * Start a sender: check o, start the thread. 0, -EINVAL (o out of range,
 * described in err), -ENOMEM, or -errno from pthread_create(). On
 * failure ctx is released.
 */
int pmg_sender_start(struct pmg_sender **out, const struct pmg_sender_ops *ops,
		     void *ctx, const struct pmg_send_opts *o, char *err,
		     size_t errlen);

#endif /* PMG_SENDQ_H */
