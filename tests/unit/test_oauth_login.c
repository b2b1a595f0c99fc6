/*
 * test_oauth_login.c - the pieces of `sfaccess login`: PKCE S256 against
 * RFC 7636's own example, the authorize URL, the loopback listener fed by
 * a browser stand-in thread (wrong paths, wrong state, error redirects,
 * timeout), and the credentials file (mode, atomic write, refusals).
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "credentials.h"
#include "oauth_login.h"
#include "secret.h"

START_TEST(test_pkce_challenge_matches_rfc7636_appendix_b)
{
	char c[64];

	ck_assert_int_eq(
	    sfa_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", c,
			       sizeof(c)),
	    0);
	ck_assert_str_eq(c, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}
END_TEST

START_TEST(test_pkce_values_are_fresh_and_well_formed)
{
	sfa_pkce a, b;
	char c[64];
	sfa_err err;

	ck_assert_int_eq(sfa_pkce_new(&a, &err), 0);
	ck_assert_int_eq(sfa_pkce_new(&b, &err), 0);
	ck_assert_uint_eq(strlen(a.verifier), 64); /* RFC 7636: 43..128 */
	ck_assert_uint_eq(strspn(a.verifier,
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcde"
				 "fghijklmnopqrstuvwxyz0123456789-_"),
			  64);
	ck_assert_uint_eq(strlen(a.state), 32);
	ck_assert_str_ne(a.verifier, b.verifier);
	ck_assert_str_ne(a.state, b.state);
	sfa_pkce_challenge(a.verifier, c, sizeof(c));
	ck_assert_str_eq(c, a.challenge);
	sfa_pkce_clear(&a);
	ck_assert_int_eq(a.verifier[0], 0);
}
END_TEST

START_TEST(test_authorize_url_carries_pkce_state_and_redirect)
{
	sfa_pkce p;
	char *url = NULL;
	sfa_err err;

	memset(&p, 0, sizeof(p));
	strcpy(p.challenge, "CHAL");
	strcpy(p.state, "ST-1");
	ck_assert_int_eq(sfa_oauth_authorize_url(
			     "https://login.salesforce.com", "cid+1",
			     "http://127.0.0.1:5000/callback", &p, &url, &err),
			 0);
	ck_assert_str_eq(url,
			 "https://login.salesforce.com/services/oauth2/"
			 "authorize?response_type=code&client_id=cid%2B1"
			 "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2F"
			 "callback&code_challenge=CHAL&code_challenge_"
			 "method=S256&scope=api%20refresh_token&state=ST-1");
	free(url);
}
END_TEST

/* The browser stand-in: sends each request of a NULL-terminated list on
 * its own connection and keeps the last answer. */
struct browser {
	int port;
	const char *const *requests;
	char answer[2048];
};

static void *browse(void *arg)
{
	struct browser *b = arg;
	int i;

	for (i = 0; b->requests[i]; i++) {
		struct sockaddr_in a;
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		ssize_t n, len = 0;

		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.sin_port = htons((unsigned short)b->port);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
			close(fd);
			continue;
		}
		if (write(fd, b->requests[i], strlen(b->requests[i])) < 0) {
			close(fd);
			continue;
		}
		while ((n = read(fd, b->answer + len,
				 sizeof(b->answer) - 1 - (size_t)len)) > 0)
			len += n;
		b->answer[len] = '\0';
		close(fd);
	}
	return NULL;
}

/* Runs the listener against requests; returns its result. */
static int listen_for(const char *const *requests, const char *state,
		      long timeout_ms, char **code, struct browser *b,
		      sfa_err *err)
{
	sfa_loopback *l = NULL;
	pthread_t t;
	int rc;

	ck_assert_int_eq(sfa_loopback_open(&l, err), 0);
	ck_assert_int_eq(sscanf(sfa_loopback_redirect_uri(l),
				"http://127.0.0.1:%d/callback", &b->port),
			 1);
	b->requests = requests;
	pthread_create(&t, NULL, browse, b);
	sfa_err_clear(err);
	rc = sfa_loopback_wait(l, state, timeout_ms, code, err);
	pthread_join(t, NULL);
	sfa_loopback_free(l);
	return rc;
}

START_TEST(test_listener_takes_the_callback_and_decodes_the_code)
{
	const char *const reqs[] = {
	    "GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n",
	    "GET /callback?code=aPrx%2Bab%3D%3D&state=S1 HTTP/1.1\r\n"
	    "Host: 127.0.0.1\r\n\r\n",
	    NULL};
	struct browser b = {0};
	char *code = NULL;
	sfa_err err;

	ck_assert_int_eq(listen_for(reqs, "S1", 5000, &code, &b, &err), 0);
	ck_assert_str_eq(code, "aPrx+ab==");
	ck_assert_ptr_nonnull(strstr(b.answer, "HTTP/1.1 200"));
	ck_assert_ptr_nonnull(strstr(b.answer, "Logged in"));
	sfa_secret_free(code);
}
END_TEST

START_TEST(test_listener_keeps_a_bad_or_cut_short_percent_escape_as_is)
{
	/* %zz is not hex; the last %4 ends at the parameter's '&', so its
	 * second digit would be the separator. */
	const char *const reqs[] = {
	    "GET /callback?code=%41b%zz%4&state=S1 HTTP/1.1\r\n\r\n", NULL};
	struct browser b = {0};
	char *code = NULL;
	sfa_err err;

	ck_assert_int_eq(listen_for(reqs, "S1", 5000, &code, &b, &err), 0);
	ck_assert_str_eq(code, "Ab%zz%4");
	sfa_secret_free(code);
}
END_TEST

START_TEST(test_listener_refuses_a_state_that_is_not_ours)
{
	const char *const reqs[] = {
	    "GET /callback?code=stolen&state=forged HTTP/1.1\r\n\r\n", NULL};
	struct browser b = {0};
	char *code = NULL;
	sfa_err err;

	ck_assert_int_eq(listen_for(reqs, "S1", 5000, &code, &b, &err),
			 SFA_EAUTH);
	ck_assert_ptr_null(code);
	ck_assert_ptr_nonnull(strstr(err.msg, "wrong state"));
	ck_assert_ptr_nonnull(strstr(b.answer, "HTTP/1.1 400"));
}
END_TEST

START_TEST(test_listener_reports_an_error_redirect)
{
	const char *const reqs[] = {
	    "GET /callback?error=access_denied&error_description=end-user+"
	    "denied+authorization&state=S1 HTTP/1.1\r\n\r\n",
	    NULL};
	struct browser b = {0};
	char *code = NULL;
	sfa_err err;

	ck_assert_int_eq(listen_for(reqs, "S1", 5000, &code, &b, &err),
			 SFA_EAUTH);
	ck_assert_str_eq(err.sf_code, "access_denied");
	ck_assert_ptr_nonnull(strstr(err.msg, "end-user denied authorization"));
}
END_TEST

START_TEST(test_listener_gives_up_after_the_timeout)
{
	const char *const reqs[] = {NULL};
	struct browser b = {0};
	char *code = NULL;
	sfa_err err;

	ck_assert_int_eq(listen_for(reqs, "S1", 200, &code, &b, &err),
			 SFA_EAUTH);
	ck_assert_ptr_nonnull(strstr(err.msg, "no browser came back"));
}
END_TEST

static void tmp_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "/tmp/sfa-test-creds-%ld/%s", (long)getpid(), name);
}

START_TEST(test_credentials_round_trip_with_mode_0600)
{
	sfa_credentials c = {0}, r;
	char path[256], dir[256];
	struct stat st;
	sfa_err err;

	tmp_path(path, sizeof(path), "sub/credentials");
	tmp_path(dir, sizeof(dir), "sub");
	c.client_id = "sfaccess-demo";
	c.instance_url = "https://acme.my.salesforce.com";
	c.refresh_token = "5Aep861token==";
	ck_assert_int_eq(sfa_credentials_write(path, &c, &err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(sfa_credentials_read(path, &r, &err), 0);
	ck_assert_str_eq(r.client_id, "sfaccess-demo");
	ck_assert_str_eq(r.instance_url, "https://acme.my.salesforce.com");
	ck_assert_str_eq(r.refresh_token, "5Aep861token==");
	sfa_credentials_clear(&r);

	/* Rewriting replaces the file whole. */
	c.refresh_token = "second";
	ck_assert_int_eq(sfa_credentials_write(path, &c, &err), 0);
	ck_assert_int_eq(sfa_credentials_read(path, &r, &err), 0);
	ck_assert_str_eq(r.refresh_token, "second");
	sfa_credentials_clear(&r);

	chmod(path, 0644);
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_credentials_read(path, &r, &err), SFA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "open to group or others"));
	ck_assert_ptr_null(r.refresh_token);
	unlink(path);
	ck_assert_int_eq(sfa_credentials_read(path, &r, &err), SFA_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "sfaccess login"));
	rmdir(dir);
	dir[strlen(dir) - 4] = '\0';
	rmdir(dir);
}
END_TEST

START_TEST(test_credentials_refuse_line_breaks_and_missing_token)
{
	sfa_credentials c = {0};
	char path[256];
	sfa_err err;

	tmp_path(path, sizeof(path), "x");
	c.client_id = "a\nrefresh_token=evil";
	c.refresh_token = "t";
	ck_assert_int_eq(sfa_credentials_write(path, &c, &err), SFA_EINPUT);
	c.client_id = "a";
	c.refresh_token = NULL;
	ck_assert_int_eq(sfa_credentials_write(path, &c, &err), SFA_EINPUT);
}
END_TEST

START_TEST(test_credentials_default_path_follows_xdg_then_home)
{
	char *p = NULL;
	sfa_err err;

	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	setenv("HOME", "/home/u", 1);
	ck_assert_int_eq(sfa_credentials_default_path(&p, &err), 0);
	ck_assert_str_eq(p, "/x/cfg/sfaccess/credentials");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1); /* ignored, per XDG */
	ck_assert_int_eq(sfa_credentials_default_path(&p, &err), 0);
	ck_assert_str_eq(p, "/home/u/.config/sfaccess/credentials");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	ck_assert_int_eq(sfa_credentials_default_path(&p, &err), SFA_EINPUT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("oauth_login");
	TCase *tc = tcase_create("login");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_pkce_challenge_matches_rfc7636_appendix_b);
	tcase_add_test(tc, test_pkce_values_are_fresh_and_well_formed);
	tcase_add_test(tc, test_authorize_url_carries_pkce_state_and_redirect);
	tcase_add_test(tc,
		       test_listener_takes_the_callback_and_decodes_the_code);
	tcase_add_test(
	    tc, test_listener_keeps_a_bad_or_cut_short_percent_escape_as_is);
	tcase_add_test(tc, test_listener_refuses_a_state_that_is_not_ours);
	tcase_add_test(tc, test_listener_reports_an_error_redirect);
	tcase_add_test(tc, test_listener_gives_up_after_the_timeout);
	tcase_add_test(tc, test_credentials_round_trip_with_mode_0600);
	tcase_add_test(tc,
		       test_credentials_refuse_line_breaks_and_missing_token);
	tcase_add_test(tc, test_credentials_default_path_follows_xdg_then_home);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
