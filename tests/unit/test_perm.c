/*
 * test_perm.c - the permission engine's rules (lib/access/PERMISSIONS.md), on
 * one small org whose every answer is worked out by hand below.
 *
 * The org:
 *   profile 00eA "Admin"     owns 0PSpa: ModifyAllData; Account read
 *   profile 00eB "Standard"  owns 0PSpb: ApiEnabled; Account read,
 *                            Contact read; Account.Phone read,
 *                            Opportunity.Amount read
 *   0PSd1 (direct): AuthorApex; Account read/create/edit;
 *                   Opportunity.Amount read+edit, Opportunity.Secret__c read
 *   0PSd2 (direct): ViewAllData
 *   group 0PGg1 = 0PSc1 + 0PSc2, muted by 0QMm1 (ViewAllData, and
 *                 Opportunity viewallfields)
 *   group 0PGg2 = 0PSc1 + 0PSc3, no muting
 *   0PSc1: ViewAllData, ApiEnabled; Opportunity read + viewallfields
 *   0PSc2: ViewAllData
 *   0PSc3: ViewAllData
 *   aggregates 0PSag1 (of g1: ApiEnabled, ViewAllData) and 0PSag2 (of g2:
 *   ViewAllData)
 *   users: u1 Admin; u2 Standard + 0PSd1; u3 Standard + 0PSd2 + g1;
 *          u4 Standard + g1 + g2
 */
#include "store_fixture.h"

#include "perm.h"

#define OP(id, parent, obj, r, c, e, d, va, ma, vaf)                           \
	{                                                                      \
		SFA_OBJ_OBJECT_PERMS,                                          \
		{                                                              \
			id, parent, obj, r, c, e, d, va, ma, vaf               \
		}                                                              \
	}
#define FP(id, parent, field, r, e)                                            \
	{                                                                      \
		SFA_OBJ_FIELD_PERMS,                                           \
		{                                                              \
			id, parent, "Opportunity", field, r, e                 \
		}                                                              \
	}

static const struct rec org[] = {
    PROFILE("00eA", "Admin"),
    PROFILE("00eB", "Standard"),
    USER("005u1", T, "Standard", "00eA", NULL),
    USER("005u2", T, "Standard", "00eB", NULL),
    USER("005u3", F, "Standard", "00eB", NULL),
    USER("005u4", T, "Standard", "00eB", NULL),
    PS("0PSpa", T, "00eA", NULL),
    PS("0PSpb", T, "00eB", NULL),
    PS("0PSd1", F, NULL, NULL),
    PS("0PSd2", F, NULL, NULL),
    PS("0PSc1", F, NULL, NULL),
    PS("0PSc2", F, NULL, NULL),
    PS("0PSc3", F, NULL, NULL),
    PS("0PSag1", F, NULL, "0PGg1"),
    PS("0PSag2", F, NULL, "0PGg2"),
    PSG("0PGg1"),
    PSG("0PGg2"),
    PSGC("0PCa", "0PGg1", "0PSc1"),
    PSGC("0PCb", "0PGg1", "0PSc2"),
    PSGC("0PCc", "0PGg1", "0QMm1"),
    PSGC("0PCd", "0PGg2", "0PSc3"),
    PSGC("0PCe", "0PGg2", "0PSc1"),
    PSA("0Pa1", "005u2", "0PSd1", NULL, NULL, NULL),
    PSA("0Pa2", "005u3", "0PSd2", NULL, NULL, NULL),
    PSA("0Pa3", "005u3", "0PSag1", "0PGg1", NULL, NULL),
    PSA("0Pa4", "005u4", "0PSag1", "0PGg1", NULL, NULL),
    PSA("0Pa5", "005u4", "0PSag2", "0PGg2", NULL, NULL),
    OP("110a", "0PSpa", "Account", T, F, F, F, F, F, F),
    OP("110b", "0PSpb", "Account", T, F, F, F, F, F, F),
    OP("110c", "0PSpb", "Contact", T, F, F, F, F, F, F),
    OP("110d", "0PSd1", "Account", T, T, T, F, F, F, F),
    OP("110e", "0PSc1", "Opportunity", T, F, F, F, F, F, T),
    OP("110f", "0QMm1", "Opportunity", F, F, F, F, F, F, T),
    {SFA_OBJ_FIELD_PERMS,
     {"01ka", "0PSpb", "Account", "Account.Phone", T, F}},
    FP("01kb", "0PSpb", "Opportunity.Amount", T, F),
    FP("01kc", "0PSd1", "Opportunity.Amount", T, T),
    FP("01kd", "0PSd1", "Opportunity.Secret__c", T, F),
};

enum { P_MAD, P_VAD, P_APEX, P_API, P_USERS };
static const char *const names[][2] = {
    {"ModifyAllData", "Modify All Data"},
    {"ViewAllData", "View All Data"},
    {"AuthorApex", "Author Apex"},
    {"ApiEnabled", "API Enabled"},
    {"ManageUsers", "Manage Users"},
};

static void perms(sfa_store *st, sfa_obj obj, const char *id, int a, int b)
{
	sfa_err err = {0};
	int p[2] = {a, b};

	ck_assert_msg(sfa_store_put_perms(st, obj, id, p, b < 0 ? 1 : 2,
					  &err) == 0,
		      "%s", err.msg);
}

static long long snapshot(sfa_store *st)
{
	const sfa_obj S = SFA_OBJ_PERMISSION_SET_PERMS;
	sfa_err err = {0};
	long long id = 0;
	size_t i;

	ck_assert(sfa_store_begin_snapshot(st, "00Dorg", "64.0", "{}", &id,
					   &err) == 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert(sfa_store_put_perm_name(st, (int)i, names[i][0],
						  names[i][1], &err) == 0);
	fx_put(st, org, NREC(org));
	perms(st, S, "0PSpa", P_MAD, -1);
	perms(st, S, "0PSpb", P_API, -1);
	perms(st, S, "0PSd1", P_APEX, -1);
	perms(st, S, "0PSd2", P_VAD, -1);
	perms(st, S, "0PSc1", P_VAD, P_API);
	perms(st, S, "0PSc2", P_VAD, -1);
	perms(st, S, "0PSc3", P_VAD, -1);
	perms(st, S, "0PSag1", P_API, P_VAD);
	perms(st, S, "0PSag2", P_VAD, -1);
	perms(st, SFA_OBJ_MUTING_PERMS, "0QMm1", P_VAD, -1);
	ck_assert_msg(sfa_snapshot_finish(st, NULL, 1, NULL, &err) == 0, "%s",
		      err.msg);
	return id;
}

/* Rows as "user permission via_type via_id granted_by implied_by tier". */
struct got {
	char *row[64];
	size_t n;
};

static int collect(void *ud, const sfa_perm_row *r)
{
	struct got *g = ud;
	char line[512];

	ck_assert_uint_lt(g->n, 64);
	snprintf(line, sizeof(line), "%s %s %s %s %s %s %d",
		 r->username, r->permission, r->via_type, r->via_id,
		 r->granted_by[0] ? r->granted_by : "-",
		 r->implied_by[0] ? r->implied_by : "-", r->tier);
	g->row[g->n++] = strdup(line);
	return 0;
}

static void got_free(struct got *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->row[i]);
	g->n = 0;
}

typedef struct env {
	char path[64];
	sfa_store *st;
	sfa_priv *pv;
	sfa_perm *p;
} env;

static void env_open(env *e)
{
	sfa_err err = {0};
	long long id;

	e->st = fx_open(e->path);
	id = snapshot(e->st);
	ck_assert(sfa_priv_new(&e->pv, &err) == 0);
	ck_assert_msg(sfa_perm_open(&e->p, e->st, id, e->pv, &err) == 0, "%s",
		      err.msg);
}

static void env_close(env *e)
{
	sfa_perm_free(e->p);
	sfa_priv_free(e->pv);
	fx_close(e->st, e->path);
}

/* Checks who-can `what` against want[] (in output order). */
static void expect_who(env *e, const char *what, const char *const *want,
		       size_t n)
{
	struct got g = {{0}, 0};
	sfa_err err = {0};
	size_t i;

	ck_assert_msg(sfa_perm_who_can(e->p, what, collect, &g, &err) == 0,
		      "%s: %s", what, err.msg);
	for (i = 0; i < g.n && i < n; i++)
		ck_assert_msg(!strcmp(g.row[i], want[i]),
			      "%s row %zu: got `%s`, want `%s`", what, i,
			      g.row[i], want[i]);
	ck_assert_msg(g.n == n, "%s: %zu rows, want %zu", what, g.n, n);
	got_free(&g);
}

#define EXPECT_WHO(e, what, ...)                                               \
	do {                                                                   \
		static const char *const want_[] = {__VA_ARGS__};              \
		expect_who(e, what, want_, NREC(want_));                       \
	} while (0)

START_TEST(test_muting_acts_inside_its_group_only)
{
	env e;

	env_open(&e);
	/* u3: ViewAllData from 0PSd2 directly; in g1 both components that
	 * grant it are muted by 0QMm1.  u4: g1 muted again, but g2 grants
	 * it through 0PSc1 and 0PSc3, and names the lower Id, 0PSc1. */
	EXPECT_WHO(&e, "ViewAllData",
		   "005u3@x.test ViewAllData permission_set 0PSd2 - - 2",
		   "005u4@x.test ViewAllData permission_set_group 0PGg2 0PSc1 "
		   "- 2");
	env_close(&e);
}
END_TEST

START_TEST(test_two_groups_share_a_component_and_one_mutes)
{
	env e;

	env_open(&e);
	/* 0PSc1's ApiEnabled is not muted in g1 (0QMm1 mutes only
	 * ViewAllData), so both groups grant it; u2-u4 also have it from
	 * the Standard profile.  Tier 3. */
	EXPECT_WHO(&e, "apienabled",
		   "005u2@x.test ApiEnabled profile 00eB - - 3",
		   "005u3@x.test ApiEnabled permission_set_group 0PGg1 0PSc1 "
		   "- 3",
		   "005u3@x.test ApiEnabled profile 00eB - - 3",
		   "005u4@x.test ApiEnabled permission_set_group 0PGg1 0PSc1 "
		   "- 3",
		   "005u4@x.test ApiEnabled permission_set_group 0PGg2 0PSc1 "
		   "- 3",
		   "005u4@x.test ApiEnabled profile 00eB - - 3");
	/* Opportunity viewallfields: 0PSc1 has it, muted in g1 only; the
	 * admin's ModifyAllData implies it. */
	EXPECT_WHO(&e, "Opportunity:viewallfields",
		   "005u1@x.test Opportunity:viewallfields profile 00eA - "
		   "ModifyAllData -1",
		   "005u4@x.test Opportunity:viewallfields "
		   "permission_set_group 0PGg2 0PSc1 - -1");
	env_close(&e);
}
END_TEST

START_TEST(test_modify_all_data_implies_every_object_action)
{
	env e;

	env_open(&e);
	/* Only the Admin profile has ModifyAllData, by the prefixed name,
	 * the label and the bare name alike. */
	EXPECT_WHO(&e, "PermissionsModifyAllData",
		   "005u1@x.test ModifyAllData profile 00eA - - 0");
	EXPECT_WHO(&e, "modify all data",
		   "005u1@x.test ModifyAllData profile 00eA - - 0");
	/* Account:edit: u1 by implication, u2 by 0PSd1's own row. */
	EXPECT_WHO(&e, "account:EDIT",
		   "005u1@x.test Account:edit profile 00eA - ModifyAllData -1",
		   "005u2@x.test Account:edit permission_set 0PSd1 - - -1");
	/* Every object of the catalogue (Account, Contact, Opportunity),
	 * even one the admin profile has no row for; modifyall is tier 2. */
	EXPECT_WHO(&e, "Contact:modifyall",
		   "005u1@x.test Contact:modifyall profile 00eA - "
		   "ModifyAllData 2");
	env_close(&e);
}
END_TEST

START_TEST(test_view_all_data_implies_read_and_viewall_and_explicit_wins)
{
	env e;

	env_open(&e);
	/* Account:read: u1's profile has its own row, which beats the
	 * ModifyAllData implication (one row, implied_by empty); u3's
	 * 0PSd2 and u4's g2 (through 0PSc1) have ViewAllData. */
	EXPECT_WHO(&e, "Account:read",
		   "005u1@x.test Account:read profile 00eA - - -1",
		   "005u2@x.test Account:read permission_set 0PSd1 - - -1",
		   "005u2@x.test Account:read profile 00eB - - -1",
		   "005u3@x.test Account:read permission_set 0PSd2 - "
		   "ViewAllData -1",
		   "005u3@x.test Account:read profile 00eB - - -1",
		   "005u4@x.test Account:read permission_set_group 0PGg2 "
		   "0PSc1 ViewAllData -1",
		   "005u4@x.test Account:read profile 00eB - - -1");
	/* ViewAllData implies read and viewall, never edit. */
	EXPECT_WHO(&e, "Contact:viewall",
		   "005u1@x.test Contact:viewall profile 00eA - ModifyAllData "
		   "2",
		   "005u3@x.test Contact:viewall permission_set 0PSd2 - "
		   "ViewAllData 2",
		   "005u4@x.test Contact:viewall permission_set_group 0PGg2 "
		   "0PSc1 ViewAllData 2");
	EXPECT_WHO(&e, "Contact:edit",
		   "005u1@x.test Contact:edit profile 00eA - ModifyAllData -1");
	env_close(&e);
}
END_TEST

START_TEST(test_viewallfields_grants_read_on_every_synced_field)
{
	env e;

	env_open(&e);
	/* Opportunity.Amount:read: the Standard profile and 0PSd1 have
	 * rows; g2 grants viewallfields (0PSc1) so every Opportunity field
	 * is readable through it; in g1 that is muted.  The admin's
	 * ModifyAllData implies viewallfields, and so field reads. */
	EXPECT_WHO(&e, "Opportunity.Amount:read",
		   "005u1@x.test Opportunity.Amount:read profile 00eA - "
		   "Opportunity:viewallfields -1",
		   "005u2@x.test Opportunity.Amount:read permission_set 0PSd1 "
		   "- - -1",
		   "005u2@x.test Opportunity.Amount:read profile 00eB - - -1",
		   "005u3@x.test Opportunity.Amount:read profile 00eB - - -1",
		   "005u4@x.test Opportunity.Amount:read permission_set_group "
		   "0PGg2 0PSc1 Opportunity:viewallfields -1",
		   "005u4@x.test Opportunity.Amount:read profile 00eB - - -1");
	EXPECT_WHO(&e, "opportunity.secret__c:read",
		   "005u1@x.test Opportunity.Secret__c:read profile 00eA - "
		   "Opportunity:viewallfields -1",
		   "005u2@x.test Opportunity.Secret__c:read permission_set "
		   "0PSd1 - - -1",
		   "005u4@x.test Opportunity.Secret__c:read "
		   "permission_set_group 0PGg2 0PSc1 "
		   "Opportunity:viewallfields -1");
	/* viewallfields gives read, not edit. */
	EXPECT_WHO(&e, "Opportunity.Amount:edit",
		   "005u2@x.test Opportunity.Amount:edit permission_set 0PSd1 "
		   "- - -1");
	env_close(&e);
}
END_TEST

START_TEST(test_viewallfields_exists_only_where_synced)
{
	/* An org whose describe lacks PermissionsViewAllFields (NULL on
	 * every ObjectPermissions row): ModifyAllData implies the six record
	 * actions on Account, no viewallfields and so no field reads;
	 * Account.Phone (0PSx's row, held by nobody) is read by nobody. */
	static const struct rec plain[] = {
	    PROFILE("00eA", "Admin"),
	    USER("005u1", T, "Standard", "00eA", NULL),
	    PS("0PSpa", T, "00eA", NULL),
	    PS("0PSx", F, NULL, NULL),
	    OP("110a", "0PSpa", "Account", T, F, F, F, F, F, NULL),
	    {SFA_OBJ_FIELD_PERMS,
	     {"01ka", "0PSx", "Account", "Account.Phone", T, F}},
	};
	static const char *const want[] = {
	    "005u1@x.test Account:create profile 00eA - ModifyAllData -1",
	    "005u1@x.test Account:delete profile 00eA - ModifyAllData -1",
	    "005u1@x.test Account:edit profile 00eA - ModifyAllData -1",
	    "005u1@x.test Account:modifyall profile 00eA - ModifyAllData 2",
	    "005u1@x.test Account:read profile 00eA - - -1",
	    "005u1@x.test Account:viewall profile 00eA - ModifyAllData 2",
	    "005u1@x.test ModifyAllData profile 00eA - - 0",
	};
	char path[64];
	sfa_store *st = fx_open(path);
	sfa_priv *pv = NULL;
	sfa_perm *p = NULL;
	struct got g = {{0}, 0};
	sfa_err err = {0};
	long long id = 0;
	size_t i;

	ck_assert(sfa_store_begin_snapshot(st, "00Dorg", "64.0", "{}", &id,
					   &err) == 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert(sfa_store_put_perm_name(st, (int)i, names[i][0],
						  names[i][1], &err) == 0);
	fx_put(st, plain, NREC(plain));
	perms(st, SFA_OBJ_PERMISSION_SET_PERMS, "0PSpa", P_MAD, -1);
	ck_assert_msg(sfa_snapshot_finish(st, NULL, 1, NULL, &err) == 0, "%s",
		      err.msg);
	ck_assert(sfa_priv_new(&pv, &err) == 0);
	ck_assert(sfa_perm_open(&p, st, id, pv, &err) == 0);
	ck_assert_int_eq(
	    sfa_perm_who_can(p, "Account:viewallfields", collect, &g, &err),
	    SFA_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "PermissionsViewAllFields"), "%s",
		      err.msg);
	ck_assert_int_eq(
	    sfa_perm_who_can(p, "Account.Phone:read", collect, &g, &err), 0);
	ck_assert_uint_eq(g.n, 0);
	ck_assert_msg(
	    sfa_perm_of_user(p, "005u1@x.test", NULL, collect, &g, &err) == 0,
	    "%s", err.msg);
	for (i = 0; i < g.n && i < NREC(want); i++)
		ck_assert_msg(!strcmp(g.row[i], want[i]),
			      "row %zu: got `%s`, want `%s`", i, g.row[i],
			      want[i]);
	ck_assert_uint_eq(g.n, NREC(want));
	got_free(&g);
	sfa_perm_free(p);
	sfa_priv_free(pv);
	fx_close(st, path);
}
END_TEST

START_TEST(test_unknown_names_suggest_and_unheld_names_are_empty)
{
	env e;
	struct got g = {{0}, 0};
	sfa_err err = {0};

	env_open(&e);
	ck_assert_int_eq(sfa_perm_who_can(e.p, "ModifyAllDat", collect, &g,
					  &err),
			 SFA_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "did you mean ModifyAllData"), "%s",
		      err.msg);
	ck_assert_int_eq(sfa_perm_who_can(e.p, "Acount:read", collect, &g,
					  &err),
			 SFA_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "Account:read"), "%s", err.msg);
	ck_assert_int_eq(sfa_perm_who_can(e.p, "Account:raed", collect, &g,
					  &err),
			 SFA_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "read"), "%s", err.msg);
	ck_assert_int_eq(sfa_perm_who_can(e.p, "Opportunity.Amout:read",
					  collect, &g, &err),
			 SFA_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "Opportunity.Amount:read"), "%s",
		      err.msg);
	ck_assert_uint_eq(g.n, 0);
	/* Known, held by nobody: no rows, no error. */
	ck_assert_int_eq(sfa_perm_who_can(e.p, "ManageUsers", collect, &g,
					  &err),
			 0);
	ck_assert_uint_eq(g.n, 0);
	env_close(&e);
}
END_TEST

START_TEST(test_permissions_of_one_user_with_every_path)
{
	env e;
	struct got g = {{0}, 0};
	sfa_err err = {0};
	static const char *const want[] = {
	    "005u3@x.test Account.Phone:read profile 00eB - - -1",
	    "005u3@x.test Account:read permission_set 0PSd2 - ViewAllData -1",
	    "005u3@x.test Account:read profile 00eB - - -1",
	    "005u3@x.test Account:viewall permission_set 0PSd2 - ViewAllData 2",
	    "005u3@x.test ApiEnabled permission_set_group 0PGg1 0PSc1 - 3",
	    "005u3@x.test ApiEnabled profile 00eB - - 3",
	    "005u3@x.test Contact:read permission_set 0PSd2 - ViewAllData -1",
	    "005u3@x.test Contact:read profile 00eB - - -1",
	    "005u3@x.test Contact:viewall permission_set 0PSd2 - ViewAllData 2",
	    "005u3@x.test Opportunity.Amount:read profile 00eB - - -1",
	    "005u3@x.test Opportunity:read permission_set 0PSd2 - ViewAllData "
	    "-1",
	    "005u3@x.test Opportunity:read permission_set_group 0PGg1 0PSc1 - "
	    "-1",
	    "005u3@x.test Opportunity:viewall permission_set 0PSd2 - "
	    "ViewAllData 2",
	    "005u3@x.test ViewAllData permission_set 0PSd2 - - 2",
	};
	size_t i;

	env_open(&e);
	/* u3 is inactive but kept: it has permissions like anyone else. */
	ck_assert_msg(sfa_perm_of_user(e.p, "005u3@x.test", NULL, collect, &g,
				       &err) == 0,
		      "%s", err.msg);
	for (i = 0; i < g.n && i < NREC(want); i++)
		ck_assert_msg(!strcmp(g.row[i], want[i]),
			      "row %zu: got `%s`, want `%s`", i, g.row[i],
			      want[i]);
	ck_assert_uint_eq(g.n, NREC(want));
	got_free(&g);
	/* By Id, narrowed to one object (system rows stay). */
	ck_assert_msg(sfa_perm_of_user(e.p, "005u3", "contact", collect, &g,
				       &err) == 0,
		      "%s", err.msg);
	ck_assert_uint_eq(g.n, 6);
	ck_assert_str_eq(g.row[0], want[4]);
	ck_assert_str_eq(g.row[2], want[6]);
	got_free(&g);
	ck_assert_int_eq(sfa_perm_of_user(e.p, "nobody@x.test", NULL, collect,
					  &g, &err),
			 SFA_ENOTFOUND);
	env_close(&e);
}
END_TEST

START_TEST(test_privileged_report_and_configured_tiers)
{
	env e;
	struct got g = {{0}, 0};
	sfa_err err = {0};

	env_open(&e);
	/* Privileged: ModifyAllData (0), ViewAllData (2), AuthorApex (0),
	 * ApiEnabled (3), and viewall/modifyall of each object (2). */
	ck_assert_msg(sfa_perm_each(e.p, 0, "Account", collect, &g, &err) == 0,
		      "%s", err.msg);
	ck_assert_str_eq(g.row[0],
			 "005u1@x.test Account:modifyall profile 00eA - "
			 "ModifyAllData 2");
	ck_assert_str_eq(g.row[1], "005u1@x.test Account:viewall profile 00eA "
				   "- ModifyAllData 2");
	ck_assert_str_eq(g.row[2],
			 "005u1@x.test ModifyAllData profile 00eA - - 0");
	ck_assert_str_eq(g.row[3], "005u2@x.test ApiEnabled profile 00eB - - 3");
	ck_assert_str_eq(g.row[4],
			 "005u2@x.test AuthorApex permission_set 0PSd1 - - 0");
	got_free(&g);
	/* [privileged]: ApiEnabled ignored, ManageUsers moved, AuthorApex
	 * to tier 1; a bad item changes nothing. */
	ck_assert_int_eq(sfa_priv_configure(e.pv, "AuthorApex:1, Foo",
					    NULL, &err),
			 SFA_EINPUT);
	ck_assert_int_eq(sfa_priv_system_tier(e.pv, "AuthorApex"), 0);
	ck_assert_int_eq(sfa_priv_configure(e.pv, "PermissionsAuthorApex:1",
					    "ApiEnabled, modifyall", &err),
			 0);
	ck_assert_int_eq(sfa_priv_system_tier(e.pv, "AuthorApex"), 1);
	ck_assert_int_eq(sfa_priv_system_tier(e.pv, "apienabled"), -1);
	ck_assert_int_eq(sfa_priv_object_tier(e.pv, "modifyall"), -1);
	ck_assert_int_eq(sfa_priv_object_tier(e.pv, "viewall"), 2);
	env_close(&e);
}
END_TEST

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows of tier lo..hi of `permissions USER`, for each user. */
static void privileged_one_by_one(env *e, const char *const *users, size_t n,
				  int lo, int hi, struct got *want)
{
	struct got g = {{0}, 0};
	sfa_err err = {0};
	size_t i, j;

	for (i = 0; i < n; i++) {
		ck_assert_msg(sfa_perm_of_user(e->p, users[i], NULL, collect,
					       &g, &err) == 0,
			      "%s", err.msg);
		for (j = 0; j < g.n; j++) {
			int tier = atoi(strrchr(g.row[j], ' ') + 1);

			if (tier >= lo && tier <= hi)
				want->row[want->n++] = g.row[j];
			else
				free(g.row[j]);
		}
		g.n = 0;
	}
	qsort(want->row, want->n, sizeof(char *), str_cmp);
}

START_TEST(test_privileged_rows_of_many_users_match_each_user_alone)
{
	static const char *const users[] = {"005u1", "005u2", "005u3",
					    "005u4", "005nobody"};
	static const int ranges[][2] = {{0, 4}, {2, 2}, {0, 1}, {3, 4}};
	env e;
	sfa_err err = {0};
	size_t r, i;

	env_open(&e);
	for (r = 0; r < NREC(ranges); r++) {
		struct got want = {{0}, 0}, got = {{0}, 0};

		privileged_one_by_one(&e, users, 4, ranges[r][0],
				      ranges[r][1], &want);
		ck_assert_msg(sfa_perm_each_privileged_of(
				  e.p, ranges[r][0], ranges[r][1], users,
				  NREC(users), collect, &got, &err) == 0,
			      "%s", err.msg);
		qsort(got.row, got.n, sizeof(char *), str_cmp);
		for (i = 0; i < got.n && i < want.n; i++)
			ck_assert_msg(!strcmp(got.row[i], want.row[i]),
				      "tiers %d-%d row %zu: got `%s`, want `%s`",
				      ranges[r][0], ranges[r][1], i,
				      got.row[i], want.row[i]);
		ck_assert_uint_eq(got.n, want.n);
		ck_assert_uint_gt(want.n, 0);
		got_free(&got);
		got_free(&want);
	}
	/* Nobody asked: nothing, and no error. */
	{
		struct got none = {{0}, 0};

		ck_assert(sfa_perm_each_privileged_of(e.p, 0, 4, users + 4, 1,
						      collect, &none,
						      &err) == 0);
		ck_assert_uint_eq(none.n, 0);
	}
	env_close(&e);
}
END_TEST

static int on_disagree(void *ud, const sfa_perm_disagreement *d)
{
	struct got *g = ud;
	char line[256];

	snprintf(line, sizeof(line), "%s %s %s", d->group_id, d->permission,
		 d->extra ? "extra" : "missing");
	g->row[g->n++] = strdup(line);
	return 0;
}

START_TEST(test_group_aggregates_are_checked_against_the_components)
{
	env e;
	struct got g = {{0}, 0};
	sfa_err err = {0};

	env_open(&e);
	/* g1's aggregate keeps the muted ViewAllData; g2's lacks 0PSc1's
	 * ApiEnabled. */
	ck_assert_msg(sfa_perm_check_aggregates(e.p, on_disagree, &g, &err) ==
			  0,
		      "%s", err.msg);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_str_eq(g.row[0], "0PGg1 ViewAllData extra");
	ck_assert_str_eq(g.row[1], "0PGg2 ApiEnabled missing");
	got_free(&g);
	env_close(&e);
}
END_TEST

static int review_row(void *ud, const sfa_access_row *r)
{
	struct got *g = ud;
	char line[512];

	if (r->tier < 0)
		return 0;
	ck_assert_uint_lt(g->n, 64);
	snprintf(line, sizeof(line), "%s %s %s %s %s %s %s %d", r->user_id,
		 r->access_type, r->access_id, r->access_name, r->via_type,
		 r->via_id, r->granted_by ? r->granted_by : "-", r->tier);
	g->row[g->n++] = strdup(line);
	return 0;
}

START_TEST(test_the_access_review_holds_a_row_per_privileged_path)
{
	env e;
	struct got g = {{0}, 0};
	sfa_access_filter f = {"005u4@x.test", NULL, 0, 0};
	sfa_err err = {0};
	/* u4: ApiEnabled (3) from g1, g2 and the profile; ViewAllData (2)
	 * from g2 only (muted in g1), and what it implies: View All on
	 * each object.  In the review order: access_type, access_name,
	 * via_type, via_name. */
	static const char *const want[] = {
	    "005u4 object_permission Account:viewall View All (Account) "
	    "permission_set_group 0PGg2 0PSc1 2",
	    "005u4 object_permission Contact:viewall View All (Contact) "
	    "permission_set_group 0PGg2 0PSc1 2",
	    "005u4 object_permission Opportunity:viewall View All "
	    "(Opportunity) permission_set_group 0PGg2 0PSc1 2",
	    "005u4 system_permission ApiEnabled API Enabled "
	    "permission_set_group 0PGg1 0PSc1 3",
	    "005u4 system_permission ApiEnabled API Enabled "
	    "permission_set_group 0PGg2 0PSc1 3",
	    "005u4 system_permission ApiEnabled API Enabled profile 00eB - 3",
	    "005u4 system_permission ViewAllData View All Data "
	    "permission_set_group 0PGg2 0PSc1 2",
	};
	size_t i;

	env_open(&e);
	ck_assert_msg(sfa_store_each_access(e.st, 1, &f, review_row, &g,
					    &err) == 0,
		      "%s", err.msg);
	for (i = 0; i < g.n && i < NREC(want); i++)
		ck_assert_msg(!strcmp(g.row[i], want[i]),
			      "row %zu: got `%s`, want `%s`", i, g.row[i],
			      want[i]);
	ck_assert_uint_eq(g.n, NREC(want));
	got_free(&g);
	env_close(&e);
}
END_TEST

START_TEST(test_a_snapshot_without_permissions_knows_no_names)
{
	static const struct rec plain[] = {
	    PROFILE("00eB", "Standard"),
	    USER("005u2", T, "Standard", "00eB", NULL),
	};
	static const char *const rows[] = {"005u2 profile 00eB direct -"};
	char path[64];
	sfa_store *st = fx_open(path);
	long long id = fx_snapshot(st, plain, NREC(plain));
	sfa_priv *pv = NULL;
	sfa_perm *p = NULL;
	struct got g = {{0}, 0};
	sfa_err err = {0};

	/* Taken with --no-sync-permissions: the access rows as before, and
	 * no permission is known. */
	fx_expect(st, id, rows, NREC(rows));
	ck_assert(sfa_priv_new(&pv, &err) == 0);
	ck_assert(sfa_perm_open(&p, st, id, pv, &err) == 0);
	ck_assert(!sfa_perm_synced(p));
	ck_assert_int_eq(sfa_perm_who_can(p, "ModifyAllData", collect, &g,
					  &err),
			 SFA_ENOTFOUND);
	sfa_perm_free(p);
	ck_assert_int_eq(sfa_perm_open(&p, st, id + 1, pv, &err),
			 SFA_ENOTFOUND);
	sfa_priv_free(pv);
	fx_close(st, path);
}
END_TEST

/* Every review row of the snapshot and every who-can row of `what`, as
 * one list, for comparing a store before and after a migration. */
static void everything(sfa_store *st, sfa_perm *p, const char *what,
		       struct got *g)
{
	sfa_err err = {0};

	ck_assert_msg(sfa_store_each_access(st, 1, NULL, review_row, g,
					    &err) == 0,
		      "%s", err.msg);
	ck_assert_msg(sfa_perm_who_can(p, what, collect, g, &err) == 0, "%s",
		      err.msg);
}

START_TEST(test_a_version_13_store_keeps_its_privileged_and_field_rows)
{
	env e;
	struct got before = {{0}, 0}, after = {{0}, 0};
	char hash[65], again[65];
	long long n_res = 0;
	sfa_store *st;
	sfa_perm *p;
	sfa_err err = {0};
	size_t i;

	env_open(&e);
	everything(e.st, e.p, "Opportunity.Amount:read", &before);
	ck_assert(sfa_store_content_hash(e.st, 1, hash, &n_res, &err) == 0);
	sfa_perm_free(e.p);
	/* Version 13 stored the privileged rows per user and field
	 * permissions by name; the migration turns them back into sources
	 * and numbered fields. */
	ck_assert_int_eq(
	    sqlite3_exec(
		e.st->db,
		"CREATE TABLE old_review AS SELECT * FROM perm_review;"
		"CREATE TABLE old_field AS SELECT * FROM perm_field;"
		"DROP VIEW perm_review; DROP TABLE perm_priv_source;"
		"DROP VIEW perm_field; DROP TABLE perm_field_row;"
		"DROP TABLE perm_field_name;"
		"DROP INDEX sf_ps_assignment_assignee;"
		"DROP INDEX perm_object_type;"
		"CREATE INDEX perm_object_type ON perm_object"
		" (snapshot_id, sobject_type COLLATE NOCASE);"
		"CREATE TABLE perm_field (snapshot_id INTEGER NOT NULL"
		" REFERENCES snapshot(id) ON DELETE CASCADE,"
		" parent_id INTEGER NOT NULL, field TEXT NOT NULL,"
		" p_read INTEGER, p_edit INTEGER, PRIMARY KEY (snapshot_id,"
		" parent_id, field)) WITHOUT ROWID;"
		"CREATE INDEX perm_field_field ON perm_field"
		" (snapshot_id, field COLLATE NOCASE);"
		"INSERT INTO perm_field SELECT * FROM old_field;"
		"CREATE TABLE perm_review (snapshot_id INTEGER NOT NULL"
		" REFERENCES snapshot(id) ON DELETE CASCADE,"
		" user_id INTEGER NOT NULL, access_type TEXT NOT NULL,"
		" access_id TEXT NOT NULL, access_name TEXT,"
		" via_type TEXT NOT NULL, via_id TEXT NOT NULL,"
		" granted_by TEXT, implied_by TEXT, tier INTEGER NOT NULL,"
		" PRIMARY KEY (snapshot_id, user_id, access_type, access_id,"
		" via_type, via_id)) WITHOUT ROWID;"
		"INSERT INTO perm_review SELECT * FROM old_review;"
		"DROP TABLE old_review; DROP TABLE old_field;"
		/* and what version 14 (campaign tokens) changed */
		"DROP TABLE campaign_token;"
		"CREATE INDEX campaign_row_token ON campaign_row"
		" (campaign_id, token);"
		"PRAGMA user_version = 13",
		NULL, NULL, NULL),
	    SQLITE_OK);
	ck_assert_int_gt(fx_count(e.st, "SELECT count(*) FROM perm_review"),
			 0);
	sfa_store_free(e.st);
	ck_assert_msg(sfa_store_open(&st, e.path, 0, &err) == 0, "%s",
		      err.msg);
	e.st = st;
	ck_assert_int_eq(fx_count(st, "PRAGMA user_version"), 15);
	ck_assert_msg(sfa_perm_open(&p, st, 1, e.pv, &err) == 0, "%s",
		      err.msg);
	e.p = p;
	everything(st, p, "Opportunity.Amount:read", &after);
	ck_assert(sfa_store_content_hash(st, 1, again, &n_res, &err) == 0);
	ck_assert_str_eq(again, hash);
	ck_assert_uint_gt(before.n, 8);
	for (i = 0; i < before.n && i < after.n; i++)
		ck_assert_str_eq(after.row[i], before.row[i]);
	ck_assert_uint_eq(after.n, before.n);
	got_free(&before);
	got_free(&after);
	env_close(&e);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("perm");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_muting_acts_inside_its_group_only);
	tcase_add_test(tc, test_two_groups_share_a_component_and_one_mutes);
	tcase_add_test(tc, test_modify_all_data_implies_every_object_action);
	tcase_add_test(
	    tc, test_view_all_data_implies_read_and_viewall_and_explicit_wins);
	tcase_add_test(tc, test_viewallfields_grants_read_on_every_synced_field);
	tcase_add_test(tc, test_viewallfields_exists_only_where_synced);
	tcase_add_test(tc,
		       test_unknown_names_suggest_and_unheld_names_are_empty);
	tcase_add_test(tc, test_permissions_of_one_user_with_every_path);
	tcase_add_test(tc, test_privileged_report_and_configured_tiers);
	tcase_add_test(tc,
		       test_privileged_rows_of_many_users_match_each_user_alone);
	tcase_add_test(tc,
		       test_group_aggregates_are_checked_against_the_components);
	tcase_add_test(tc, test_a_snapshot_without_permissions_knows_no_names);
	tcase_add_test(
	    tc, test_a_version_13_store_keeps_its_privileged_and_field_rows);
	tcase_add_test(tc,
		       test_the_access_review_holds_a_row_per_privileged_path);
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
