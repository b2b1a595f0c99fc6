/*
 * store_fixture.h - tiny orgs for the store and access tests: records as C
 * arrays in objects.h field order, put through sfa_store_put() exactly as
 * the fetcher does, and access rows read back as comparable strings.
 */
#ifndef SFA_STORE_FIXTURE_H
#define SFA_STORE_FIXTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snapshot_finish.h"
#include "store.h"
#include "store_int.h"

struct rec {
	sfa_obj obj;
	const char *v[SFA_USER_NFIELDS];
};

#define T "true"
#define F "false"
/* Id, Username, Name, FirstName, LastName, Email, IsActive, UserType,
 * ProfileId, UserRoleId, ManagerId, Manager.Username, LastLoginDate,
 * CreatedDate, FederationIdentifier, license Name, license key */
#define USER(id, active, type, prof, role)                                     \
	{                                                                      \
		SFA_OBJ_USER,                                                  \
		{                                                              \
			id, id "@x.test", "Name " id, NULL, "Last",            \
			    id "@x.test", active, type, prof, role, NULL,      \
			    NULL, NULL, "2026-01-01T00:00:00Z", NULL,          \
			    "Salesforce", "SFDC"                               \
		}                                                              \
	}
#define PROFILE(id, name)                                                      \
	{                                                                      \
		SFA_OBJ_PROFILE,                                               \
		{                                                              \
			id, name, "100L", "Standard"                           \
		}                                                              \
	}
#define ROLE(id, parent)                                                       \
	{                                                                      \
		SFA_OBJ_USER_ROLE,                                             \
		{                                                              \
			id, "Role " id, "R_" id, parent                        \
		}                                                              \
	}
#define PS(id, owned, prof, psg)                                               \
	{                                                                      \
		SFA_OBJ_PERMISSION_SET,                                        \
		{                                                              \
			id, "N_" id, "Label " id, "Regular", NULL, T, NULL,    \
			    owned, prof, psg, F, F, F, F, F                    \
		}                                                              \
	}
#define PSA(id, user, ps, psg, exp, stamp)                                     \
	{                                                                      \
		SFA_OBJ_PS_ASSIGNMENT,                                         \
		{                                                              \
			id, user, ps, psg, exp, stamp, T                       \
		}                                                              \
	}
#define PSG(id)                                                                \
	{                                                                      \
		SFA_OBJ_PERMISSION_SET_GROUP,                                  \
		{                                                              \
			id, "D_" id, "Label " id, "Updated"                    \
		}                                                              \
	}
#define PSGC(id, psg, ps)                                                      \
	{                                                                      \
		SFA_OBJ_PSG_COMPONENT,                                         \
		{                                                              \
			id, psg, ps                                            \
		}                                                              \
	}
#define GROUP(id, name, type, related)                                         \
	{                                                                      \
		SFA_OBJ_GROUP,                                                 \
		{                                                              \
			id, name, "Dev_" id, type, related                     \
		}                                                              \
	}
#define GM(id, group, member, stamp)                                           \
	{                                                                      \
		SFA_OBJ_GROUP_MEMBER,                                          \
		{                                                              \
			id, group, member, stamp                               \
		}                                                              \
	}
#define APP(id, name)                                                          \
	{                                                                      \
		SFA_OBJ_CONNECTED_APP,                                         \
		{                                                              \
			id, name, F                                            \
		}                                                              \
	}
#define SEA(id, parent, app)                                                   \
	{                                                                      \
		SFA_OBJ_SETUP_ENTITY_ACCESS,                                   \
		{                                                              \
			id, parent, app, "ConnectedApplication"                \
		}                                                              \
	}
#define TOKEN(id, user, app)                                                   \
	{                                                                      \
		SFA_OBJ_OAUTH_TOKEN,                                           \
		{                                                              \
			id, user, app                                          \
		}                                                              \
	}
#define LOGIN(id, user, frozen)                                                \
	{                                                                      \
		SFA_OBJ_USER_LOGIN,                                            \
		{                                                              \
			id, user, frozen, F                                    \
		}                                                              \
	}
/* entitlements (lib/access/ACCESS-MODEL.md) */
#define CPSEA(id, parent, cp)                                                  \
	{                                                                      \
		SFA_OBJ_CUSTOM_PERMISSION_ACCESS,                              \
		{                                                              \
			id, parent, cp, "CustomPermission"                     \
		}                                                              \
	}
#define TERR(id, model)                                                        \
	{                                                                      \
		SFA_OBJ_TERRITORY,                                             \
		{                                                              \
			id, "Territory " id, "T_" id, model, NULL              \
		}                                                              \
	}
#define UTERR(id, user, territory)                                             \
	{                                                                      \
		SFA_OBJ_USER_TERRITORY,                                        \
		{                                                              \
			id, user, territory, "Owner"                           \
		}                                                              \
	}
#define PSLA(id, user, license)                                                \
	{                                                                      \
		SFA_OBJ_PS_LICENSE_ASSIGN,                                     \
		{                                                              \
			id, user, license                                      \
		}                                                              \
	}
#define UPL(id, user, package)                                                 \
	{                                                                      \
		SFA_OBJ_USER_PACKAGE_LICENSE,                                  \
		{                                                              \
			id, user, package                                      \
		}                                                              \
	}
#define NREC(a) (sizeof(a) / sizeof((a)[0]))

/* A fresh store in a new temporary directory; fx_close() removes both. */
static sfa_store *fx_open(char path[64])
{
	char dir[] = "/tmp/sfa_store_test_XXXXXX";
	sfa_store *st = NULL;
	sfa_err err = {0};

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, 64, "%s/store.db", dir);
	ck_assert_msg(sfa_store_open(&st, path, 0, &err) == 0, "%s", err.msg);
	return st;
}

static void fx_close(sfa_store *st, const char *path)
{
	char p[80], dir[64];

	sfa_store_free(st);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	unlink(path);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
}

static void fx_put(sfa_store *st, const struct rec *r, size_t n)
{
	sfa_err err = {0};
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_msg(sfa_store_put(st, r[i].obj, r[i].v, &err) == 0,
			      "record %zu: %s (%s)", i, err.msg, err.where);
}

/* One complete snapshot of org "00Dorg" holding records r. */
static long long fx_snapshot(sfa_store *st, const struct rec *r, size_t n)
{
	sfa_err err = {0};
	long long id = 0;

	ck_assert_msg(sfa_store_begin_snapshot(st, "00Dorg", "64.0", "{}", &id,
					       &err) == 0,
		      "%s", err.msg);
	fx_put(st, r, n);
	ck_assert_msg(sfa_snapshot_finish(st, NULL, 7, NULL, &err) == 0, "%s",
		      err.msg);
	return id;
}

struct fx_rows {
	char *row[256];
	size_t n;
};

#define NUL(s) ((s) ? (s) : "-")

static int fx_collect(void *ud, const sfa_access_row *r)
{
	struct fx_rows *rows = ud;
	char line[512];

	ck_assert_uint_lt(rows->n, 256);
	snprintf(line, sizeof(line), "%s %s %s %s %s", r->user_id,
		 r->access_type, r->access_id, r->via_type, NUL(r->via_id));
	rows->row[rows->n++] = strdup(line);
	return 0;
}

static int fx_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Asserts that snapshot id holds exactly the access rows `want`
 * ("user access_type access_id via_type via_id", "-" for no via id). */
static void fx_expect(sfa_store *st, long long id, const char *const *want,
		      size_t n)
{
	struct fx_rows got = {{0}, 0};
	const char *w[256] = {0};
	sfa_err err = {0};
	size_t i;

	ck_assert_msg(
	    sfa_store_each_access(st, id, NULL, fx_collect, &got, &err) == 0,
	    "%s", err.msg);
	qsort(got.row, got.n, sizeof(char *), fx_cmp);
	if (n)
		memcpy(w, want, n * sizeof(char *));
	qsort(w, n, sizeof(char *), fx_cmp);
	for (i = 0; i < got.n || i < n; i++)
		ck_assert_msg(
		    i < got.n && i < n && strcmp(got.row[i], w[i]) == 0,
		    "row %zu: got '%s', want '%s'", i,
		    i < got.n ? got.row[i] : "(none)", i < n ? w[i] : "(none)");
	for (i = 0; i < got.n; i++)
		free(got.row[i]);
}

/* The integer the query sql gives (a count) on st.  Inline, so that a
 * test that does not count is not warned about it. */
static inline long long fx_count(sfa_store *st, const char *sql)
{
	sqlite3_stmt *s;
	long long n;

	ck_assert_int_eq(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

#endif
