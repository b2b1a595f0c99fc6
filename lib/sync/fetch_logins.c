/*
 * fetch_logins.c - the incremental LoginHistory copy (fetch_logins.h).
 * LoginTime >= the newest held: a row of that very second that arrived
 * after the last sync is read again, and the store skips the rows it
 * already holds (by Id), so none is lost and none doubled.
 */
#define _GNU_SOURCE /* timegm */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fetch_logins.h"
#include "objects.h"
#include "store_policy.h"

#define LOGIN_FIELDS                                                           \
	"Id, UserId, LoginTime, LoginType, Status, SourceIp, Application,"    \
	" Browser, Platform, AuthMethodReference"

struct copy {
	sfa_store *st;
	const char *org_id;
	long long n;
};

static const char *text(json_t *rec, const char *key)
{
	const char *s = json_string_value(json_object_get(rec, key));

	return s && *s ? s : NULL;
}

static int on_record(void *ud, json_t *rec, sfa_err *err)
{
	struct copy *c = ud;
	char when[21];
	sfa_login l;

	l.id = text(rec, "Id");
	l.user_id = text(rec, "UserId");
	if (!l.id || !l.user_id ||
	    !sfa_obj_canon_time(text(rec, "LoginTime") ? text(rec, "LoginTime")
						       : "",
				when))
		return sfa_err_set(err, SFA_EPROTO,
				   "LoginHistory: a record without Id, UserId "
				   "or a LoginTime");
	l.login_time = when;
	l.login_type = text(rec, "LoginType");
	l.status = text(rec, "Status");
	l.source_ip = text(rec, "SourceIp");
	l.application = text(rec, "Application");
	l.browser = text(rec, "Browser");
	l.platform = text(rec, "Platform");
	l.auth_method_reference = text(rec, "AuthMethodReference");
	c->n++;
	return sfa_store_logins_put(c->st, c->org_id, &l, err);
}

/* The answers of an org that will not show LoginHistory to this user:
 * no Manage Users (INSUFFICIENT_ACCESS), or no such object here. */
static int refused(const char *sf_code)
{
	return strcmp(sf_code, "INSUFFICIENT_ACCESS") == 0 ||
	       strcmp(sf_code, "INVALID_TYPE") == 0 ||
	       strcmp(sf_code, "NOT_FOUND") == 0;
}

static int window_start(const char *now, int days, char out[21])
{
	struct tm tm;
	time_t t = time(NULL);

	if (now) {
		memset(&tm, 0, sizeof(tm));
		if (sscanf(now, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year,
			   &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
			   &tm.tm_sec) != 6)
			return -1;
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t = timegm(&tm);
	}
	t -= (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

int sfa_fetch_login_history(sfa_sf *sf, sfa_store *st, int days,
			    const char *now, sfa_login_sync_stats *stats,
			    sfa_err *err)
{
	struct copy c = {st, NULL, 0};
	long before = sfa_sf_api_requests(sf);
	char soql[256], org_id[32];
	int rc;

	/* A copy: a query that meets an expired session logs in again, and
	 * the session's strings (the org Id among them) are made anew. */
	snprintf(org_id, sizeof(org_id), "%s", sfa_sf_org_id(sf));
	c.org_id = org_id;
	memset(stats, 0, sizeof(*stats));
	if ((rc = sfa_store_logins_newest(st, c.org_id, stats->since, err)))
		return rc;
	if (!stats->since[0] && window_start(now, days, stats->since))
		return sfa_err_set(err, SFA_EINPUT, "bad time `%s`", now);
	/* A dateTime literal is unquoted SOQL; since is canonical, made
	 * here or by sfa_obj_canon_time(), never user text. */
	snprintf(soql, sizeof(soql),
		 "SELECT " LOGIN_FIELDS " FROM LoginHistory WHERE LoginTime >= "
		 "%s ORDER BY LoginTime",
		 stats->since);
	if ((rc = sfa_store_logins_begin(st, err)))
		return rc;
	rc = sfa_sf_query(sf, soql, 0, on_record, &c, err);
	if (rc == 0)
		rc = sfa_store_logins_commit(st, err);
	else
		sfa_store_logins_rollback(st);
	if (rc == SFA_ESF && c.n == 0 && refused(err->sf_code)) {
		snprintf(stats->denied, sizeof(stats->denied), "%s",
			 err->sf_code);
		snprintf(stats->denied_msg, sizeof(stats->denied_msg), "%s",
			 err->msg);
		sfa_err_clear(err);
		rc = 0;
	}
	stats->fetched = c.n;
	stats->requests = sfa_sf_api_requests(sf) - before;
	if (rc == 0)
		rc = sfa_store_logins_count(st, c.org_id, &stats->stored, err);
	return rc;
}
