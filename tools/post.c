// SPDX-License-Identifier: GPL-2.0
/*
 * post.c - --post URL: each line is the body of one HTTP POST request,
 * sent with libcurl from the sender's thread (sendq.c).
 *
 * Request: POST to the URL as given, body = the line (no newline),
 * "Content-Type: application/json", "User-Agent: procmem-guard/<version>",
 * no "Expect: 100-continue", plus the headers of --post-header. One
 * connection is kept open and reused (HTTP keep-alive) as long as the
 * server allows; libcurl reconnects when it was closed.
 * Answer: any 2xx is delivered. 408, 429 and 5xx, a failure to resolve,
 * connect, send or receive, and a request that took longer than the
 * timeout are retried; any other status (a 4xx: the server will not take
 * this body) drops the line as rejected.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "sendq.h"

#ifndef PMG_VERSION
#define PMG_VERSION "unknown"
#endif

#define BODY_KEEP	200	/* bytes of an error answer shown */

struct post {
	CURL *curl;
	struct curl_slist *headers;
	char *url;
	char *shown;		/* url as messages show it: pmg_url_shown() */
	char errbuf[CURL_ERROR_SIZE];
	char body[BODY_KEEP + 1];	/* the start of the last answer */
	size_t body_len;
};

static char *post_encode(void *ctx, const char *line, size_t len,
			 const struct pmg_line_meta *m, size_t *outlen)
{
	char *copy = malloc(len ? len : 1);

	(void)ctx;
	(void)m;
	if (copy && len)
		memcpy(copy, line, len);
	*outlen = len;
	return copy;
}

/* Keeps the start of the answer, for the message when it is an error. */
static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct post *p = arg;
	size_t len = size * n, room = BODY_KEEP - p->body_len;

	if (room > len)
		room = len;
	memcpy(p->body + p->body_len, data, room);
	p->body_len += room;
	p->body[p->body_len] = '\0';
	return len;
}

/* The answer's first line, printable ASCII only, for a message. */
static void body_summary(const struct post *p, char *out, size_t outlen)
{
	size_t i, n = 0;

	for (i = 0; i < p->body_len && n + 1 < outlen; i++) {
		char c = p->body[i];

		if (c == '\n' || c == '\r')
			break;
		if (c < 0x20 || c > 0x7e)
			c = '?';
		out[n++] = c;
	}
	out[n] = '\0';
}

static bool transient_status(long code)
{
	return code == 408 || code == 429 || code >= 500;
}

static int post_send(void *ctx, const char *msg, size_t len, char *err,
		     size_t errlen)
{
	struct post *p = ctx;
	char answer[BODY_KEEP + 1];
	long code = 0;
	CURLcode c;

	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDS, msg);
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDSIZE_LARGE,
			 (curl_off_t)len);
	p->errbuf[0] = '\0';
	p->body_len = 0;
	p->body[0] = '\0';
	c = curl_easy_perform(p->curl);
	if (c != CURLE_OK) {
		snprintf(err, errlen, "%s",
			 p->errbuf[0] ? p->errbuf : curl_easy_strerror(c));
		return -EAGAIN;
	}
	curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 200 && code < 300)
		return 0;
	body_summary(p, answer, sizeof(answer));
	snprintf(err, errlen, "HTTP %ld%s%s%s", code, answer[0] ? " (" : "",
		 answer, answer[0] ? ")" : "");
	return transient_status(code) ? -EAGAIN : -EBADMSG;
}

static void post_release(void *ctx)
{
	struct post *p = ctx;

	if (!p)
		return;
	if (p->curl)
		curl_easy_cleanup(p->curl);
	curl_slist_free_all(p->headers);
	free(p->url);
	free(p->shown);
	free(p);
}

static const char *post_where(void *ctx)
{
	return ((struct post *)ctx)->shown;
}

char *pmg_url_shown(const char *arg)
{
	const char *h = strstr(arg, "://"), *at, *end;
	char *s;

	if (!h)
		return strdup(arg);
	h += 3;
	end = h + strcspn(h, "/?#");
	at = memchr(h, '@', (size_t)(end - h));
	while (at && memchr(at + 1, '@', (size_t)(end - at - 1)))
		at = memchr(at + 1, '@', (size_t)(end - at - 1));
	if (!at)
		return strdup(arg);
	if (asprintf(&s, "%.*s***%s", (int)(h - arg), arg, at) < 0)
		return NULL;
	return s;
}


static const struct pmg_sender_ops post_ops = {
	.kind = "post",
	.encode = post_encode,
	.send = post_send,
	.release = post_release,
	.where = post_where,
};

/* An http:// or https:// URL with a host; NULL, or what is wrong. */
static const char *check_url(const char *url)
{
	const char *what = NULL;
	char *scheme = NULL, *host = NULL;
	CURLU *u = curl_url();

	if (!u)
		return "out of memory";
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		what = "not a valid URL";
	else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
		 (strcasecmp(scheme, "http") && strcasecmp(scheme, "https")))
		what = "not an http:// or https:// URL";
	else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
		 !host[0])
		what = "no host in the URL";
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return what;
}

/* "Name: value": a token, a colon, then no CR, LF or NUL. */
static const char *check_header(const char *h)
{
	static const char tchar[] = "!#$%&'*+-.^_`|~";
	const char *p;

	for (p = h; *p && *p != ':'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr(tchar, *p)))
			return "a header name is letters, digits and "
			       "!#$%&'*+-.^_`|~ only, followed by ':'";
	if (p == h || *p != ':')
		return "a header is \"Name: value\"";
	if (strpbrk(p, "\r\n"))
		return "a header may not hold a line break";
	return NULL;
}

static int fail(char *err, size_t errlen, int r, const char *fmt,
		const char *what, const char *arg)
{
	snprintf(err, errlen, fmt, what, arg);
	return r;
}

static struct curl_slist *add_header(struct curl_slist *l, const char *h,
				     bool *ok)
{
	struct curl_slist *n = curl_slist_append(l, h);

	if (!n)
		*ok = false;
	return n ? n : l;
}

/* The handle, set up once: every request reuses it and its connection. */
static int setup(struct post *p, const struct pmg_post_opts *o)
{
	bool ok = true;
	size_t i;

	p->headers = add_header(NULL, "Content-Type: application/json", &ok);
	p->headers = add_header(p->headers, "Expect:", &ok);
	for (i = 0; i < o->nheaders; i++)
		p->headers = add_header(p->headers, o->headers[i], &ok);
	p->curl = curl_easy_init();
	if (!ok || !p->curl)
		return -ENOMEM;
	curl_easy_setopt(p->curl, CURLOPT_URL, p->url);
	curl_easy_setopt(p->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(p->curl, CURLOPT_HTTPHEADER, p->headers);
	curl_easy_setopt(p->curl, CURLOPT_USERAGENT,
			 "procmem-guard/" PMG_VERSION);
	curl_easy_setopt(p->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(p->curl, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
	curl_easy_setopt(p->curl, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)o->timeout_ms);
	curl_easy_setopt(p->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(p->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(p->curl, CURLOPT_ERRORBUFFER, p->errbuf);
	curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(p->curl, CURLOPT_WRITEDATA, p);
	return 0;
}

int pmg_post_open(struct pmg_sender **out, const struct pmg_post_opts *o,
		  char *err, size_t errlen)
{
	const char *what;
	struct post *p;
	size_t i;

	what = check_url(o->url);
	if (what) {
		char *shown = pmg_url_shown(o->url);

		fail(err, errlen, -EINVAL, "%s: %s", shown ? shown : "--post",
		     what);
		free(shown);
		return -EINVAL;
	}
	for (i = 0; i < o->nheaders; i++) {
		what = check_header(o->headers[i]);
		if (what)
			return fail(err, errlen, -EINVAL, "header '%s': %s",
				    o->headers[i], what);
	}
	if (!o->timeout_ms)
		return fail(err, errlen, -EINVAL, "%s%s",
			    "the timeout must be at least 1 ms", "");
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return fail(err, errlen, -ENOMEM, "%s%s",
			    "libcurl would not start", "");
	p = calloc(1, sizeof(*p));
	if (p) {
		p->url = strdup(o->url);
		p->shown = pmg_url_shown(o->url);
	}
	if (!p || !p->url || !p->shown || setup(p, o)) {
		post_release(p);
		return fail(err, errlen, -ENOMEM, "%s%s", "out of memory", "");
	}
	return pmg_sender_start(out, &post_ops, p, &o->send, err, errlen);
}

int pmg_post_read_headers(const char *path, char ***headers, size_t *n,
			  char *err, size_t errlen)
{
	char *line = NULL, *h, **grown;
	const char *what;
	size_t cap = 0, len;
	ssize_t got;
	int r = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return fail(err, errlen, -errno, "%s: %s", path,
			    strerror(errno));
	while ((got = getline(&line, &cap, f)) >= 0) {
		len = (size_t)got;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		what = check_header(line);
		if (what || strlen(line) != len) {
			r = fail(err, errlen, -EINVAL, "%s: %s", path,
				 what ? what : "a header may not hold a NUL");
			break;
		}
		h = strdup(line);
		grown = h ? realloc(*headers, (*n + 1) * sizeof(**headers)) :
			NULL;
		if (!grown) {
			free(h);
			r = fail(err, errlen, -ENOMEM, "%s: %s", path,
				 "out of memory");
			break;
		}
		*headers = grown;
		(*headers)[(*n)++] = h;
	}
	if (!r && ferror(f))
		r = fail(err, errlen, -EIO, "%s: %s", path, "read error");
	free(line);
	fclose(f);
	return r;
}
