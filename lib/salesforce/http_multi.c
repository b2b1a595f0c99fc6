/*
 * http_multi.c - many requests at once over one libcurl multi handle,
 * driven from the caller's thread.  Each request is a small job: queued,
 * running on an easy handle of the multi, or waiting for its retry to
 * fall due; at most max_connections run at once (the rest wait here, not
 * in curl, so time in the queue never counts against curl's timeouts).
 * Options and the retry decision come from http.c through http_int.h.
 */
#include "http.h"
#include "http_int.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct job {
	struct job *next;
	sfa_http_request req; /* url, body, headers: owned copies */
	char *url, *body;
	struct curl_slist *headers;
	struct sfa_http_target tg;
	sfa_http_response resp;
	struct sfa_http_transfer t;
	CURL *easy;
	char errbuf[CURL_ERROR_SIZE];
	int attempt, running;
	long start, t0, due; /* due: when a queued job may start */
	sfa_http_done_fn done;
	void *ud;
} job;

struct sfa_http_multi {
	sfa_http *h; /* borrowed */
	CURLM *multi;
	int max_running, running, pending;
	job *jobs; /* every unfinished job, in the order added */
};

int sfa_http_multi_new(sfa_http_multi **out, sfa_http *h, int max_connections,
		       sfa_err *err)
{
	sfa_http_multi *m;

	*out = NULL;
	if (max_connections < 1)
		max_connections = 1;
	m = calloc(1, sizeof(*m));
	if (!m || !(m->multi = curl_multi_init())) {
		free(m);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	m->h = h;
	m->max_running = max_connections;
	/* One connection per running transfer, kept alive between them. */
	curl_multi_setopt(m->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
			  (long)max_connections);
	curl_multi_setopt(m->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
			  (long)max_connections);
	curl_multi_setopt(m->multi, CURLMOPT_MAXCONNECTS,
			  (long)max_connections);
	*out = m;
	return 0;
}

static void job_free(sfa_http_multi *m, job *j)
{
	if (j->easy) {
		if (j->running)
			curl_multi_remove_handle(m->multi, j->easy);
		curl_easy_cleanup(j->easy);
	}
	sfa_http_response_free(&j->resp);
	sfa_http__target_free(&j->tg);
	curl_slist_free_all(j->headers);
	free(j->url);
	free(j->body);
	free(j);
}

static void unlink_job(sfa_http_multi *m, job *j)
{
	job **p;

	for (p = &m->jobs; *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			break;
		}
	m->pending--;
}

void sfa_http_multi_free(sfa_http_multi *m)
{
	job *j, *next;

	if (!m)
		return;
	for (j = m->jobs; j; j = next) {
		next = j->next;
		job_free(m, j);
	}
	curl_multi_cleanup(m->multi);
	free(m);
}

int sfa_http_multi_pending(const sfa_http_multi *m)
{
	return m ? m->pending : 0;
}

int sfa_http_multi_add(sfa_http_multi *m, const sfa_http_request *req,
		       sfa_http_done_fn done, void *ud, sfa_err *err)
{
	return sfa_http_multi_add_after(m, req, 0, done, ud, err);
}

int sfa_http_multi_add_after(sfa_http_multi *m, const sfa_http_request *req,
			     long delay_ms, sfa_http_done_fn done, void *ud,
			     sfa_err *err)
{
	job *j, **tail;
	int rc;

	if (!m || !req || !req->method || !req->url || !done)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "sfa_http_multi_add: missing argument");
	j = calloc(1, sizeof(*j));
	if (!j)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	rc = sfa_http__target_parse(req->url, req->flags, &j->tg, err);
	if (rc) {
		free(j);
		return rc;
	}
	j->req = *req;
	j->url = strdup(req->url);
	j->headers = sfa_http__build_headers(req);
	if (req->body) {
		j->body = malloc(req->body_len + 1);
		if (j->body) {
			memcpy(j->body, req->body, req->body_len);
			j->body[req->body_len] = '\0';
		}
	}
	j->easy = curl_easy_init();
	if (!j->url || !j->headers || !j->easy || (req->body && !j->body)) {
		job_free(m, j);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	j->req.url = j->url;
	j->req.body = j->body;
	j->req.headers = NULL; /* copied into j->headers */
	j->done = done;
	j->ud = ud;
	j->due = sfa_http__now_ms() + (delay_ms > 0 ? delay_ms : 0);
	for (tail = &m->jobs; *tail; tail = &(*tail)->next)
		;
	*tail = j;
	m->pending++;
	return 0;
}

int sfa_http_multi_replace_header(sfa_http_multi *m, const char *name,
				  const char *header, void (*fn)(void *ud))
{
	size_t n = strlen(name);
	job *j;

	for (j = m->jobs; j; j = j->next) {
		struct curl_slist *l, *fresh = NULL, *t;

		if (j->running)
			continue;
		for (l = j->headers; l; l = l->next) {
			const char *h = strncasecmp(l->data, name, n) == 0
					    ? header
					    : l->data;

			if (!(t = curl_slist_append(fresh, h))) {
				curl_slist_free_all(fresh);
				return SFA_ENOMEM;
			}
			fresh = t;
		}
		curl_slist_free_all(j->headers);
		j->headers = fresh;
		if (fn)
			fn(j->ud);
	}
	return 0;
}

/* Puts queued jobs whose time has come on the wire, oldest first. */
static void start_due(sfa_http_multi *m, long now)
{
	job *j;

	for (j = m->jobs; j && m->running < m->max_running; j = j->next) {
		if (j->running || j->due > now)
			continue;
		if (j->attempt++ == 0)
			j->start = now; /* elapsed_ms counts from here */
		memset(&j->t, 0, sizeof(j->t));
		j->t.h = m->h;
		j->t.req = &j->req;
		j->t.resp = &j->resp;
		sfa_http__attempt_reset(&j->req, &j->resp);
		curl_easy_reset(j->easy);
		sfa_http__setup(m->h, j->easy, &j->req, j->headers, &j->t,
				j->errbuf);
		curl_easy_setopt(j->easy, CURLOPT_PRIVATE, j);
		j->t0 = now;
		if (curl_multi_add_handle(m->multi, j->easy) == CURLM_OK) {
			j->running = 1;
			m->running++;
		}
	}
}

/* Milliseconds until the next queued job may start; -1 when none can
 * (nothing queued, or every connection busy). */
static long next_due(const sfa_http_multi *m, long now)
{
	const job *j;
	long best = -1;

	if (m->running >= m->max_running)
		return -1;
	for (j = m->jobs; j; j = j->next)
		if (!j->running && (best < 0 || j->due - now < best))
			best = j->due > now ? j->due - now : 0;
	return best;
}

/* One finished attempt: retried later, or the job is over and its
 * callback runs.  Returns 1 when a job finished, or a callback's error. */
static int finish(sfa_http_multi *m, job *j, CURLcode cc, sfa_err *err)
{
	long wait = 0, now = sfa_http__now_ms();
	sfa_err jerr;
	int rc = 0;

	curl_multi_remove_handle(m->multi, j->easy);
	j->running = 0;
	m->running--;
	m->h->sent++;
	if (cc == CURLE_OK)
		curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE,
				  &j->resp.status);
	j->resp.answered += sfa_http__answered_below_500(j->easy);
	j->resp.attempts = j->attempt;
	j->resp.elapsed_ms = now - j->start;
	sfa_err_clear(&jerr);
	if (sfa_http__decide(m->h, &j->req, &j->tg, &j->t, cc, j->errbuf,
			     j->attempt, j->start, j->t0, &wait, &rc,
			     &jerr) == SFA_HTTP__RETRY) {
		j->due = now + wait;
		return 0;
	}
	if (rc) {
		sfa_err_where(&jerr, "%s", j->tg.shown);
		if (err)
			*err = jerr;
	}
	unlink_job(m, j);
	rc = j->done(j->ud, rc, &j->resp, err);
	job_free(m, j);
	return rc ? rc : 1;
}

int sfa_http_multi_step(sfa_http_multi *m, sfa_err *err)
{
	for (;;) {
		CURLMsg *msg;
		int still, left, finished = 0, rc;
		long now = sfa_http__now_ms(), wait, ctimeout = -1;

		if (sfa_http_interrupted())
			return sfa_err_set(err, SFA_EINTR, "interrupted");
		start_due(m, now);
		if (curl_multi_perform(m->multi, &still) != CURLM_OK)
			return sfa_err_set(err, SFA_EINTERNAL,
					   "libcurl multi handle failed");
		while ((msg = curl_multi_info_read(m->multi, &left)) != NULL) {
			job *j = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
					  (char **)&j);
			rc = finish(m, j, msg->data.result, err);
			if (rc < 0)
				return rc;
			finished += rc;
		}
		if (finished || m->pending == 0)
			return 0;
		wait = next_due(m, sfa_http__now_ms());
		if (wait == 0)
			continue;
		if (wait < 0 || wait > 1000)
			wait = 1000;
		/* curl's own timers (connects, timeouts, its internal
		 * state changes) need it called back in time too. */
		if (curl_multi_timeout(m->multi, &ctimeout) == CURLM_OK &&
		    ctimeout >= 0 && ctimeout < wait)
			wait = ctimeout;
		if (wait == 0)
			continue;
		if (curl_multi_poll(m->multi, NULL, 0, (int)wait, NULL) !=
		    CURLM_OK)
			return sfa_err_set(err, SFA_EINTERNAL,
					   "libcurl multi handle failed");
	}
}
