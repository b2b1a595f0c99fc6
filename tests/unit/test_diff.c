/*
 * test_diff.c - the differ (added / removed access rows with their via,
 * changed user attributes with old and new values, resource changes, the
 * order, picking snapshots) and gc (what it keeps, what it deletes, and
 * that what it keeps reads back the same).
 */
#include "diff.h"
#include "store_fixture.h"
#include "store_gc.h"
#include "store_int.h"

/* A user whose Email, LastLoginDate and manager a test chooses. */
#define USERX(id, active, prof, email, login, mgr)                             \
	{                                                                      \
		SFA_OBJ_USER,                                                  \
		{                                                              \
			id, id "@x.test", "Name " id, NULL, "Last", email,     \
			    active, "Standard", prof, NULL, mgr, NULL, login,  \
			    "2026-01-01T00:00:00Z", NULL, "Salesforce", "SFDC" \
		}                                                              \
	}

struct out {
	char s[4096];
};

static int collect(void *ud, const sfa_diff_change *c)
{
	struct out *o = ud;
	const sfa_access_row *r = &c->row;
	size_t n = strlen(o->s);

	if (c->kind == SFA_DIFF_CHANGED)
		snprintf(o->s + n, sizeof(o->s) - n, "%s %s %s %s %s->%s|",
			 sfa_diff_kind_name(c->kind), NUL(r->username),
			 NUL(r->user_id), c->field, NUL(c->old_value),
			 NUL(c->new_value));
	else if (c->kind >= SFA_DIFF_RESOURCE_ADDED)
		snprintf(o->s + n, sizeof(o->s) - n, "%s %s %s %s s%lld|",
			 sfa_diff_kind_name(c->kind), r->access_type,
			 r->access_id, NUL(r->access_name), r->snapshot_id);
	else
		snprintf(o->s + n, sizeof(o->s) - n, "%s %s %s %s %s %s s%lld|",
			 sfa_diff_kind_name(c->kind), r->user_id,
			 r->access_type, r->access_id, r->via_type,
			 NUL(r->via_id), r->snapshot_id);
	return 0;
}

/* The changes from a to b as one string, and their total. */
static long long changes(sfa_store *st, long long a, long long b, struct out *o)
{
	sfa_diff *d = NULL;
	sfa_err err = {0};
	long long total;

	o->s[0] = '\0';
	ck_assert_msg(sfa_diff_open(&d, st, a, b, &err) == 0, "%s", err.msg);
	ck_assert_msg(sfa_diff_each(d, collect, o, &err) == 0, "%s", err.msg);
	total = sfa_diff_total(d);
	sfa_diff_free(d);
	return total;
}

START_TEST(test_added_and_removed_rows_keep_their_via_and_come_in_order)
{
	/* Between the snapshots: 005B's direct PS2 goes, 005A gets PS2
	 * directly, and the group G swaps component PS1 for PS3. */
	static const struct rec before[] = {
	    PROFILE("00eP", "Sales"),
	    USER("005A", T, "Standard", "00eP", NULL),
	    USER("005B", T, "Standard", "00eP", NULL),
	    PS("0PS1", F, NULL, NULL),
	    PS("0PS2", F, NULL, NULL),
	    PS("0PS3", F, NULL, NULL),
	    PSG("0PGg"),
	    PSGC("0PCa", "0PGg", "0PS1"),
	    PSA("0Pa1", "005A", NULL, "0PGg", NULL, "2026-01-01T00:00:00Z"),
	    PSA("0Pa2", "005B", "0PS2", NULL, NULL, "2026-01-02T00:00:00Z"),
	};
	static const struct rec after[] = {
	    PROFILE("00eP", "Sales"),
	    USER("005A", T, "Standard", "00eP", NULL),
	    USER("005B", T, "Standard", "00eP", NULL),
	    PS("0PS1", F, NULL, NULL),
	    PS("0PS2", F, NULL, NULL),
	    PS("0PS3", F, NULL, NULL),
	    PSG("0PGg"),
	    PSGC("0PCb", "0PGg", "0PS3"),
	    PSA("0Pa1", "005A", NULL, "0PGg", NULL, "2026-01-01T00:00:00Z"),
	    PSA("0Pa3", "005A", "0PS2", NULL, NULL, "2026-01-03T00:00:00Z"),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long a = fx_snapshot(st, before, NREC(before));
	long long b = fx_snapshot(st, after, NREC(after));
	struct out o;

	/* Label order within a user: "Label 0PS2" direct before "Label
	 * 0PS3" via the group; added before removed. */
	ck_assert_int_eq(changes(st, a, b, &o), 4);
	ck_assert_str_eq(
	    o.s, "added 005A permission_set 0PS2 direct - s2|"
		 "added 005A permission_set 0PS3 permission_set_group "
		 "0PGg s2|"
		 "removed 005A permission_set 0PS1 permission_set_group "
		 "0PGg s1|"
		 "removed 005B permission_set 0PS2 direct - s1|");
	fx_close(st, path);
}
END_TEST

START_TEST(test_user_digests_skip_unchanged_users_and_match_a_full_merge)
{
	/* 005A unchanged, 005B changed, 005C only before, 005D only after. */
	static const struct rec before[] = {
	    PROFILE("00eP", "Sales"),
	    USER("005A", T, "Standard", "00eP", NULL),
	    USER("005B", T, "Standard", "00eP", NULL),
	    USER("005C", T, "Standard", "00eP", NULL),
	    PS("0PS1", F, NULL, NULL),
	    PS("0PS2", F, NULL, NULL),
	    PSA("0Pa1", "005A", "0PS1", NULL, NULL, "2026-01-01T00:00:00Z"),
	    PSA("0Pa2", "005B", "0PS1", NULL, NULL, "2026-01-01T00:00:00Z"),
	};
	static const struct rec after[] = {
	    PROFILE("00eP", "Sales"),
	    USER("005A", T, "Standard", "00eP", NULL),
	    USER("005B", T, "Standard", "00eP", NULL),
	    USER("005D", T, "Standard", "00eP", NULL),
	    PS("0PS1", F, NULL, NULL),
	    PS("0PS2", F, NULL, NULL),
	    PSA("0Pa1", "005A", "0PS1", NULL, NULL, "2026-01-01T00:00:00Z"),
	    PSA("0Pa3", "005B", "0PS2", NULL, NULL, "2026-01-01T00:00:00Z"),
	};
	static const char want[] =
	    "added 005B permission_set 0PS2 direct - s2|"
	    "added 005D profile 00eP direct - s2|"
	    "removed 005B permission_set 0PS1 direct - s1|"
	    "removed 005C profile 00eP direct - s1|"
	    "resource_added user 005D Name 005D s2|"
	    "resource_removed user 005C Name 005C s1|";
	char path[64];
	sfa_store *st = fx_open(path);
	long long a = fx_snapshot(st, before, NREC(before));
	long long b = fx_snapshot(st, after, NREC(after));
	struct out o;

	/* Every user with access rows has a digest; 005A's are equal. */
	ck_assert_int_eq(fx_count(st, "SELECT count(*) FROM user_digest"), 6);
	ck_assert_int_eq(
	    fx_count(st, "SELECT count(*) FROM user_digest x JOIN user_digest"
			 " y ON y.user_id = x.user_id AND y.snapshot_id = 2"
			 " AND y.digest = x.digest WHERE x.snapshot_id = 1"),
	    1);
	ck_assert_int_eq(changes(st, a, b, &o), 6);
	ck_assert_str_eq(o.s, want);
	/* A snapshot without digests (finished before schema v3) is
	 * compared row by row, with the same result. */
	ck_assert_int_eq(sqlite3_exec(st->db,
				      "DELETE FROM user_digest WHERE "
				      "snapshot_id = 1",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(changes(st, a, b, &o), 6);
	ck_assert_str_eq(o.s, want);
	fx_close(st, path);
}
END_TEST

START_TEST(
    test_changed_attributes_have_old_and_new_values_and_last_login_is_not_one)
{
	static const struct rec before[] = {
	    PROFILE("00eP", "Sales"),
	    PROFILE("00eQ", "Support"),
	    USERX("005A", T, "00eP", "a@old.test", "2026-01-01T00:00:00Z",
		  NULL),
	    USERX("005B", T, "00eP", "b@x.test", "2026-01-01T00:00:00Z", NULL),
	};
	static const struct rec after[] = {
	    PROFILE("00eP", "Sales"),
	    PROFILE("00eQ", "Support"),
	    USERX("005A", F, "00eQ", "a@new.test", "2026-01-01T00:00:00Z",
		  "005B"),
	    USERX("005B", T, "00eP", "b@x.test", "2026-02-02T00:00:00Z", NULL),
	    LOGIN("0Ylz", "005A", T),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long a = fx_snapshot(st, before, NREC(before));
	long long b = fx_snapshot(st, after, NREC(after));
	struct out o;

	/* 005A: fields in the documented order; the profile row moves.
	 * 005B: only LastLoginDate changed, which is no change. */
	ck_assert_int_eq(changes(st, a, b, &o), 7);
	ck_assert_str_eq(o.s, "added 005A profile 00eQ direct - s2|"
			      "removed 005A profile 00eP direct - s1|"
			      "changed 005A@x.test 005A IsActive true->false|"
			      "changed 005A@x.test 005A IsFrozen false->true|"
			      "changed 005A@x.test 005A ProfileId 00eP->00eQ|"
			      "changed 005A@x.test 005A Email "
			      "a@old.test->a@new.test|"
			      "changed 005A@x.test 005A ManagerId -->005B|");
	fx_close(st, path);
}
END_TEST

START_TEST(test_a_user_leaving_the_synced_set_is_a_removed_user_resource)
{
	static const struct rec before[] = {
	    PROFILE("00eP", "Sales"),
	    USER("005A", T, "Standard", "00eP", NULL),
	    USER("005B", T, "Standard", "00eP", NULL),
	};
	static const struct rec after[] = {
	    PROFILE("00eP", "Sales"),
	    PROFILE("00eQ", "Support"),
	    USER("005A", T, "Standard", "00eP", NULL),
	};
	char path[64];
	sfa_store *st = fx_open(path);
	long long a = fx_snapshot(st, before, NREC(before));
	long long b = fx_snapshot(st, after, NREC(after));
	struct out o;

	ck_assert_int_eq(changes(st, a, b, &o), 3);
	ck_assert_str_eq(o.s, "removed 005B profile 00eP direct - s1|"
			      "resource_added profile 00eQ Support s2|"
			      "resource_removed user 005B Name 005B s1|");
	fx_close(st, path);
}
END_TEST

START_TEST(test_a_snapshot_against_itself_has_no_changes)
{
	char path[64];
	sfa_store *st = fx_open(path);
	static const struct rec recs[] = {
	    PROFILE("00eP", "Sales"),
	    USER("005A", T, "Standard", "00eP", NULL),
	};
	long long a = fx_snapshot(st, recs, NREC(recs));
	struct out o;

	static const char *const rows[] = {"005A profile 00eP direct -"};

	fx_expect(st, a, rows, 1);
	ck_assert_int_eq(changes(st, a, a, &o), 0);
	ck_assert_str_eq(o.s, "");
	fx_close(st, path);
}
END_TEST

static long long snapshot_of(sfa_store *st, const char *org, int finish)
{
	static const struct rec recs[] = {
	    PROFILE("00eP", "Sales"),
	    USER("005A", T, "Standard", "00eP", NULL),
	};
	sfa_err err = {0};
	long long id = 0;

	ck_assert_int_eq(
	    sfa_store_begin_snapshot(st, org, "64.0", "{}", &id, &err), 0);
	fx_put(st, recs, NREC(recs));
	if (finish)
		ck_assert_int_eq(sfa_snapshot_finish(st, NULL, 1, NULL, &err),
				 0);
	else
		sfa_store_abort_snapshot(st, "test");
	return id;
}

static int pick(sfa_store *st, long long from, long long to, int incomplete,
		long long *a, long long *b, sfa_err *err)
{
	sfa_diff_pick p = {from, to, incomplete};

	sfa_err_clear(err);
	*a = *b = 0;
	return sfa_diff_resolve(st, &p, a, b, err);
}

START_TEST(test_picking_snapshots_defaults_and_refusals)
{
	char path[64];
	sfa_store *st = fx_open(path);
	sfa_err err = {0};
	long long a, b;

	snapshot_of(st, "00Dorg", 1); /* 1 */
	ck_assert_int_eq(pick(st, 0, 0, 0, &a, &b, &err), SFA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "before snapshot 1"));
	snapshot_of(st, "00Dorg", 1);	/* 2 */
	snapshot_of(st, "00Dorg", 0);	/* 3, incomplete */
	snapshot_of(st, "00Dother", 1); /* 4, another org */
	snapshot_of(st, "00Dorg", 1);	/* 5 */
	ck_assert_int_eq(pick(st, 0, 0, 0, &a, &b, &err), 0);
	ck_assert_int_eq(a, 2);
	ck_assert_int_eq(b, 5);
	ck_assert_int_eq(pick(st, 1, 0, 0, &a, &b, &err), 0);
	ck_assert_int_eq(b, 5);
	ck_assert_int_eq(pick(st, 0, 2, 0, &a, &b, &err), 0);
	ck_assert_int_eq(a, 1);
	ck_assert_int_eq(pick(st, 0, 3, 0, &a, &b, &err), SFA_EINPUT);
	ck_assert_str_eq(err.msg, "--to 3: snapshot is incomplete; pass "
				  "--allow-incomplete to compare it anyway");
	ck_assert_int_eq(pick(st, 0, 3, 1, &a, &b, &err), 0);
	ck_assert_int_eq(a, 2);
	ck_assert_int_eq(pick(st, 2, 4, 0, &a, &b, &err), SFA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "different orgs"));
	ck_assert_int_eq(pick(st, 9, 0, 0, &a, &b, &err), SFA_EINPUT);
	ck_assert_str_eq(
	    err.msg, "--from 9: no such snapshot (see `sfaccess snapshots`)");
	fx_close(st, path);
}
END_TEST

/* ---- gc ---- */

struct gone {
	char s[256];
};

static int on_gone(void *ud, const sfa_snapshot_info *s)
{
	struct gone *g = ud;
	size_t n = strlen(g->s);

	snprintf(g->s + n, sizeof(g->s) - n, "%lld ", s->id);
	return 0;
}

/* ---- a container's own permissions (lib/access/PERMISSIONS.md, "Changes")
 * ---- */

#define OPERM(id, parent, obj, r, c)                                           \
	{                                                                      \
		SFA_OBJ_OBJECT_PERMS,                                          \
		{                                                              \
			id, parent, obj, r, c, F, F, F, F, F                   \
		}                                                              \
	}
#define FPERM(id, parent, field, r, e)                                         \
	{                                                                      \
		SFA_OBJ_FIELD_PERMS,                                           \
		{                                                              \
			id, parent, "Account", field, r, e                     \
		}                                                              \
	}

/* A snapshot of recs whose containers hold the system permissions
 * sys[i] = {container, name, ...}: names numbered in the order given,
 * so that the two snapshots below number them differently. */
static long long perm_snapshot(sfa_store *st, const struct rec *r, size_t n,
			       const char *const *names, size_t nnames,
			       const char *const (*sys)[2], size_t nsys,
			       const char *const *muting, size_t nmuting)
{
	sfa_err err = {0};
	long long id = 0;
	size_t i, k;

	ck_assert(sfa_store_begin_snapshot(st, "00Dorg", "64.0", "{}", &id,
					   &err) == 0);
	for (i = 0; i < nnames; i++)
		ck_assert(sfa_store_put_perm_name(st, (int)i, names[i],
						  names[i], &err) == 0);
	fx_put(st, r, n);
	for (i = 0; i < nsys; i++) {
		for (k = 0; k < nnames && strcmp(names[k], sys[i][1]); k++)
			;
		ck_assert_uint_lt(k, nnames);
		{
			int p = (int)k;
			int muted = 0;
			size_t m;

			for (m = 0; m < nmuting; m++)
				muted |= !strcmp(muting[m], sys[i][0]);
			ck_assert_msg(sfa_store_put_perms(
					  st,
					  muted ? SFA_OBJ_MUTING_PERMS
						: SFA_OBJ_PERMISSION_SET_PERMS,
					  sys[i][0], &p, 1, &err) == 0,
				      "%s", err.msg);
		}
	}
	ck_assert_msg(sfa_snapshot_finish(st, NULL, 7, NULL, &err) == 0, "%s",
		      err.msg);
	return id;
}

static int collect_perm(void *ud, const sfa_diff_change *c)
{
	struct out *o = ud;
	size_t n = strlen(o->s);

	if (c->kind == SFA_DIFF_PERMISSION_ADDED ||
	    c->kind == SFA_DIFF_PERMISSION_REMOVED)
		snprintf(o->s + n, sizeof(o->s) - n, "%s %s %s %s %s %s s%lld|",
			 sfa_diff_kind_name(c->kind), c->row.access_type,
			 c->row.access_id, NUL(c->row.access_name), c->field,
			 NUL(c->new_value), c->row.snapshot_id);
	return 0;
}

START_TEST(test_container_permissions_added_and_removed_with_users_reached)
{
	/* Profile Admin (00eA, owns 0PSpa) has users 005A, 005B, 005C;
	 * 005B holds 0PSd directly, 005C group 0PGg (0PSc + muting 0QMm).
	 * Between the snapshots:
	 * - 0PSpa gains ModifyAllData: the profile, 3 users;
	 * - 0PSd loses AuthorApex (1 user: 005B) and gains Account:create
	 *   and Account.Phone:edit;
	 * - 0PSc gains ViewAllData, reaching 005C through the group, and
	 *   0QMm mutes it: added on the muting set, named after its group;
	 * - 0PSn is new (a resource change), its ManageUsers not listed;
	 * - ApiEnabled stays on 0PSpa though its number changes. */
	static const char *const names_a[] = {"ApiEnabled", "AuthorApex",
					      "ModifyAllData", "ViewAllData",
					      "ManageUsers"};
	static const char *const names_b[] = {"ModifyAllData", "ManageUsers",
					      "ViewAllData", "ApiEnabled",
					      "AuthorApex"};
	static const char *const muting[] = {"0QMm"};
	static const char *const sys_a[][2] = {{"0PSpa", "ApiEnabled"},
					       {"0PSd", "AuthorApex"}};
	static const char *const sys_b[][2] = {{"0PSpa", "ApiEnabled"},
					       {"0PSpa", "ModifyAllData"},
					       {"0PSc", "ViewAllData"},
					       {"0QMm", "ViewAllData"},
					       {"0PSn", "ManageUsers"}};
#define PERM_ORG                                                               \
	PROFILE("00eA", "Admin"), USER("005A", T, "Standard", "00eA", NULL),   \
	    USER("005B", T, "Standard", "00eA", NULL),                         \
	    USER("005C", T, "Standard", "00eA", NULL),                         \
	    PS("0PSpa", T, "00eA", NULL), PS("0PSd", F, NULL, NULL),           \
	    PS("0PSc", F, NULL, NULL), PS("0PSag", F, NULL, "0PGg"),           \
	    PSG("0PGg"), PSGC("0PCa", "0PGg", "0PSc"),                         \
	    PSGC("0PCb", "0PGg", "0QMm"),                                      \
	    PSA("0Pa1", "005B", "0PSd", NULL, NULL, NULL),                     \
	    PSA("0Pa2", "005C", "0PSag", "0PGg", NULL, NULL),                  \
	    OPERM("110c", "0PSc", "Contact", T, F)
	static const struct rec before[] = {
	    PERM_ORG,
	    OPERM("110d", "0PSd", "Account", T, F),
	    FPERM("01kd", "0PSd", "Account.Phone", T, F),
	};
	static const struct rec after[] = {
	    PERM_ORG,
	    PS("0PSn", F, NULL, NULL),
	    OPERM("110d", "0PSd", "Account", T, T),
	    FPERM("01kd", "0PSd", "Account.Phone", T, T),
	};
#undef PERM_ORG
	char path[64];
	sfa_store *st = fx_open(path);
	long long a =
	    perm_snapshot(st, before, NREC(before), names_a, NREC(names_a),
			  sys_a, NREC(sys_a), muting, NREC(muting));
	long long b =
	    perm_snapshot(st, after, NREC(after), names_b, NREC(names_b), sys_b,
			  NREC(sys_b), muting, NREC(muting));
	sfa_diff *d = NULL;
	sfa_err err = {0};
	struct out o = {""};

	ck_assert_msg(sfa_diff_open(&d, st, a, b, &err) == 0, "%s", err.msg);
	ck_assert_msg(sfa_diff_each(d, collect_perm, &o, &err) == 0, "%s",
		      err.msg);
	ck_assert_str_eq(
	    o.s,
	    "permission_added muting_permission_set 0QMm Label 0PGg (muting) "
	    "ViewAllData 1 s2|"
	    "permission_added permission_set 0PSc Label 0PSc ViewAllData 1 "
	    "s2|"
	    "permission_added permission_set 0PSd Label 0PSd "
	    "Account.Phone:edit 1 s2|"
	    "permission_added permission_set 0PSd Label 0PSd Account:create "
	    "1 s2|"
	    "permission_added profile 00eA Admin ModifyAllData 3 s2|"
	    "permission_removed permission_set 0PSd Label 0PSd AuthorApex 1 "
	    "s2|");
	ck_assert_int_eq(sfa_diff_count(d, SFA_DIFF_PERMISSION_ADDED), 5);
	ck_assert_int_eq(sfa_diff_count(d, SFA_DIFF_PERMISSION_REMOVED), 1);
	/* The privileged rows: ModifyAllData (tier 0) for the profile's three
	 * users, with View All and Modify All (tier 2) on Account and
	 * Contact each; AuthorApex (tier 0) gone for 005B.  ViewAllData
	 * through the group is muted: no row. */
	ck_assert_int_eq(sfa_diff_privileged_count(d, 0, SFA_DIFF_ADDED), 3);
	ck_assert_int_eq(sfa_diff_privileged_count(d, 0, SFA_DIFF_REMOVED), 1);
	ck_assert_int_eq(sfa_diff_privileged_count(d, 2, SFA_DIFF_ADDED), 12);
	ck_assert_int_eq(sfa_diff_privileged_count(d, 2, SFA_DIFF_REMOVED), 0);
	ck_assert_int_eq(sfa_diff_privileged_count(d, 3, SFA_DIFF_ADDED), 0);
	ck_assert_int_eq(sfa_diff_count(d, SFA_DIFF_ADDED), 15);
	ck_assert_int_eq(sfa_diff_count(d, SFA_DIFF_REMOVED), 1);
	sfa_diff_free(d);

	/* Against a snapshot synced without permissions nothing compares. */
	{
		long long c = fx_snapshot(st, after, NREC(after));

		ck_assert_msg(sfa_diff_open(&d, st, b, c, &err) == 0, "%s",
			      err.msg);
		ck_assert_int_eq(
		    sfa_diff_count(d, SFA_DIFF_PERMISSION_ADDED) +
			sfa_diff_count(d, SFA_DIFF_PERMISSION_REMOVED),
		    0);
		sfa_diff_free(d);
	}
	fx_close(st, path);
}
END_TEST

START_TEST(test_gc_keeps_the_newest_complete_and_never_a_newer_incomplete)
{
	/* Org 00Dorg: 1 complete (with a permission set only it has),
	 * 2 incomplete, 3 and 4 complete, 5 incomplete (maybe in progress);
	 * org 00Dother: 6.  --keep 2 deletes 1 and 2, nothing else. */
	static const struct rec only1[] = {
	    PROFILE("00eP", "Sales"),
	    USER("005A", T, "Standard", "00eP", NULL),
	    PS("0PSonly1", F, NULL, NULL),
	    PSA("0Pa1", "005A", "0PSonly1", NULL, NULL, NULL),
	};
	char path[64], before[65], after[65];
	sfa_store *st = fx_open(path);
	sfa_gc_result res;
	sfa_err err = {0};
	struct gone g = {""};
	long long n_hash;

	fx_snapshot(st, only1, NREC(only1));
	snapshot_of(st, "00Dorg", 0);
	snapshot_of(st, "00Dorg", 1);
	snapshot_of(st, "00Dorg", 1);
	snapshot_of(st, "00Dorg", 0);
	snapshot_of(st, "00Dother", 1);
	ck_assert_int_eq(sfa_store_content_hash(st, 3, before, &n_hash, &err),
			 0);
	ck_assert_int_eq(sfa_store_gc(st, 2, on_gone, &g, &res, &err), 0);
	ck_assert_str_eq(g.s, "1 2 ");
	ck_assert_int_eq(res.snapshots, 2);
	ck_assert_int_eq(fx_count(st, "SELECT count(*) FROM snapshot"), 4);
	ck_assert_int_eq(
	    fx_count(st, "SELECT count(*) FROM snapshot WHERE id IN (3, 4, "
			 "5, 6)"),
	    4);
	/* The raw and derived rows went with the snapshots, and the ids
	 * only snapshot 1 used; what is kept reads back the same. */
	ck_assert_int_eq(
	    fx_count(
		st,
		"SELECT sum(n_access) FROM access_set WHERE snapshot_id = 1"),
	    0);
	ck_assert_int_eq(
	    fx_count(
		st, "SELECT count(*) FROM sf_user WHERE snapshot_id IN (1, 2)"),
	    0);
	ck_assert_int_eq(
	    fx_count(st, "SELECT count(*) FROM sfid WHERE sfid = '0PSonly1'"),
	    0);
	/* 0PSonly1 at least (assignment ids are text in their rows) */
	ck_assert_int_ge(res.sfids, 1);
	ck_assert_int_eq(sfa_store_content_hash(st, 3, after, &n_hash, &err),
			 0);
	ck_assert_str_eq(before, after);
	/* Nothing more to delete: a second run is a no-op. */
	g.s[0] = '\0';
	ck_assert_int_eq(sfa_store_gc(st, 2, on_gone, &g, &res, &err), 0);
	ck_assert_int_eq(res.snapshots, 0);
	fx_close(st, path);
}
END_TEST

START_TEST(test_gc_keeps_at_least_one_and_waits_for_no_writer)
{
	char path[64];
	sfa_store *st = fx_open(path), *writer = NULL;
	sfa_gc_result res;
	sfa_err err = {0};
	long long id;

	snapshot_of(st, "00Dorg", 1);
	snapshot_of(st, "00Dorg", 1);
	ck_assert_int_eq(sfa_store_gc(st, 0, NULL, NULL, &res, &err),
			 SFA_EINPUT);
	/* A sync in progress holds the write lock: gc changes nothing. */
	ck_assert_int_eq(sfa_store_open(&writer, path, 0, &err), 0);
	ck_assert_int_eq(
	    sfa_store_begin_snapshot(writer, "00Dorg", "64.0", "{}", &id, &err),
	    0);
	sqlite3_busy_timeout(st->db, 100);
	ck_assert_int_eq(sfa_store_gc(st, 1, NULL, NULL, &res, &err),
			 SFA_EBUSY);
	ck_assert_int_eq(fx_count(st, "SELECT count(*) FROM snapshot"), 3);
	ck_assert_int_eq(sfa_snapshot_finish(writer, NULL, 1, NULL, &err), 0);
	sfa_store_free(writer);
	ck_assert_int_eq(sfa_store_gc(st, 1, NULL, NULL, &res, &err), 0);
	ck_assert_int_eq(res.snapshots, 2);
	ck_assert_int_eq(fx_count(st, "SELECT max(id) FROM snapshot"), 3);
	fx_close(st, path);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("diff");

	tcase_set_timeout(tc, 30);
	tcase_add_test(
	    tc, test_added_and_removed_rows_keep_their_via_and_come_in_order);
	tcase_add_test(
	    tc,
	    test_changed_attributes_have_old_and_new_values_and_last_login_is_not_one);
	tcase_add_test(
	    tc, test_a_user_leaving_the_synced_set_is_a_removed_user_resource);
	tcase_add_test(tc, test_a_snapshot_against_itself_has_no_changes);
	tcase_add_test(
	    tc, test_user_digests_skip_unchanged_users_and_match_a_full_merge);
	tcase_add_test(tc, test_picking_snapshots_defaults_and_refusals);
	tcase_add_test(
	    tc,
	    test_container_permissions_added_and_removed_with_users_reached);
	tcase_add_test(
	    tc, test_gc_keeps_the_newest_complete_and_never_a_newer_incomplete);
	tcase_add_test(tc, test_gc_keeps_at_least_one_and_waits_for_no_writer);
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
	return failed ? 1 : 0;
}
