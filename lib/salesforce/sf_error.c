/*
 * sf_error.c - Salesforce's refusals in words an admin can act on.  The
 * advice table is the one place that knows which permission fixes which
 * error, so cmd/ and every module print the same advice.
 */
#include "sf_error.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *code;
	const char *advice;
} advice_table[] = {
    {"FUNCTIONALITY_NOT_ENABLED",
     "the connecting user lacks the API Enabled permission: add a "
     "permission set with API Enabled to the user"},
    {"API_CURRENTLY_DISABLED",
     "API access is turned off for the connecting user: add a permission "
     "set with API Enabled to the user"},
    {"API_DISABLED_FOR_ORG",
     "the org's edition does not include API access: use an org with API "
     "access (Enterprise, Unlimited, Performance or Developer Edition) or "
     "ask Salesforce to enable the API"},
    {"INVALID_LOGIN",
     "check the username, the password and the security token, that the "
     "user is active and not locked out, and that --domain names the "
     "org (test.salesforce.com or the sandbox My Domain for a sandbox)"},
    {"LOGIN_MUST_USE_SECURITY_TOKEN",
     "Salesforce wants the user's security token from this network: set "
     "SFACCESS_SECURITY_TOKEN or the second line of --password-file "
     "(reset it in Salesforce under Settings > Reset My Security Token), "
     "or add this network to the org's trusted IP ranges"},
    {"INVALID_SESSION_ID",
     "the session expired or was revoked and a fresh login was refused "
     "too: check the session settings (timeout, Lock sessions to the IP "
     "address) and that the user can still log in"},
    {"REQUEST_LIMIT_EXCEEDED",
     "the org has used its daily API request limit (a rolling 24 hours, "
     "shared by every integration): run again when usage has fallen "
     "(Setup > System Overview shows it) or ask Salesforce for a higher "
     "limit"},
    {"INSUFFICIENT_ACCESS",
     "the connecting user lacks a permission: it needs View Setup and "
     "Configuration, Manage Users (users, logins, permission set "
     "assignments) and, for connected apps, Customize Application"},
    {"INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
     "the connecting user lacks a permission: it needs View Setup and "
     "Configuration, Manage Users (users, logins, permission set "
     "assignments) and, for connected apps, Customize Application"},
    {"INVALID_QUERY_LOCATOR",
     "the query cursor expired or belonged to an earlier session: run "
     "the sync again"},
    {"PASSWORD_LOCKOUT",
     "the user is locked out after too many failed logins: unlock it in "
     "Setup > Users or wait for the lockout period to end"},
};

/* Which permission lets the connecting user read or change an object. */
static const struct {
	const char *object;
	const char *advice;
} object_advice[] = {
    {"User", "reading users needs Manage Users (or View All Users)"},
    {"UserLogin", "reading user logins (frozen state) needs Manage Users"},
    {"PermissionSetAssignment",
     "reading permission set assignments needs Manage Users"},
    {"ConnectedApplication",
     "reading connected apps needs Customize Application and View Setup "
     "and Configuration"},
    {"SetupEntityAccess",
     "reading connected-app access needs Customize Application and View "
     "Setup and Configuration"},
    {"OauthToken", "reading OAuth tokens needs Manage Users"},
    {"UserRole",
     "reading roles needs View Setup and Configuration; changing them "
     "needs Manage Roles"},
    {"Group",
     "reading groups needs View Setup and Configuration; changing them "
     "needs Manage Public Groups (Manage Groups)"},
    {"GroupMember",
     "reading group members needs View Setup and Configuration; changing "
     "them needs Manage Public Groups (Manage Groups)"},
    {"ObjectPermissions",
     "reading object permissions needs View Setup and Configuration: add it "
     "to the sync user, or sync with --no-sync-permissions"},
    {"FieldPermissions",
     "reading field permissions needs View Setup and Configuration: add it "
     "to the sync user, or sync without --sync-field-permissions"},
};

const char *sfa_sf_advice(const char *sf_code)
{
	size_t i;

	if (!sf_code)
		return NULL;
	for (i = 0; i < sizeof(advice_table) / sizeof(advice_table[0]); i++)
		if (!strcmp(advice_table[i].code, sf_code))
			return advice_table[i].advice;
	return NULL;
}

const char *sfa_sf_advice_for(const char *sf_code, const char *object)
{
	if (sf_code && object &&
	    (!strcmp(sf_code, "INSUFFICIENT_ACCESS") ||
	     !strcmp(sf_code, "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY")))
		for (size_t i = 0;
		     i < sizeof(object_advice) / sizeof(object_advice[0]); i++)
			if (!strcmp(object_advice[i].object, object))
				return object_advice[i].advice;
	return sfa_sf_advice(sf_code);
}

const char *sfa_sf_advice_code(size_t i)
{
	return i < sizeof(advice_table) / sizeof(advice_table[0])
		   ? advice_table[i].code
		   : NULL;
}

const char *sfa_sf_advice_object(size_t i)
{
	return i < sizeof(object_advice) / sizeof(object_advice[0])
		   ? object_advice[i].object
		   : NULL;
}

/* Copies a message from Salesforce onto one line: MALFORMED_QUERY
 * messages span several lines with a caret under the error. */
static void one_line(char *out, size_t outsz, const char *s)
{
	size_t n = 0;
	int space = 0;

	for (; s && *s && n + 1 < outsz; s++) {
		if (isspace((unsigned char)*s) || iscntrl((unsigned char)*s)) {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < outsz)
			out[n++] = ' ';
		space = 0;
		out[n++] = *s;
	}
	out[n] = '\0';
}

void sfa_sf_error_text(char *out, size_t size, const char *text)
{
	static const char more[] = "...";
	size_t n, cut, word;
	char *whole;

	if (!size)
		return;
	out[0] = '\0';
	/* One byte more than fits tells whether it had to be cut. */
	if (size <= sizeof(more) || !(whole = calloc(size + 1, 1)))
		return;
	one_line(whole, size + 1, text);
	n = strlen(whole);
	if (n < size) {
		if (n && whole[n - 1] == '.') /* advice follows */
			whole[--n] = '\0';
		memcpy(out, whole, n + 1);
		free(whole);
		return;
	}
	/* End before the last word that does not fit with the mark; a
	 * single word that long ends at a character boundary instead. */
	cut = size - sizeof(more);
	for (word = cut; word > 0 && whole[word] != ' '; word--)
		;
	if (word > 0)
		cut = word;
	while (cut > 0 && ((unsigned char)whole[cut] & 0xC0) == 0x80)
		cut--;
	while (cut > 0 && strchr(" ,;.:", whole[cut - 1]))
		cut--;
	memcpy(out, whole, cut);
	memcpy(out + cut, more, sizeof(more));
	free(whole);
}

static const char *json_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? s : NULL;
}

int sfa_sf_error_from_body(long status, const char *body, size_t len,
			   const char *object, sfa_err *err)
{
	const char *code = NULL, *text = NULL, *advice;
	char msg[512];
	json_t *root = NULL, *first;
	int rc;

	if (body && len)
		root = json_loadb(body, len, 0, NULL);
	first = json_is_array(root) ? json_array_get(root, 0) : root;
	if (json_is_object(first)) {
		code = json_str(first, "errorCode");
		text = json_str(first, "message");
		if (!code) { /* OAuth endpoints */
			code = json_str(first, "error");
			text = json_str(first, "error_description");
		}
	}
	sfa_sf_error_text(msg, sizeof(msg), text);

	if (code && !strcmp(code, "REQUEST_LIMIT_EXCEEDED"))
		rc = SFA_ELIMIT;
	else if (status == 401 || (code && !strcmp(code, "INVALID_SESSION_ID")))
		rc = SFA_EAUTH;
	else
		rc = SFA_ESF;
	if (err) {
		err->http_status = status;
		snprintf(err->sf_code, sizeof(err->sf_code), "%s",
			 code ? code : "");
		if (object)
			sfa_err_where(err, "%s", object);
	}
	advice = sfa_sf_advice_for(code, object);
	sfa_err_set(err, rc, "Salesforce refused %s%s (HTTP %ld%s%s): %s%s%s",
		    object ? "the request on " : "the request",
		    object ? object : "", status, code ? " " : "",
		    code ? code : "", msg[0] ? msg : "no error message",
		    advice ? "; " : "", advice ? advice : "");
	json_decref(root);
	return rc;
}

/* Parses a decimal count at s; *end is where it stopped.  0 when s
 * does not start with a digit or the number overflows. */
static int parse_count(const char *s, char **end, long *out)
{
	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	*out = strtol(s, end, 10);
	return errno == 0;
}

int sfa_sf_limit_info_parse(const char *header, long *used, long *limit)
{
	const char *p = header;

	while (p && *p) {
		size_t n = strcspn(p, ",;");
		char item[128], *v, *stop;
		long u, l;

		snprintf(item, sizeof(item), "%.*s",
			 (int)(n < sizeof(item) ? n : sizeof(item) - 1), p);
		p += n;
		if (*p)
			p++;
		v = item + strspn(item, " \t");
		if (strncmp(v, "api-usage=", 10) != 0)
			continue;
		if (!parse_count(v + 10, &stop, &u) || *stop != '/' ||
		    !parse_count(stop + 1, &stop, &l) ||
		    stop[strspn(stop, " \t")] != '\0')
			continue;
		*used = u;
		*limit = l;
		return 1;
	}
	return 0;
}
