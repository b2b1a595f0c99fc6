/*
 * oauth_login.c - the authorization-code flow with PKCE through a loopback
 * redirect (RFC 8252 §7.3): the browser is sent to Salesforce, Salesforce
 * sends it back to http://127.0.0.1:PORT/callback, where a one-request
 * listener reads code and state.  Only the state we made is accepted.
 */
#include "oauth_login.h"

#include "auth_oauth.h"
#include "clock.h"
#include "secret.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define REQUEST_MAX 8192
#define CLIENT_TIMEOUT_MS 5000 /* one browser request, once connected */

struct sfa_loopback {
	int fd;
	char redirect_uri[64];
};

static int random_b64(char *out, size_t outsz, size_t nbytes)
{
	unsigned char raw[64];
	char *s;
	size_t n;

	if (nbytes > sizeof(raw) || RAND_bytes(raw, (int)nbytes) != 1)
		return -1;
	s = sfa_b64url(raw, nbytes);
	sfa_secret_wipe(raw, sizeof(raw));
	if (!s)
		return -1;
	n = strlen(s);
	if (n >= outsz) {
		sfa_secret_free(s);
		return -1;
	}
	memcpy(out, s, n + 1);
	sfa_secret_free(s);
	return 0;
}

int sfa_pkce_challenge(const char *verifier, char *out, size_t outsz)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *s;
	size_t n;

	if (EVP_Digest(verifier, strlen(verifier), md, &mdlen, EVP_sha256(),
		       NULL) != 1 ||
	    !(s = sfa_b64url(md, mdlen)))
		return -1;
	n = strlen(s);
	if (n >= outsz) {
		free(s);
		return -1;
	}
	memcpy(out, s, n + 1);
	free(s);
	return 0;
}

int sfa_pkce_new(sfa_pkce *p, sfa_err *err)
{
	memset(p, 0, sizeof(*p));
	if (random_b64(p->verifier, sizeof(p->verifier), 48) ||
	    random_b64(p->state, sizeof(p->state), 24) ||
	    sfa_pkce_challenge(p->verifier, p->challenge,
			       sizeof(p->challenge))) {
		sfa_pkce_clear(p);
		return sfa_err_set(err, SFA_EINTERNAL,
				   "cannot draw random bytes for PKCE");
	}
	return 0;
}

void sfa_pkce_clear(sfa_pkce *p)
{
	sfa_secret_wipe(p, sizeof(*p));
}

int sfa_oauth_authorize_url(const char *base_url, const char *client_id,
			    const char *redirect_uri, const sfa_pkce *p,
			    char **out, sfa_err *err)
{
	const char *kv[] = {
	    "response_type",  "code",	      "client_id",
	    client_id,	      "redirect_uri", redirect_uri,
	    "code_challenge", p->challenge,   "code_challenge_method",
	    "S256",	      "scope",	      "api refresh_token",
	    "state",	      p->state};
	char *query = NULL;
	size_t n;
	int rc =
	    sfa_oauth_form(kv, sizeof(kv) / sizeof(kv[0]) / 2, &query, err);

	*out = NULL;
	if (rc)
		return rc;
	n = strlen(base_url) + strlen(query) +
	    sizeof("/services/oauth2/authorize?");
	*out = malloc(n);
	if (*out)
		snprintf(*out, n, "%s/services/oauth2/authorize?%s", base_url,
			 query);
	free(query);
	return *out ? 0 : sfa_err_set(err, SFA_ENOMEM, "out of memory");
}

int sfa_loopback_open(sfa_loopback **out, sfa_err *err)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	sfa_loopback *l = calloc(1, sizeof(*l));

	*out = NULL;
	if (!l)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = 0; /* the kernel picks a free port */
	l->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(l->fd, 8) != 0 ||
	    getsockname(l->fd, (struct sockaddr *)&a, &alen) != 0) {
		int e = errno;

		sfa_loopback_free(l);
		return sfa_err_set(err, SFA_EIO,
				   "cannot listen on 127.0.0.1 for the login "
				   "redirect: %s",
				   strerror(e));
	}
	snprintf(l->redirect_uri, sizeof(l->redirect_uri),
		 "http://127.0.0.1:%u/callback", (unsigned)ntohs(a.sin_port));
	*out = l;
	return 0;
}

void sfa_loopback_free(sfa_loopback *l)
{
	if (!l)
		return;
	if (l->fd >= 0)
		close(l->fd);
	free(l);
}

const char *sfa_loopback_redirect_uri(const sfa_loopback *l)
{
	return l->redirect_uri;
}

/* Reads one request head into buf (NUL-terminated) within timeout_ms;
 * returns its length, or -1 when the browser sent no complete head. */
static long read_head(int c, char *buf, size_t bufsz, long timeout_ms)
{
	long deadline = sfa_clock_ms() + timeout_ms;
	size_t len = 0;

	while (len + 1 < bufsz) {
		struct pollfd pfd = {c, POLLIN, 0};
		long left = deadline - sfa_clock_ms();
		ssize_t r;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return -1;
		r = recv(c, buf + len, bufsz - 1 - len, 0);
		if (r <= 0)
			return -1;
		len += (size_t)r;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return (long)len;
	}
	return -1;
}

static void answer(int c, int status, const char *title, const char *text)
{
	char page[1024], reply[1400];
	int n;

	n = snprintf(page, sizeof(page),
		     "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
		     "<title>sfaccess: %s</title></head><body>"
		     "<h1>%s</h1><p>%s</p></body></html>\n",
		     title, title, text);
	n = snprintf(reply, sizeof(reply),
		     "HTTP/1.1 %d %s\r\nContent-Type: text/html; "
		     "charset=utf-8\r\nContent-Security-Policy: default-src "
		     "'none'\r\nCache-Control: no-store\r\nContent-Length: "
		     "%d\r\nConnection: close\r\n\r\n%s",
		     status, status == 200 ? "OK" : "Error", n, page);
	if (n > 0)
		(void)send(c, reply, (size_t)n, MSG_NOSIGNAL);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The decoded value of key in query q (up to the first space or '#'), or
 * NULL; malloc'd. */
static char *query_param(const char *q, const char *key)
{
	size_t k = strlen(key);

	while (q && *q && *q != ' ' && *q != '#') {
		size_t len = strcspn(q, "& #");

		if (len > k && strncmp(q, key, k) == 0 && q[k] == '=') {
			char *out = malloc(len - k), *w = out;
			const char *p;

			for (p = q + k + 1; out && p < q + len; p++) {
				int hi = -1, lo = -1;

				/* both digits of a %XX inside the value */
				if (*p == '%' && p + 2 < q + len) {
					hi = hexval(p[1]);
					lo = hexval(p[2]);
				}
				if (hi >= 0 && lo >= 0) {
					*w++ = (char)(hi << 4 | lo);
					p += 2;
				} else if (*p == '+') {
					*w++ = ' ';
				} else {
					*w++ = *p;
				}
			}
			if (out)
				*w = '\0';
			return out;
		}
		q += len;
		if (*q == '&')
			q++;
	}
	return NULL;
}

/* Handles one request on c.  Returns 1 when it was not the callback (keep
 * waiting), else 0 or an error, with *code set on success. */
static int handle(int c, const char *buf, const char *state, char **code,
		  sfa_err *err)
{
	const char *target = buf + 4, *q;
	char *got_state = NULL, *error = NULL, *desc = NULL;
	size_t plen;
	int rc = 0;

	if (strncmp(buf, "GET ", 4) != 0) {
		answer(c, 405, "Method not allowed", "Only GET is served.");
		return 1;
	}
	plen = strcspn(target, "? ");
	if (plen != strlen("/callback") ||
	    strncmp(target, "/callback", plen) != 0) {
		answer(c, 404, "Not found",
		       "This is sfaccess's login "
		       "listener; nothing else lives "
		       "here.");
		return 1;
	}
	q = target[plen] == '?' ? target + plen + 1 : NULL;
	got_state = query_param(q, "state");
	error = query_param(q, "error");
	if (error) {
		char shown[64];
		size_t i;

		desc = query_param(q, "error_description");
		/* The redirect is attacker-reachable text: printable only. */
		for (i = 0; error[i] && i + 1 < sizeof(shown); i++) {
			if (error[i] > 0x20 && error[i] < 0x7f)
				shown[i] = error[i];
			else
				shown[i] = '?';
		}
		shown[i] = '\0';
		if (err)
			snprintf(err->sf_code, sizeof(err->sf_code), "%s",
				 shown);
		answer(c, 400, "Login failed",
		       "Salesforce did not grant access. See the terminal.");
		for (i = 0; desc && desc[i]; i++)
			if ((unsigned char)desc[i] < 0x20 || desc[i] == 0x7f)
				desc[i] = '?';
		rc = sfa_err_set(
		    err, SFA_EAUTH,
		    "Salesforce did not grant access (%s%s%.200s)%s", shown,
		    desc ? ": " : "", desc ? desc : "",
		    strcmp(shown, "access_denied") == 0
			? ": allow access in the browser, or ask "
			  "an admin to let you use the connected "
			  "app"
			: "");
	} else if (!got_state || strcmp(got_state, state) != 0) {
		answer(c, 400, "Login refused",
		       "This redirect does not belong to the login sfaccess "
		       "is waiting for.");
		rc = sfa_err_set(err, SFA_EAUTH,
				 "the login redirect carried %s state (a stale "
				 "browser tab or a forged request): run "
				 "`sfaccess login` again",
				 got_state ? "the wrong" : "no");
	} else if (!(*code = query_param(q, "code")) || !**code) {
		answer(c, 400, "Login failed", "The redirect has no code.");
		rc = sfa_err_set(err, SFA_EAUTH,
				 "the login redirect carried no authorization "
				 "code");
	} else {
		answer(c, 200, "Logged in",
		       "sfaccess has the authorization. You can close this "
		       "tab and go back to the terminal.");
	}
	if (rc) {
		sfa_secret_free(*code);
		*code = NULL;
		sfa_err_where(err, "login redirect");
	}
	free(got_state);
	free(error);
	free(desc);
	return rc;
}

int sfa_loopback_wait(sfa_loopback *l, const char *state, long timeout_ms,
		      char **code, sfa_err *err)
{
	long deadline = sfa_clock_ms() + timeout_ms;
	char buf[REQUEST_MAX];
	int rc = 1;

	*code = NULL;
	while (rc == 1) {
		struct pollfd pfd = {l->fd, POLLIN, 0};
		long left = deadline - sfa_clock_ms();
		int c;

		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			sfa_err_where(err, "%s", l->redirect_uri);
			return sfa_err_set(err, SFA_EAUTH,
					   "no browser came back to %s within "
					   "%ld s: open the URL above and log "
					   "in, then run `sfaccess login` "
					   "again",
					   l->redirect_uri, timeout_ms / 1000);
		}
		c = accept(l->fd, NULL, NULL);
		if (c < 0)
			continue; /* EINTR, or the peer already left */
		if (read_head(c, buf, sizeof(buf),
			      left < CLIENT_TIMEOUT_MS ? left
						       : CLIENT_TIMEOUT_MS) < 0)
			answer(c, 400, "Bad request", "Incomplete request.");
		else
			rc = handle(c, buf, state, code, err);
		sfa_secret_wipe(buf, sizeof(buf)); /* it held the code */
		close(c);
	}
	return rc;
}

int sfa_oauth_exchange_code(struct sfa_http *http, const char *base_url,
			    const char *client_id, const char *client_secret,
			    const char *code, const char *redirect_uri,
			    const char *verifier, sfa_session *out,
			    char **refresh_token, sfa_err *err)
{
	const char *kv[] = {"grant_type",    "authorization_code",
			    "code",	     code,
			    "client_id",     client_id,
			    "client_secret", client_secret,
			    "redirect_uri",  redirect_uri,
			    "code_verifier", verifier};
	char *form = NULL;
	int rc = sfa_oauth_form(kv, sizeof(kv) / sizeof(kv[0]) / 2, &form, err);

	if (rc == 0)
		rc = sfa_oauth_token(http, base_url, form, SFA_GRANT_CODE, out,
				     refresh_token, err);
	sfa_secret_free(form);
	if (rc)
		sfa_err_prefix(err, "login to %s", base_url);
	return rc;
}
