/*
 * test_policy.c - every rule of POLICY.md on hand-made orgs with the exact
 * findings expected, the boundaries (exactly `days`, never logged in, a
 * frozen leaver, a leaver matching two users, an SoD pair met through a
 * group and a profile), and the policy and HR parsers naming every
 * problem by line.
 */
#include "policy.h"
#include "store_fixture.h"
#include "store_policy.h"

#define AS_OF "2026-12-01T00:00:00Z"

/* Id, Username, Name, FirstName, LastName, Email, IsActive, UserType,
 * ProfileId, UserRoleId, ManagerId, Manager.Username, LastLoginDate,
 * CreatedDate, FederationIdentifier, license Name, license key */
#define PUSER(id, email, active, type, prof, last, fed)                        \
	{                                                                      \
		SFA_OBJ_USER,                                                  \
		{                                                              \
			id, id "@x.test", "Name " id, NULL, "Last", email,     \
			    active, type, prof, NULL, NULL, NULL, last,        \
			    "2026-01-01T00:00:00Z", fed, "Salesforce", "SFDC"  \
		}                                                              \
	}
/* A permission set without permissions of its own (grant() gives them). */
#define PSF(id, owned, prof)                                                   \
	{                                                                      \
		SFA_OBJ_PERMISSION_SET,                                        \
		{                                                              \
			id, "N_" id, "Label " id, "Regular", NULL, T, NULL,    \
			    owned, prof, NULL, F, F, F, F, F                   \
		}                                                              \
	}
/* An ObjectPermissions row: read, create, edit, delete, viewall,
 * modifyall, viewallfields. */
#define OP(id, parent, obj, r, c, e, d, va, ma, vaf)                           \
	{                                                                      \
		SFA_OBJ_OBJECT_PERMS,                                          \
		{                                                              \
			id, parent, obj, r, c, e, d, va, ma, vaf               \
		}                                                              \
	}

/* The snapshot's catalogue of system permissions, as the describe calls
 * give it. */
enum { P_MAD, P_VAD, P_USERS, P_APEX, P_CUSTOMIZE, P_MFA, P_API, P_N };
static const char *const perm_names[P_N][2] = {
    {"ModifyAllData", "Modify All Data"},
    {"ViewAllData", "View All Data"},
    {"ManageUsers", "Manage Users"},
    {"AuthorApex", "Author Apex"},
    {"CustomizeApplication", "Customize Application"},
    {"BypassMFAForUiLogins", "Waive Multi-Factor Authentication for "
			     "Exempt Users"},
    {"ApiEnabled", "API Enabled"},
};

/* One system permission true on a permission set (0PS) or a muting
 * permission set (0QM). */
struct grant {
	const char *container;
	int perm;
};

/* fx_snapshot() of a snapshot synced with permissions: the catalogue and
 * the grants. */
static long long perm_snapshot(sfa_store *st, const struct rec *r, size_t n,
			       const struct grant *g, size_t ng)
{
	sfa_err err = {0};
	long long id = 0;
	size_t i;

	ck_assert(sfa_store_begin_snapshot(st, "00Dorg", "64.0", "{}", &id,
					   &err) == 0);
	for (i = 0; i < P_N; i++)
		ck_assert(sfa_store_put_perm_name(st, (int)i, perm_names[i][0],
						  perm_names[i][1], &err) == 0);
	fx_put(st, r, n);
	for (i = 0; i < ng; i++)
		ck_assert_msg(
		    sfa_store_put_perms(st,
					strncmp(g[i].container, "0QM", 3) == 0
					    ? SFA_OBJ_MUTING_PERMS
					    : SFA_OBJ_PERMISSION_SET_PERMS,
					g[i].container, &g[i].perm, 1,
					&err) == 0,
		    "%s", err.msg);
	ck_assert_msg(sfa_snapshot_finish(st, NULL, 7, NULL, &err) == 0, "%s",
		      err.msg);
	return id;
}

static sfa_policy *policy_of(const char *text)
{
	sfa_policy *p = NULL;
	sfa_problems probs = {0};
	sfa_err err = {0};

	ck_assert_msg(sfa_policy_parse(&p, text, strlen(text), "p.ini", &probs,
				       &err) == 0,
		      "%s", err.msg);
	sfa_problems_free(&probs);
	return p;
}

/* Checks snapshot id and asserts the findings, each written "rule|
 * username|what|via_type|via_id", in the spec's order. */
static void expect(sfa_store *st, long long id, const sfa_check_opts *o,
		   const char *const *want, size_t n)
{
	sfa_findings *fs = NULL;
	sfa_err err = {0};
	size_t i;

	ck_assert_msg(sfa_policy_check(st, id, o, &fs, &err) == 0, "%s",
		      err.msg);
	for (i = 0; i < sfa_findings_count(fs) || i < n; i++) {
		char got[512] = "(none)";

		if (i < sfa_findings_count(fs)) {
			const sfa_finding *f = sfa_findings_get(fs, i);

			snprintf(got, sizeof(got), "%s|%s|%s|%s|%s",
				 sfa_rule_name(f->rule), f->username, f->what,
				 f->via_type, f->via_id);
		}
		ck_assert_msg(i < n && strcmp(got, want[i]) == 0,
			      "finding %zu: got '%s', want '%s'", i, got,
			      i < n ? want[i] : "(none)");
	}
	sfa_findings_free(fs);
}

#define EXPECT(st, id, o, ...)                                                 \
	do {                                                                   \
		static const char *const w_[] = {__VA_ARGS__};                 \
		expect(st, id, o, w_, NREC(w_));                               \
	} while (0)

/* A policy with only the named rule on (and [sod] lines appended). */
static sfa_policy *only(const char *rule, const char *extra)
{
	static const char *const all[] = {
	    "dormant-privileged", "dormant",
	    "sod",		  "external-privileged",
	    "mfa-waived-privileged", "expired-assignment",
	    "inactive-with-access", "leaver",
	    "unused-connected-app"};
	char text[2048] = "";
	size_t i, n = 0;

	for (i = 0; i < NREC(all); i++)
		if (strcmp(all[i], rule) != 0)
			n += (size_t)snprintf(text + n, sizeof(text) - n,
					      "[rule.%s]\nenabled = false\n",
					      all[i]);
	snprintf(text + n, sizeof(text) - n, "%s", extra ? extra : "");
	return policy_of(text);
}

START_TEST(test_dormant_includes_exactly_days_and_never_and_skips_frozen)
{
	static const struct rec org[] = {
	    PUSER("005exact", NULL, T, "Standard", NULL,
		  "2026-09-02T00:00:00Z", NULL),
	    PUSER("005later", NULL, T, "Standard", NULL,
		  "2026-09-02T00:00:01Z", NULL),
	    PUSER("005never", NULL, T, "Standard", NULL, NULL, NULL),
	    PUSER("005gone", NULL, F, "Standard", NULL, NULL, NULL),
	    PUSER("005frozen", NULL, T, "Standard", NULL, NULL, NULL),
	    LOGIN("0Ya1", "005frozen", T),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));
	sfa_policy *p = only("dormant", NULL);
	sfa_check_opts o = {p, NULL, NULL, AS_OF};

	EXPECT(st, id, &o, "dormant|005exact@x.test|||",
	       "dormant|005never@x.test|||");
	sfa_policy_free(p);
	p = only("dormant", "[rule.dormant]\nenabled = true\ndays = 91\n");
	o.policy = p;
	EXPECT(st, id, &o, "dormant|005never@x.test|||");
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

START_TEST(test_a_login_in_the_history_makes_a_user_not_dormant)
{
	static const struct rec org[] = {
	    PUSER("005A", NULL, T, "Standard", NULL, "2026-01-01T00:00:00Z",
		  NULL),
	};
	sfa_login l = {"0Ya1", "005A", "2026-11-30T10:00:00Z",
		       "Application", "Success", NULL, NULL, NULL, NULL, NULL};
	sfa_login later = {"0Ya3", "005A", "2026-12-05T10:00:00Z",
			   "Application", "Success", NULL, NULL, NULL, NULL, NULL};
	sfa_login failed = {"0Ya2", "005A", "2026-11-30T11:00:00Z",
			    "Application", "Invalid Password", NULL, NULL,
			    NULL, NULL, NULL};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));
	sfa_policy *p = only("dormant", NULL);
	sfa_check_opts o = {p, NULL, NULL, AS_OF};
	sfa_err err = {0};

	ck_assert_int_eq(sfa_store_logins_begin(st, &err), 0);
	ck_assert_int_eq(sfa_store_logins_put(st, "00Dorg", &failed, &err), 0);
	ck_assert_int_eq(sfa_store_logins_commit(st, &err), 0);
	EXPECT(st, id, &o, "dormant|005A@x.test|||");
	ck_assert_int_eq(sfa_store_logins_begin(st, &err), 0);
	ck_assert_int_eq(sfa_store_logins_put(st, "00Dorg", &l, &err), 0);
	ck_assert_int_eq(sfa_store_logins_commit(st, &err), 0);
	{
		static const char *const none[1] = {NULL};

		expect(st, id, &o, none, 0);
	}
	/* A login after the check time (an older snapshot) is not seen:
	 * the newest before it still is. */
	ck_assert_int_eq(sfa_store_logins_begin(st, &err), 0);
	ck_assert_int_eq(sfa_store_logins_put(st, "00Dorg", &later, &err), 0);
	ck_assert_int_eq(sfa_store_logins_commit(st, &err), 0);
	{
		static const char *const none[1] = {NULL};

		expect(st, id, &o, none, 0);
	}
	o.as_of = "2026-11-30T09:00:00Z";
	EXPECT(st, id, &o, "dormant|005A@x.test|||");
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

START_TEST(test_dormant_privileged_names_the_worst_permission_and_its_way)
{
	static const struct rec org[] = {
	    PROFILE("00eAdm", "Admin"),
	    PSF("0PSadm", T, "00eAdm"),
	    PSF("0PSview", F, NULL),
	    PUSER("005old", NULL, T, "Standard", "00eAdm",
		  "2026-01-01T00:00:00Z", NULL),
	    PUSER("005new", NULL, T, "Standard", "00eAdm",
		  "2026-11-30T00:00:00Z", NULL),
	    PUSER("005viewer", NULL, T, "Standard", NULL, NULL, NULL),
	    PSA("0Pa1", "005viewer", "0PSview", NULL, NULL,
		"2026-01-01T00:00:00Z"),
	};
	static const struct grant grants[] = {
	    {"0PSadm", P_MAD}, {"0PSadm", P_VAD}, {"0PSview", P_VAD}};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = perm_snapshot(st, org, NREC(org), grants, NREC(grants));
	sfa_policy *p = only("dormant-privileged", NULL);
	sfa_check_opts o = {p, NULL, NULL, AS_OF};

	/* ViewAllData is tier 2: the viewer is not tier 0-1. */
	EXPECT(st, id, &o,
	       "dormant-privileged|005old@x.test|ModifyAllData|profile|00eAdm");
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

START_TEST(test_sod_pair_met_through_a_group_and_a_profile)
{
	static const struct rec org[] = {
	    PROFILE("00ePay", "Payments"),
	    PROFILE("00eStd", "Standard User"),
	    GROUP("00GFin", "Finance", "Regular", NULL),
	    GROUP("00GOuter", "Outer", "Regular", NULL),
	    GM("011a", "00GFin", "00GOuter", "2026-01-01T00:00:00Z"),
	    GM("011b", "00GOuter", "005both", "2026-01-01T00:00:00Z"),
	    GM("011c", "00GFin", "005grouponly", "2026-01-01T00:00:00Z"),
	    PUSER("005both", NULL, T, "Standard", "00ePay",
		  "2026-11-30T00:00:00Z", NULL),
	    PUSER("005profonly", NULL, T, "Standard", "00ePay",
		  "2026-11-30T00:00:00Z", NULL),
	    PUSER("005grouponly", NULL, T, "Standard", "00eStd",
		  "2026-11-30T00:00:00Z", NULL),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));
	sfa_policy *p =
	    only("sod", "[sod]\npay-and-approve = Dev_00GFin + Payments\n");
	sfa_check_opts o = {p, NULL, NULL, AS_OF};
	sfa_findings *fs = NULL;
	sfa_err err = {0};

	/* 005both is in Finance through the nested group Outer. */
	{
		static const char *const rows[] = {
		    "005both profile 00ePay direct -",
		    "005both group 00GOuter direct -",
		    "005both group 00GFin group 00GOuter",
		    "005profonly profile 00ePay direct -",
		    "005grouponly profile 00eStd direct -",
		    "005grouponly group 00GFin direct -"};

		fx_expect(st, id, rows, NREC(rows));
	}
	EXPECT(st, id, &o, "sod|005both@x.test|pay-and-approve||");
	ck_assert_int_eq(sfa_policy_check(st, id, &o, &fs, &err), 0);
	ck_assert_str_eq(sfa_findings_get(fs, 0)->detail,
			 "Dev_00GFin: group 00GFin; Payments: profile 00ePay");
	sfa_findings_free(fs);
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

START_TEST(test_sod_with_a_permission_side_and_an_unknown_side_is_refused)
{
	static const struct rec org[] = {
	    PROFILE("00eAdm", "Admin"),
	    PSF("0PSadm", T, "00eAdm"),
	    GROUP("00GFin", "Finance", "Regular", NULL),
	    GM("011a", "00GFin", "005A", "2026-01-01T00:00:00Z"),
	    PUSER("005A", NULL, T, "Standard", "00eAdm",
		  "2026-11-30T00:00:00Z", NULL),
	};
	static const struct grant grants[] = {{"0PSadm", P_MAD}};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = perm_snapshot(st, org, NREC(org), grants, NREC(grants));
	sfa_policy *p = only(
	    "sod", "[sod]\nadmin-in-finance = ModifyAllData + Dev_00GFin\n");
	sfa_check_opts o = {p, NULL, NULL, AS_OF};
	sfa_findings *fs = NULL;
	sfa_err err = {0};

	EXPECT(st, id, &o, "sod|005A@x.test|admin-in-finance||");
	sfa_policy_free(p);
	p = only("sod", "\n[sod]\nx = ModifyAllData + No_Such_Group\n");
	o.policy = p;
	ck_assert_int_eq(sfa_policy_check(st, id, &o, &fs, &err), SFA_EINPUT);
	ck_assert_ptr_null(fs);
	ck_assert_str_eq(err.where, "p.ini:19");
	ck_assert_ptr_nonnull(strstr(err.msg, "`No_Such_Group` names no"));
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

START_TEST(test_external_user_with_view_all_data_is_a_finding)
{
	static const struct rec org[] = {
	    PSF("0PSview", F, NULL),
	    PUSER("005partner", NULL, T, "PowerPartner", NULL,
		  "2026-11-30T00:00:00Z", NULL),
	    PUSER("005inside", NULL, T, "Standard", NULL,
		  "2026-11-30T00:00:00Z", NULL),
	    PSA("0Pa1", "005partner", "0PSview", NULL, NULL,
		"2026-01-01T00:00:00Z"),
	    PSA("0Pa2", "005inside", "0PSview", NULL, NULL,
		"2026-01-01T00:00:00Z"),
	};
	static const struct grant grants[] = {{"0PSview", P_VAD}};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = perm_snapshot(st, org, NREC(org), grants, NREC(grants));
	sfa_policy *p = only("external-privileged", NULL);
	sfa_check_opts o = {p, NULL, NULL, AS_OF};

	EXPECT(st, id, &o,
	       "external-privileged|005partner@x.test|ViewAllData|"
	       "permission_set|0PSview");
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

START_TEST(test_mfa_waiver_with_a_tier_0_permission)
{
	static const struct rec org[] = {
	    PROFILE("00eDev", "Developer"),
	    PROFILE("00eAdm", "Admin"),
	    PSF("0PSdev", T, "00eDev"),
	    PSF("0PSadm", T, "00eAdm"),
	    PSF("0PSmfa", F, NULL),
	    PUSER("005waived", NULL, T, "Standard", "00eDev",
		  "2026-11-30T00:00:00Z", NULL),
	    PUSER("005onlywaiver", NULL, T, "Standard", NULL,
		  "2026-11-30T00:00:00Z", NULL),
	    PUSER("005admin", NULL, T, "Standard", "00eAdm",
		  "2026-11-30T00:00:00Z", NULL),
	    PSA("0Pa1", "005waived", "0PSmfa", NULL, NULL,
		"2026-01-01T00:00:00Z"),
	    PSA("0Pa2", "005onlywaiver", "0PSmfa", NULL, NULL,
		"2026-01-01T00:00:00Z"),
	};
	static const struct grant grants[] = {
	    {"0PSdev", P_APEX}, {"0PSadm", P_MAD}, {"0PSmfa", P_MFA}};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = perm_snapshot(st, org, NREC(org), grants, NREC(grants));
	sfa_policy *p = only("mfa-waived-privileged", NULL);
	sfa_check_opts o = {p, NULL, NULL, AS_OF};

	EXPECT(st, id, &o,
	       "mfa-waived-privileged|005waived@x.test|AuthorApex|profile|"
	       "00eDev");
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

/* The engine's rules reach the policy rules: a profile, a permission set
 * group, the same group's permission muted in another group, the
 * ModifyAllData and ViewAllData implications on objects, and the tiers
 * of [privileged].
 *   profile Admin (00eAdm) owns 0PSpa: ModifyAllData
 *   profile Standard (00eStd) owns 0PSps: Account read
 *   0PGall = 0PSc1 (ModifyAllData, ManageUsers)
 *   0PGops = 0PSc1 muted by 0QMm (ModifyAllData): ManageUsers only
 *   0PSc2 (direct): Account modifyall, ApiEnabled
 *   0PSview (direct): ViewAllData
 *   group Finance (00GFin): 005grp, 005muted, 005plain */
static const struct rec engine_org[] = {
    PROFILE("00eAdm", "Admin"),
    PROFILE("00eStd", "Standard"),
    PSF("0PSpa", T, "00eAdm"),
    PSF("0PSps", T, "00eStd"),
    PSF("0PSc1", F, NULL),
    PSF("0PSc2", F, NULL),
    PSF("0PSview", F, NULL),
    PS("0PSag1", F, NULL, "0PGall"),
    PS("0PSag2", F, NULL, "0PGops"),
    PSG("0PGall"),
    PSG("0PGops"),
    PSGC("0PCa", "0PGall", "0PSc1"),
    PSGC("0PCb", "0PGops", "0PSc1"),
    PSGC("0PCc", "0PGops", "0QMm"),
    OP("110a", "0PSps", "Account", T, F, F, F, F, F, F),
    OP("110b", "0PSc2", "Account", T, T, T, T, T, T, F),
    GROUP("00GFin", "Finance", "Regular", NULL),
    GM("011a", "00GFin", "005grp", "2026-01-01T00:00:00Z"),
    GM("011b", "00GFin", "005muted", "2026-01-01T00:00:00Z"),
    GM("011c", "00GFin", "005plain", "2026-01-01T00:00:00Z"),
    PUSER("005adm", NULL, T, "Standard", "00eAdm", "2026-01-01T00:00:00Z",
	  NULL),
    PUSER("005grp", NULL, T, "Standard", "00eStd", "2026-01-01T00:00:00Z",
	  NULL),
    PUSER("005muted", NULL, T, "Standard", "00eStd", "2026-01-01T00:00:00Z",
	  NULL),
    PUSER("005plain", NULL, T, "Standard", "00eStd", "2026-01-01T00:00:00Z",
	  NULL),
    PUSER("005partner", NULL, T, "PowerPartner", "00eStd",
	  "2026-11-30T00:00:00Z", NULL),
    PSA("0Pa1", "005grp", "0PSag1", "0PGall", NULL, "2026-01-01T00:00:00Z"),
    PSA("0Pa2", "005muted", "0PSag2", "0PGops", NULL, "2026-01-01T00:00:00Z"),
    PSA("0Pa3", "005plain", "0PSc2", NULL, NULL, "2026-01-01T00:00:00Z"),
    PSA("0Pa4", "005partner", "0PSview", NULL, NULL, "2026-01-01T00:00:00Z"),
};
static const struct grant engine_grants[] = {
    {"0PSpa", P_MAD},	{"0PSc1", P_MAD},  {"0PSc1", P_USERS},
    {"0QMm", P_MAD},	{"0PSc2", P_API},  {"0PSview", P_VAD},
    {"0PSag1", P_MAD}, {"0PSag1", P_USERS}, {"0PSag2", P_USERS}};

START_TEST(test_permission_rules_read_the_engine)
{
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = perm_snapshot(st, engine_org, NREC(engine_org),
				     engine_grants, NREC(engine_grants));
	sfa_policy *p = only("dormant-privileged", NULL);
	sfa_check_opts o = {p, NULL, NULL, AS_OF};
	sfa_findings *fs = NULL;
	sfa_priv *pv = NULL;
	sfa_err err = {0};

	/* 0QMm mutes ModifyAllData inside 0PGops only. */
	EXPECT(st, id, &o,
	       "dormant-privileged|005adm@x.test|ModifyAllData|profile|00eAdm",
	       "dormant-privileged|005grp@x.test|ModifyAllData|"
	       "permission_set_group|0PGall",
	       "dormant-privileged|005muted@x.test|ManageUsers|"
	       "permission_set_group|0PGops");

	/* [privileged]: tiers are the configuration's. */
	ck_assert(sfa_priv_new(&pv, &err) == 0);
	ck_assert(sfa_priv_configure(pv, "ApiEnabled:0", "ModifyAllData",
				     &err) == 0);
	o.privileged = pv;
	EXPECT(st, id, &o,
	       "dormant-privileged|005grp@x.test|ManageUsers|"
	       "permission_set_group|0PGall",
	       "dormant-privileged|005muted@x.test|ManageUsers|"
	       "permission_set_group|0PGops",
	       "dormant-privileged|005plain@x.test|ApiEnabled|permission_set|"
	       "0PSc2");
	o.privileged = NULL;
	sfa_policy_free(p);

	/* Account:modifyall: its own row, or implied by ModifyAllData
	 * unless muted; any case in the policy file. */
	p = only("sod", "[sod]\nacct = account:MODIFYALL + Dev_00GFin\n");
	o.policy = p;
	EXPECT(st, id, &o, "sod|005grp@x.test|acct||",
	       "sod|005plain@x.test|acct||");
	ck_assert_int_eq(sfa_policy_check(st, id, &o, &fs, &err), 0);
	ck_assert_str_eq(sfa_findings_get(fs, 0)->detail,
			 "account:MODIFYALL: permission_set_group 0PGall; "
			 "Dev_00GFin: group 00GFin");
	sfa_findings_free(fs);
	sfa_policy_free(p);

	/* An unknown object names the closest. */
	p = only("sod", "[sod]\nacct = Acount:modifyall + Dev_00GFin\n");
	o.policy = p;
	ck_assert_int_eq(sfa_policy_check(st, id, &o, &fs, &err), SFA_EINPUT);
	ck_assert_str_eq(err.where, "p.ini:18");
	ck_assert_msg(strstr(err.msg, "Account:modifyall"), "%s", err.msg);
	sfa_policy_free(p);

	/* ViewAllData implies View All on every object. */
	p = only("external-privileged", NULL);
	o.policy = p;
	EXPECT(st, id, &o,
	       "external-privileged|005partner@x.test|Account:viewall|"
	       "permission_set|0PSview");
	sfa_policy_free(p);
	sfa_priv_free(pv);
	fx_close(st, path);
}
END_TEST

START_TEST(test_a_snapshot_without_permissions_names_the_rules_needing_them)
{
	static const struct rec org[] = {
	    PUSER("005a", NULL, T, "Standard", NULL, NULL, NULL),
	    GROUP("00GFin", "Finance", "Regular", NULL),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));
	sfa_policy *p = only("dormant-privileged", NULL);
	sfa_check_opts o = {NULL, NULL, NULL, AS_OF};
	sfa_findings *fs = NULL;
	sfa_err err = {0};

	ck_assert_int_eq(sfa_policy_check(st, id, &o, &fs, &err), SFA_EINPUT);
	ck_assert_ptr_null(fs);
	ck_assert_msg(strstr(err.msg, "holds no permissions") &&
			  strstr(err.msg, "dormant-privileged, "
					  "external-privileged, "
					  "mfa-waived-privileged need"),
		      "%s", err.msg);
	/* Rules without permissions run; a [sod] side that is a group is
	 * found, one that is a permission is refused. */
	sfa_policy_free(p);
	p = only("dormant", "[sod]\nx = Dev_00GFin + Dev_00GFin\n");
	o.policy = p;
	EXPECT(st, id, &o, "dormant|005a@x.test|||");
	sfa_policy_free(p);
	p = only("sod", "[sod]\nx = Account:read + Dev_00GFin\n");
	o.policy = p;
	ck_assert_int_eq(sfa_policy_check(st, id, &o, &fs, &err), SFA_EINPUT);
	ck_assert_msg(strstr(err.msg, "is a permission, and snapshot"), "%s",
		      err.msg);
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

START_TEST(test_expired_assignment_before_the_check_time_only)
{
	static const struct rec org[] = {
	    PSF("0PSx", F, NULL),
	    PSG("0PGg"),
	    PUSER("005A", NULL, T, "Standard", NULL, "2026-11-30T00:00:00Z",
		  NULL),
	    PSA("0Pa1", "005A", "0PSx", NULL, "2026-11-30T23:59:59Z",
		"2026-01-01T00:00:00Z"),
	    PSA("0Pa2", "005A", "0PSagg", "0PGg", "2026-12-01T00:00:00Z",
		"2026-01-01T00:00:00Z"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));
	sfa_policy *p = only("expired-assignment", NULL);
	sfa_check_opts o = {p, NULL, NULL, AS_OF};

	EXPECT(st, id, &o,
	       "expired-assignment|005A@x.test|N_0PSx|permission_set|0PSx");
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

START_TEST(test_inactive_with_access_beyond_the_profile_and_the_organization_group)
{
	static const struct rec org[] = {
	    PROFILE("00eStd", "Standard User"),
	    PSF("0PSx", F, NULL),
	    GROUP("00GTeam", "Team", "Regular", NULL),
	    /* The frozen user is in it as an active internal user: no
	     * grant to take back. */
	    GROUP("00GAll", "All Internal Users", "Organization", NULL),
	    PUSER("005gone", NULL, F, "Standard", "00eStd", NULL, NULL),
	    PUSER("005profileonly", NULL, F, "Standard", "00eStd", NULL, NULL),
	    PUSER("005frozen", NULL, T, "Standard", "00eStd",
		  "2026-11-30T00:00:00Z", NULL),
	    LOGIN("0Ya1", "005frozen", T),
	    PSA("0Pa1", "005gone", "0PSx", NULL, NULL, "2026-01-01T00:00:00Z"),
	    GM("011a", "00GTeam", "005frozen", "2026-01-01T00:00:00Z"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));
	sfa_policy *p = only("inactive-with-access", NULL);
	sfa_check_opts o = {p, NULL, NULL, AS_OF};

	EXPECT(st, id, &o,
	       "inactive-with-access|005frozen@x.test|00GTeam|direct|",
	       "inactive-with-access|005gone@x.test|0PSx|direct|");
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

static sfa_hr *hr_of(const char *text)
{
	sfa_hr *hr = NULL;
	sfa_problems probs = {0};
	sfa_err err = {0};

	ck_assert_msg(sfa_hr_parse(&hr, text, strlen(text), "hr.csv", &probs,
				   &err) == 0,
		      "%s", err.msg);
	sfa_problems_free(&probs);
	return hr;
}

START_TEST(test_leavers_by_federation_id_username_email_frozen_and_ambiguous)
{
	static const struct rec org[] = {
	    PUSER("005fed", "fed@x.test", T, "Standard", NULL,
		  "2026-11-20T00:00:00Z", "E100"),
	    PUSER("005byname", NULL, T, "Standard", NULL,
		  "2026-11-20T00:00:00Z", NULL),
	    PUSER("005frozen", "frozen@x.test", T, "Standard", NULL,
		  "2026-11-20T00:00:00Z", NULL),
	    LOGIN("0Ya1", "005frozen", T),
	    PUSER("005twin1", "twin@x.test", T, "Standard", NULL,
		  "2026-11-20T00:00:00Z", NULL),
	    PUSER("005twin2", "TWIN@x.test", T, "Standard", NULL,
		  "2026-11-20T00:00:00Z", NULL),
	    PUSER("005stays", "stays@x.test", T, "Standard", NULL,
		  "2026-11-20T00:00:00Z", NULL),
	    PUSER("005gone", "gone@x.test", F, "Standard", NULL,
		  "2026-11-20T00:00:00Z", NULL),
	};
	sfa_login before = {"0Ya1", "005fed", "2026-10-01T23:59:59Z", "UI",
			    "Success", "10.0.0.1", "Browser", NULL, NULL, NULL};
	sfa_login after = {"0Ya2", "005fed", "2026-10-02T08:00:00Z", "UI",
			   "Success", "10.0.0.2", "Browser", NULL, NULL, NULL};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));
	sfa_policy *p = only("leaver", NULL);
	/* The federation id wins over a username that would match another
	 * user; an unmatched person, an active one and a deactivated user
	 * give nothing. */
	sfa_hr *hr = hr_of(
	    "Email,Username,Federation_ID,Status,Termination_Date\n"
	    ",005byname@x.test,e100,terminated,2026-10-01\n"
	    ",005BYNAME@x.test,,Terminated,2026-10-01\n"
	    "frozen@x.test,,,terminated,2026-10-01\n"
	    "twin@x.test,,,terminated,2026-10-01\n"
	    "stays@x.test,,,active,\n"
	    "nobody@x.test,,,terminated,2026-10-01\n"
	    "gone@x.test,,,terminated,2026-10-01\n");
	sfa_check_opts o = {p, hr, NULL, AS_OF};
	sfa_findings *fs = NULL;
	sfa_err err = {0};

	ck_assert_int_eq(sfa_store_logins_begin(st, &err), 0);
	ck_assert_int_eq(sfa_store_logins_put(st, "00Dorg", &before, &err), 0);
	ck_assert_int_eq(sfa_store_logins_put(st, "00Dorg", &after, &err), 0);
	ck_assert_int_eq(sfa_store_logins_commit(st, &err), 0);
	EXPECT(st, id, &o, "leaver||twin@x.test||",
	       "leaver|005byname@x.test|||", "leaver|005fed@x.test|||");
	ck_assert_int_eq(sfa_policy_check(st, id, &o, &fs, &err), 0);
	ck_assert_str_eq(sfa_findings_get(fs, 0)->detail,
			 "ambiguous: hr.csv:5 matches 2 users "
			 "(005twin1@x.test, 005twin2@x.test); not guessed");
	ck_assert_str_eq(sfa_findings_get(fs, 2)->detail,
			 "terminated 2026-10-01 (hr.csv:2), still active; 1 "
			 "logins after: 2026-10-02T08:00:00Z Browser from "
			 "10.0.0.2");
	sfa_findings_free(fs);
	sfa_hr_free(hr);
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

/* OauthToken: Id, UserId, AppName, LastUsedDate. */
#define TOKEN_USED(id, user, app, used)                                        \
	{                                                                      \
		SFA_OBJ_OAUTH_TOKEN,                                           \
		{                                                              \
			id, user, app, used                                    \
		}                                                              \
	}

START_TEST(test_unused_connected_app_is_reachable_with_no_token_used_in_days)
{
	/* 90 days before AS_OF is 2026-09-02T00:00:00Z. */
	static const struct rec org[] = {
	    PROFILE("00eStd", "Standard User"),
	    PSF("0PSown", T, "00eStd"),
	    APP("0H4used", "Used App"),
	    APP("0H4stale", "Stale App"),
	    APP("0H4idle", "Idle App"),
	    APP("0H4nobody", "Nobody App"),
	    SEA("0J01", "0PSown", "0H4used"),
	    SEA("0J02", "0PSown", "0H4idle"),
	    SEA("0J03", "0PSown", "0H4stale"),
	    PUSER("005A", NULL, T, "Standard", "00eStd",
		  "2026-11-30T00:00:00Z", NULL),
	    TOKEN_USED("0CR1", "005A", "Used App", "2026-09-02T00:00:00Z"),
	    TOKEN_USED("0CR2", "005A", "Stale App", "2026-09-01T23:59:59Z"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, org, NREC(org));
	sfa_policy *p = only("unused-connected-app", NULL);
	sfa_check_opts o = {p, NULL, NULL, AS_OF};

	EXPECT(st, id, &o,
	       "unused-connected-app||Idle App|connected_app|0H4idle",
	       "unused-connected-app||Stale App|connected_app|0H4stale");
	sfa_policy_free(p);
	fx_close(st, path);
}
END_TEST

START_TEST(test_policy_file_names_every_problem_by_line)
{
	static const char text[] =
	    "# policy\n"
	    "[rule.dormant]\n"
	    "days = 0\n"
	    "severity = loud\n"
	    "[rule.nosuch]\n"
	    "enabled = false\n"
	    "[rule.sod]\n"
	    "days = 3\n"
	    "[sod]\n"
	    "one-sided = ModifyAllData\n"
	    "ok = A + B\n"
	    "ok = C + D\n"
	    "junk line\n"
	    "[rule.leaver]\n"
	    "enabled = maybe\n"
	    "[rule.dormant] days = 3\n";
	static const long lines[] = {3, 4, 5, 8, 10, 12, 13, 15, 16};
	sfa_policy *p = NULL;
	sfa_problems probs = {0};
	sfa_err err = {0};
	size_t i;

	ck_assert_int_eq(sfa_policy_parse(&p, text, strlen(text), "p.ini",
					  &probs, &err),
			 SFA_EINPUT);
	ck_assert_ptr_null(p);
	ck_assert_uint_eq(probs.n, NREC(lines));
	for (i = 0; i < probs.n; i++)
		ck_assert_int_eq(probs.v[i].line, lines[i]);
	ck_assert_str_eq(probs.v[0].msg,
			 "days = `0`: expected a whole number of days from 1 "
			 "to 36500");
	ck_assert_str_eq(err.where, "p.ini:3");
	sfa_problems_free(&probs);
}
END_TEST

START_TEST(test_policy_file_tunes_rules_and_keeps_the_defaults_elsewhere)
{
	/* Comments as in the configuration file: after a header, after a
	 * value, never glued to it. */
	sfa_policy *p = policy_of("[rule.dormant]  # two months\n"
				  "days = 60 ; not 90\nseverity = HIGH\n"
				  "[rule.sod]\nenabled = false\n"
				  "[sod]\nfin = ModifyAllData + Payments #x\n");
	const char *name, *a, *b;

	ck_assert_int_eq(sfa_policy_days(p, SFA_RULE_DORMANT), 60);
	ck_assert_int_eq(sfa_policy_severity(p, SFA_RULE_DORMANT),
			 SFA_SEV_HIGH);
	ck_assert_int_eq(sfa_policy_enabled(p, SFA_RULE_SOD), 0);
	ck_assert_int_eq(sfa_policy_days(p, SFA_RULE_DORMANT_PRIVILEGED), 90);
	ck_assert_int_eq(sfa_policy_severity(p, SFA_RULE_INACTIVE_WITH_ACCESS),
			 SFA_SEV_LOW);
	ck_assert_uint_eq(sfa_policy_sod_count(p), 1);
	sfa_policy_sod_get(p, 0, &name, &a, &b);
	ck_assert_str_eq(name, "fin");
	ck_assert_str_eq(a, "ModifyAllData");
	ck_assert_str_eq(b, "Payments");
	sfa_policy_free(p);
}
END_TEST

START_TEST(test_hr_file_names_every_problem_by_line)
{
	static const char text[] = "email,status,termination_date,shoe_size\n"
				   "a@x.test,terminated,2026-02-30\n"
				   ",terminated,2026-01-01\n"
				   "b@x.test,retired,\n"
				   "c@x.test,terminated,\n"
				   "d@x.test,active,\n";
	static const long lines[] = {1, 2, 3, 4, 5};
	sfa_hr *hr = NULL;
	sfa_problems probs = {0};
	sfa_err err = {0};
	size_t i;

	ck_assert_int_eq(
	    sfa_hr_parse(&hr, text, strlen(text), "hr.csv", &probs, &err),
	    SFA_EINPUT);
	ck_assert_ptr_null(hr);
	ck_assert_uint_eq(probs.n, NREC(lines));
	for (i = 0; i < probs.n; i++)
		ck_assert_int_eq(probs.v[i].line, lines[i]);
	ck_assert_str_eq(probs.v[1].msg,
			 "termination_date `2026-02-30`: expected YYYY-MM-DD");
	sfa_problems_free(&probs);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc,
		       test_dormant_includes_exactly_days_and_never_and_skips_frozen);
	tcase_add_test(tc, test_a_login_in_the_history_makes_a_user_not_dormant);
	tcase_add_test(tc,
		       test_dormant_privileged_names_the_worst_permission_and_its_way);
	tcase_add_test(tc, test_sod_pair_met_through_a_group_and_a_profile);
	tcase_add_test(
	    tc, test_sod_with_a_permission_side_and_an_unknown_side_is_refused);
	tcase_add_test(tc, test_external_user_with_view_all_data_is_a_finding);
	tcase_add_test(tc, test_mfa_waiver_with_a_tier_0_permission);
	tcase_add_test(tc, test_permission_rules_read_the_engine);
	tcase_add_test(
	    tc, test_a_snapshot_without_permissions_names_the_rules_needing_them);
	tcase_add_test(tc, test_expired_assignment_before_the_check_time_only);
	tcase_add_test(
	    tc,
	    test_inactive_with_access_beyond_the_profile_and_the_organization_group);
	tcase_add_test(
	    tc,
	    test_leavers_by_federation_id_username_email_frozen_and_ambiguous);
	tcase_add_test(tc,
		       test_unused_connected_app_is_reachable_with_no_token_used_in_days);
	tcase_add_test(tc, test_policy_file_names_every_problem_by_line);
	tcase_add_test(
	    tc, test_policy_file_tunes_rules_and_keeps_the_defaults_elsewhere);
	tcase_add_test(tc, test_hr_file_names_every_problem_by_line);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
