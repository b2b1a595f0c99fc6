/*
 * test_auth_oauth.c - the OAuth flows without the emulator: form bodies,
 * token responses (fixtures/oauth/) and every documented refusal with its
 * advice, the RS256 JWT assertion checked against the public key, and the
 * refresh and client-credentials grants over the loopback mock server.
 */
#include <check.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "auth_oauth.h"
#include "http.h"
#include "mock_http_server.h"
#include "secret.h"

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static char *fixture(const char *name, size_t *len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/fixtures/oauth/%s", SFA_SOURCE_DIR,
		 name);
	return read_file(path, len);
}

/* A private copy of the committed test key (git keeps no modes). */
static void private_key_copy(char *path, size_t n, mode_t mode)
{
	char src[512];
	size_t len;
	char *pem;
	FILE *f;

	snprintf(src, sizeof(src), "%s/fixtures/keys/jwt-test.key",
		 SFA_SOURCE_DIR);
	pem = read_file(src, &len);
	snprintf(path, n, "/tmp/sfa-test-jwt-%ld.key", (long)getpid());
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fwrite(pem, 1, len, f);
	fclose(f);
	chmod(path, mode);
	free(pem);
}

START_TEST(test_form_encodes_every_reserved_byte_and_skips_null_values)
{
	const char *kv[] = {"grant_type",  "refresh_token", "refresh_token",
			    "5Aep+/=&x y", "client_secret", NULL,
			    "client_id",   "a~b-c._d"};
	char *form = NULL;
	sfa_err err;

	ck_assert_int_eq(sfa_oauth_form(kv, 4, &form, &err), 0);
	ck_assert_str_eq(form, "grant_type=refresh_token&refresh_token="
			       "5Aep%2B%2F%3D%26x%20y&client_id=a~b-c._d");
	sfa_secret_free(form);
}
END_TEST

START_TEST(test_b64url_has_no_padding_and_url_safe_letters)
{
	static const struct {
		const char *in, *out;
	} v[] = {{"", ""},	     {"f", "Zg"},	 {"fo", "Zm8"},
		 {"foo", "Zm9v"},    {"foob", "Zm9vYg"}, {"\xfb\xff", "-_8"},
		 {"\xff\xfe", "__4"}};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *s =
		    sfa_b64url((const unsigned char *)v[i].in, strlen(v[i].in));

		ck_assert_str_eq(s, v[i].out);
		free(s);
	}
}
END_TEST

START_TEST(test_token_response_gives_instance_org_and_user)
{
	sfa_session s;
	sfa_err err;
	size_t len;
	char *body = fixture("token_ok.json", &len), *rt = NULL;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_oauth_parse_token(
			     200, body, len, SFA_GRANT_REFRESH, &s, &rt, &err),
			 0);
	ck_assert_str_eq(s.instance_url, "https://na1.salesforce.com");
	ck_assert_str_eq(s.org_id, "00Dx0000000BV7z");
	ck_assert_str_eq(s.user_id, "005x00000012Q9P");
	ck_assert_ptr_nonnull(strstr(s.access_token, "00Dx0000000BV7z!AR8"));
	ck_assert_ptr_null(rt); /* a refresh grant issues none */
	sfa_session_clear(&s);
	free(body);

	body = fixture("token_ok_refresh.json", &len);
	ck_assert_int_eq(sfa_oauth_parse_token(200, body, len, SFA_GRANT_CODE,
					       &s, &rt, &err),
			 0);
	ck_assert_str_eq(s.instance_url, "https://acme.my.salesforce.com");
	ck_assert_str_eq(s.org_id, "00D5e000000AbCdEAK");
	ck_assert_str_eq(rt, "5Aep861FakeRefreshToken==");
	sfa_secret_free(rt);
	sfa_session_clear(&s);
	free(body);
}
END_TEST

/* One refusal: error, description, grant -> advice word. */
static void expect_refusal(const char *error, const char *desc, sfa_grant grant,
			   const char *advice)
{
	char body[512];
	sfa_session s;
	sfa_err err;

	snprintf(body, sizeof(body),
		 "{\"error\":\"%s\",\"error_description\":\"%s\"}", error,
		 desc);
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_oauth_parse_token(400, body, strlen(body), grant,
					       &s, NULL, &err),
			 SFA_EAUTH);
	ck_assert_str_eq(err.sf_code, error);
	ck_assert_int_eq(err.http_status, 400);
	ck_assert_msg(strstr(err.msg, desc) != NULL, "%s", err.msg);
	ck_assert_msg(strstr(err.msg, advice) != NULL, "%s", err.msg);
	ck_assert_ptr_null(s.access_token);
}

START_TEST(test_each_refusal_tells_the_admin_what_to_fix)
{
	expect_refusal("invalid_grant", "expired access/refresh token",
		       SFA_GRANT_REFRESH, "run `sfaccess login` again");
	expect_refusal("invalid_grant", "authentication failure",
		       SFA_GRANT_REFRESH, "run `sfaccess login` again");
	expect_refusal("invalid_grant", "authentication failure", SFA_GRANT_JWT,
		       "--jwt-subject");
	expect_refusal("invalid_grant", "inactive user", SFA_GRANT_JWT,
		       "reactivate it in Setup > Users");
	expect_refusal("invalid_grant", "user hasn't approved this consumer",
		       SFA_GRANT_JWT,
		       "Admin approved users are pre-authorized");
	expect_refusal("invalid_grant", "user hasn't approved this consumer",
		       SFA_GRANT_REFRESH, "run `sfaccess login`");
	expect_refusal("invalid_grant", "request not supported on this domain",
		       SFA_GRANT_CLIENT_CREDENTIALS,
		       "MYDOMAIN.my.salesforce.com");
	expect_refusal("invalid_grant", "no client credentials user enabled",
		       SFA_GRANT_CLIENT_CREDENTIALS, "Run As user");
	expect_refusal("invalid_grant", "IP restricted or invalid login hours",
		       SFA_GRANT_JWT, "Login IP Ranges");
	expect_refusal("invalid_grant", "invalid signature", SFA_GRANT_JWT,
		       "certificate");
	expect_refusal("invalid_grant", "invalid authorization code",
		       SFA_GRANT_CODE, "single-use");
	expect_refusal("invalid_client_id", "client identifier invalid",
		       SFA_GRANT_REFRESH, "--client-id");
	expect_refusal("invalid_client", "invalid client credentials",
		       SFA_GRANT_CLIENT_CREDENTIALS, "SFACCESS_CLIENT_SECRET");
	expect_refusal("unsupported_grant_type", "grant type not supported",
		       SFA_GRANT_JWT, "OAuth policies");
}
END_TEST

START_TEST(test_malformed_token_responses_are_protocol_errors)
{
	static const char *const bodies[] = {
	    "<html>503 Service Unavailable</html>",
	    "{\"access_token\":\"00Dx!x\"}", /* no instance_url, no id */
	    "{\"access_token\":\"00Dx!x\",\"instance_url\":"
	    "\"https://a.my.salesforce.com\",\"id\":\"nonsense\"}",
	    "{\"access_token\":\"00Dx!x\",\"instance_url\":\"ftp://a\","
	    "\"id\":\"https://login.salesforce.com/id/00Dx0000000BV7z/"
	    "005x00000012Q9P\"}",
	    "[]"};
	sfa_session s;
	sfa_err err;
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		sfa_err_clear(&err);
		ck_assert_int_eq(
		    sfa_oauth_parse_token(200, bodies[i], strlen(bodies[i]),
					  SFA_GRANT_JWT, &s, NULL, &err),
		    SFA_EPROTO);
		ck_assert_ptr_null(s.access_token);
		ck_assert_ptr_null(strstr(err.msg, "00Dx!x"));
	}
	/* An error status without an OAuth error code. */
	ck_assert_int_eq(
	    sfa_oauth_parse_token(500, "{}", 2, SFA_GRANT_JWT, &s, NULL, &err),
	    SFA_EPROTO);
	ck_assert_int_eq(err.http_status, 500);
}
END_TEST

START_TEST(test_jwt_audience_follows_the_host)
{
	ck_assert_str_eq(sfa_jwt_audience("https://acme.my.salesforce.com"),
			 "https://login.salesforce.com");
	ck_assert_str_eq(sfa_jwt_audience("https://login.salesforce.com"),
			 "https://login.salesforce.com");
	ck_assert_str_eq(sfa_jwt_audience("https://test.salesforce.com"),
			 "https://test.salesforce.com");
	ck_assert_str_eq(
	    sfa_jwt_audience("https://acme--uat.sandbox.my.salesforce.com"),
	    "https://test.salesforce.com");
	ck_assert_str_eq(sfa_jwt_audience("http://127.0.0.1:41234"),
			 "http://127.0.0.1:41234");
}
END_TEST

static unsigned char *b64url_decode(const char *s, size_t n, size_t *outlen)
{
	char *std = calloc(1, n + 4);
	unsigned char *out = malloc(n + 4);
	size_t i;
	int len;

	for (i = 0; i < n; i++)
		std[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
	while (i % 4)
		std[i++] = '=';
	len = EVP_DecodeBlock(out, (unsigned char *)std, (int)i);
	ck_assert_int_ge(len, 0);
	*outlen = (size_t)len - (n % 4 == 2 ? 2 : n % 4 == 3 ? 1 : 0);
	out[*outlen] = '\0';
	free(std);
	return out;
}

START_TEST(test_jwt_assertion_is_rs256_signed_with_the_right_claims)
{
	char key[256], pub[512];
	char *jwt = NULL, *dot1, *dot2;
	unsigned char *header, *claims, *sig;
	size_t hlen, clen, slen;
	long long now = (long long)time(NULL);
	char want_exp[64];
	sfa_err err;
	EVP_PKEY *pk;
	EVP_MD_CTX *md;
	FILE *f;

	private_key_copy(key, sizeof(key), 0600);
	ck_assert_int_eq(
	    sfa_jwt_assertion(key, "sfaccess-demo", "admin@acme.example",
			      "https://login.salesforce.com", now, &jwt, &err),
	    0);
	unlink(key);
	ck_assert_ptr_null(strchr(jwt, '='));
	dot1 = strchr(jwt, '.');
	dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	ck_assert_ptr_nonnull(dot2);
	header = b64url_decode(jwt, (size_t)(dot1 - jwt), &hlen);
	ck_assert_str_eq((char *)header, "{\"alg\":\"RS256\"}");
	claims = b64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), &clen);
	ck_assert_ptr_nonnull(
	    strstr((char *)claims, "\"iss\":\"sfaccess-demo\""));
	ck_assert_ptr_nonnull(
	    strstr((char *)claims, "\"sub\":\"admin@acme.example\""));
	ck_assert_ptr_nonnull(
	    strstr((char *)claims, "\"aud\":\"https://login.salesforce.com\""));
	/* exp within Salesforce's 3 minutes. */
	snprintf(want_exp, sizeof(want_exp), "\"exp\":%lld", now + 170);
	ck_assert_msg(strstr((char *)claims, want_exp) != NULL, "%s", claims);

	snprintf(pub, sizeof(pub), "%s/fixtures/keys/jwt-test.pub",
		 SFA_SOURCE_DIR);
	f = fopen(pub, "r");
	pk = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	sig = b64url_decode(dot2 + 1, strlen(dot2 + 1), &slen);
	md = EVP_MD_CTX_new();
	ck_assert_int_eq(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pk),
			 1);
	ck_assert_int_eq(EVP_DigestVerify(md, sig, slen,
					  (const unsigned char *)jwt,
					  (size_t)(dot2 - jwt)),
			 1);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pk);
	free(header);
	free(claims);
	free(sig);
	sfa_secret_free(jwt);
}
END_TEST

START_TEST(test_jwt_key_readable_by_others_is_refused)
{
	char key[256];
	char *jwt = NULL;
	sfa_err err;

	private_key_copy(key, sizeof(key), 0640);
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_jwt_assertion(key, "c", "u",
					   "https://login.salesforce.com", 0,
					   &jwt, &err),
			 SFA_EINPUT);
	unlink(key);
	ck_assert_ptr_nonnull(strstr(err.msg, "chmod 600"));
	ck_assert_str_eq(err.where, "--jwt-key");
	ck_assert_ptr_null(jwt);
}
END_TEST

static sfa_http *fast_client(void)
{
	sfa_http_options o = {0};
	sfa_http *h = NULL;
	sfa_err err;

	o.backoff_base_ms = 1;
	o.timeout_ms = 3000;
	ck_assert_int_eq(sfa_http_new(&h, &o, &err), 0);
	return h;
}

static char *token_reply(const mock_server *m)
{
	char body[512];

	snprintf(body, sizeof(body),
		 "{\"access_token\":\"00D5e000000AbCd!AQ0fresh\","
		 "\"instance_url\":\"%s\",\"id\":\"%s/id/00D5e000000AbCdEAK/"
		 "0055e000001AbCdAAK\",\"token_type\":\"Bearer\","
		 "\"issued_at\":\"1\"}",
		 m->url, m->url);
	return mock_reply(200, "Content-Type: application/json\r\n", body);
}

START_TEST(test_refresh_login_posts_the_grant_and_reads_the_session)
{
	mock_server m;
	sfa_auth_config cfg = {0};
	sfa_session s = {0};
	sfa_err err;
	sfa_http *h = fast_client();
	const char *req;

	mock_start(&m, NULL);
	mock_push(&m, token_reply(&m));
	cfg.method = SFA_AUTH_OAUTH;
	cfg.base_url = m.url;
	cfg.client_id = "sfaccess-demo";
	cfg.refresh_token = "5Aep861RT/+=";
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_auth_login(&cfg, h, &s, &err), 0);
	ck_assert_str_eq(s.access_token, "00D5e000000AbCd!AQ0fresh");
	ck_assert_str_eq(s.instance_url, m.url);
	ck_assert_str_eq(s.org_id, "00D5e000000AbCdEAK");
	req = mock_request(&m, 0);
	ck_assert_ptr_nonnull(strstr(req, "POST /services/oauth2/token "));
	ck_assert_ptr_nonnull(strstr(req, "grant_type=refresh_token&"
					  "refresh_token=5Aep861RT%2F%2B%3D&"
					  "client_id=sfaccess-demo"));
	ck_assert_ptr_null(strstr(req, "client_secret"));
	sfa_session_clear(&s);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_refused_refresh_names_the_error_and_keeps_the_old_session)
{
	char *replies[] = {
	    mock_reply(400, "Content-Type: application/json\r\n",
		       "{\"error\":\"invalid_grant\",\"error_description\":"
		       "\"expired access/refresh token\"}"),
	    NULL};
	mock_server m;
	sfa_auth_config cfg = {0};
	sfa_session s = {0};
	sfa_err err;
	sfa_http *h = fast_client();

	mock_start(&m, replies);
	cfg.method = SFA_AUTH_OAUTH;
	cfg.base_url = m.url;
	cfg.client_id = "sfaccess-demo";
	cfg.refresh_token = "5Aep861secretRT";
	s.access_token = strdup("old");
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_auth_login(&cfg, h, &s, &err), SFA_EAUTH);
	ck_assert_str_eq(err.sf_code, "invalid_grant");
	ck_assert_ptr_nonnull(strstr(err.msg, "run `sfaccess login` again"));
	ck_assert_ptr_null(strstr(err.msg, "5Aep861secretRT"));
	ck_assert_str_eq(s.access_token, "old");
	sfa_session_clear(&s);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(test_client_credentials_send_id_and_secret_to_my_domain_only)
{
	mock_server m;
	sfa_auth_config cfg = {0};
	sfa_session s = {0};
	sfa_err err;
	sfa_http *h = fast_client();

	cfg.method = SFA_AUTH_CLIENT_CREDENTIALS;
	cfg.base_url = "https://login.salesforce.com";
	cfg.client_id = "cid";
	cfg.client_secret = "sec&ret";
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_auth_login(&cfg, h, &s, &err), SFA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "My Domain"));
	ck_assert_int_eq(sfa_http_requests_sent(h), 0);

	mock_start(&m, NULL);
	mock_push(&m, token_reply(&m));
	cfg.base_url = m.url;
	ck_assert_int_eq(sfa_auth_login(&cfg, h, &s, &err), 0);
	ck_assert_ptr_nonnull(strstr(mock_request(&m, 0),
				     "grant_type=client_credentials&client_id="
				     "cid&client_secret=sec%26ret"));
	sfa_session_clear(&s);
	sfa_http_free(h);
	mock_stop(&m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("auth_oauth");
	TCase *tc = tcase_create("oauth");
	SRunner *sr;
	int failed;

	tcase_add_test(
	    tc, test_form_encodes_every_reserved_byte_and_skips_null_values);
	tcase_add_test(tc, test_b64url_has_no_padding_and_url_safe_letters);
	tcase_add_test(tc, test_token_response_gives_instance_org_and_user);
	tcase_add_test(tc, test_each_refusal_tells_the_admin_what_to_fix);
	tcase_add_test(tc, test_malformed_token_responses_are_protocol_errors);
	tcase_add_test(tc, test_jwt_audience_follows_the_host);
	tcase_add_test(
	    tc, test_jwt_assertion_is_rs256_signed_with_the_right_claims);
	tcase_add_test(tc, test_jwt_key_readable_by_others_is_refused);
	tcase_add_test(
	    tc, test_refresh_login_posts_the_grant_and_reads_the_session);
	tcase_add_test(
	    tc, test_refused_refresh_names_the_error_and_keeps_the_old_session);
	tcase_add_test(
	    tc, test_client_credentials_send_id_and_secret_to_my_domain_only);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
