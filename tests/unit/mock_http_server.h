/*
 * mock_http_server.h - a loopback HTTP server on a thread for unit tests
 * that need a misbehaving peer (503 then 200, a body cut short, a 401
 * then 200) without the emulator.  Header-only (static functions) because
 * CMake builds each tests/unit/test_*.c as its own executable.
 *
 * Each connection gets one canned reply (the next in the list) and is
 * closed; every request (head and body) is recorded for assertions.
 */
#ifndef MOCK_HTTP_SERVER_H
#define MOCK_HTTP_SERVER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MOCK_MAX 16
#define MOCK_REQ_MAX 16384

/* A reply that never answers: the server reads the request and waits
 * until the client gives up (for timeout tests). */
#define MOCK_HANG "HANG"

typedef struct mock_server {
	int fd;
	int port;
	pthread_t thread;
	char *replies[MOCK_MAX]; /* owned copies */
	int nreplies;
	int next;
	char *requests[MOCK_MAX]; /* owned, NUL-terminated */
	int nrequests;
	pthread_mutex_t mu;
	char url[64]; /* "http://127.0.0.1:PORT" */
} mock_server;

/* Formats a complete reply with Content-Length and Connection: close.
 * extra_headers is "" or lines each ending in "\r\n".  Caller frees. */
static inline char *mock_reply(int status, const char *extra_headers,
			       const char *body)
{
	size_t n = strlen(extra_headers) + strlen(body) + 160;
	char *s = malloc(n);

	snprintf(s, n,
		 "HTTP/1.1 %d X\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n%s\r\n%s",
		 status, strlen(body), extra_headers, body);
	return s;
}

/* A SOAP login() success whose serverUrl points back at the mock server,
 * so the REST calls that follow land on it too.  Caller frees. */
static inline char *mock_login_reply(const mock_server *m)
{
	char body[1024];

	snprintf(body, sizeof(body),
		 "<?xml version=\"1.0\"?><soapenv:Envelope xmlns:soapenv="
		 "\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns="
		 "\"urn:partner.soap.sforce.com\"><soapenv:Body><loginResponse>"
		 "<result><passwordExpired>false</passwordExpired><serverUrl>"
		 "%s/services/Soap/u/64.0/00D</serverUrl><sessionId>00D!SESS"
		 "</sessionId><userId>005000000000001AAA</userId><userInfo>"
		 "<organizationId>00D000000000001AAA</organizationId>"
		 "</userInfo></result></loginResponse></soapenv:Body>"
		 "</soapenv:Envelope>",
		 m->url);
	return mock_reply(200, "Content-Type: text/xml\r\n", body);
}

/* The "Content-Length:" header line of a request head, or NULL. */
static inline const char *mock_content_length(const char *head, const char *eoh)
{
	const char *p;

	for (p = head; p && p < eoh; p = strstr(p + 1, "\r\n"))
		if (!strncasecmp(p, "\r\nContent-Length:", 17))
			return p;
	return NULL;
}

/* Reads one request (head, then Content-Length bytes of body). */
static inline char *mock_read_request(int c)
{
	char *buf = calloc(1, MOCK_REQ_MAX + 1);
	size_t len = 0, want = 0;
	char *eoh = NULL;

	while (len < MOCK_REQ_MAX) {
		struct pollfd pfd = {c, POLLIN, 0};
		ssize_t r;

		/* A peer that stops mid-request (a TLS hello, say) is
		 * answered after a short pause. */
		if (poll(&pfd, 1, len ? 300 : 5000) <= 0)
			break;
		r = recv(c, buf + len, MOCK_REQ_MAX - len, 0);
		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = '\0';
		if (!eoh && (eoh = strstr(buf, "\r\n\r\n")) != NULL) {
			const char *cl = mock_content_length(buf, eoh);

			want = (size_t)(eoh + 4 - buf);
			if (cl && cl < eoh)
				want += strtoul(cl + 17, NULL, 10);
		}
		if (eoh && len >= want)
			break;
	}
	return buf;
}

static inline void *mock_run(void *arg)
{
	mock_server *m = arg;

	for (;;) {
		int c = accept(m->fd, NULL, NULL);
		char *req, *reply;

		if (c < 0)
			break; /* listening socket shut down */
		req = mock_read_request(c);
		pthread_mutex_lock(&m->mu);
		if (m->nrequests < MOCK_MAX)
			m->requests[m->nrequests++] = req;
		else
			free(req);
		reply = m->next < m->nreplies ? m->replies[m->next++] : NULL;
		pthread_mutex_unlock(&m->mu);
		if (!reply) {
			static const char none[] =
			    "HTTP/1.1 599 No More Replies\r\n"
			    "Content-Length: 0\r\nConnection: close\r\n\r\n";
			send(c, none, sizeof(none) - 1, MSG_NOSIGNAL);
		} else if (!strcmp(reply, MOCK_HANG)) {
			char tmp[256];
			struct pollfd pfd = {c, POLLIN, 0};

			while (poll(&pfd, 1, 10000) > 0 &&
			       recv(c, tmp, sizeof(tmp), 0) > 0)
				;
		} else {
			send(c, reply, strlen(reply), MSG_NOSIGNAL);
		}
		close(c);
	}
	return NULL;
}

/* Starts the server with a NULL-terminated list of malloc'd replies
 * (from mock_reply() or strdup()), which mock_stop() frees. */
static inline void mock_start(mock_server *m, char **replies)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int one = 1;

	memset(m, 0, sizeof(*m));
	pthread_mutex_init(&m->mu, NULL);
	for (; replies && replies[m->nreplies] && m->nreplies < MOCK_MAX;
	     m->nreplies++)
		m->replies[m->nreplies] = replies[m->nreplies];
	m->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(m->fd, (struct sockaddr *)&a, sizeof(a));
	listen(m->fd, 8);
	getsockname(m->fd, (struct sockaddr *)&a, &alen);
	m->port = ntohs(a.sin_port);
	snprintf(m->url, sizeof(m->url), "http://127.0.0.1:%d", m->port);
	pthread_create(&m->thread, NULL, mock_run, m);
}

static inline void mock_stop(mock_server *m)
{
	int i;

	shutdown(m->fd, SHUT_RDWR);
	close(m->fd);
	pthread_join(m->thread, NULL);
	for (i = 0; i < m->nreplies; i++)
		free(m->replies[i]);
	for (i = 0; i < m->nrequests; i++)
		free(m->requests[i]);
	pthread_mutex_destroy(&m->mu);
}

/* Adds a malloc'd reply after start (for replies that must name the
 * server's own port, like a login serverUrl). */
static inline void mock_push(mock_server *m, char *reply)
{
	pthread_mutex_lock(&m->mu);
	if (m->nreplies < MOCK_MAX)
		m->replies[m->nreplies++] = reply;
	else
		free(reply);
	pthread_mutex_unlock(&m->mu);
}

/* The recorded request i (NULL if none). */
static inline const char *mock_request(mock_server *m, int i)
{
	const char *r;

	pthread_mutex_lock(&m->mu);
	r = i < m->nrequests ? m->requests[i] : NULL;
	pthread_mutex_unlock(&m->mu);
	return r;
}

static inline int mock_nrequests(mock_server *m)
{
	int n;

	pthread_mutex_lock(&m->mu);
	n = m->nrequests;
	pthread_mutex_unlock(&m->mu);
	return n;
}

/* A closed loopback port, for "connection refused". */
static inline int mock_closed_port(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &alen);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

#endif
