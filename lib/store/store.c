/*
 * store.c - opening the snapshot store (creation, schema migrations,
 * locking) and writing a snapshot: begin, put raw records, commit, abort.
 * The fetcher streams records in; the finish above the store
 * (snapshot_finish.c) derives access through store_db.h and commits here.
 */
#include "access_set.h"
#include "store_int.h"
#include "store_sql.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long a second writer waits for the first before SFA_EBUSY. */
#define BUSY_MS 5000

/* Schema migrations: step i takes user_version i to i + 1, statement by
 * statement, its last statement setting the version.  A step whose data
 * must be rewritten in C (v4: the access table into access sets) runs its
 * `convert` between its `sql` and its `end`.  A new version appends its
 * step to migrations[]; nothing else changes. */
struct migration {
	const char *const *sql;
	int (*convert)(sfa_store *st, sfa_err *err);
	const char *const *end;
};
static const char *const v1[] = {SQL_SCHEMA_V1, NULL};
static const char *const v2[] = {SQL_SCHEMA_V2, NULL};
static const char *const v3[] = {SQL_SCHEMA_V3, NULL};
static const char *const v4[] = {SQL_SCHEMA_V4, NULL};
static const char *const v4_end[] = {SQL_SCHEMA_V4_END, NULL};
static const char *const v5[] = {SQL_SCHEMA_V5, NULL};
static const char *const v6[] = {SQL_SCHEMA_V6, NULL};
static const char *const v7[] = {SQL_SCHEMA_APPLY_RUNS, NULL};
static const char *const v8[] = {SQL_SCHEMA_UX, NULL};
static const char *const v9[] = {SQL_SCHEMA_ENTITLEMENTS, NULL};
static const char *const v10[] = {SQL_SCHEMA_REVIEW, NULL};
static const char *const v11[] = {SQL_SCHEMA_POLICY, NULL};
static const char *const v12[] = {SQL_SCHEMA_EVIDENCE, NULL};
static const char *const v13[] = {SQL_SCHEMA_PERMISSIONS, NULL};
static const char *const v14[] = {SQL_SCHEMA_CAMPAIGN_TOKENS, NULL};
static const char *const v15[] = {SQL_SCHEMA_PERM_SOURCES, NULL};
static const struct migration migrations[] = {
    {v1, NULL, NULL},  {v2, NULL, NULL},
    {v3, NULL, NULL},  {v4, sfa_access_set_migrate, v4_end},
    {v5, NULL, NULL},  {v6, NULL, NULL},
    {v7, NULL, NULL},  {v8, NULL, NULL},
    {v9, NULL, NULL},  {v10, NULL, NULL},
    {v11, NULL, NULL}, {v12, NULL, NULL},
    {v13, NULL, NULL}, {v14, NULL, NULL},
    {v15, NULL, NULL},
};
#define N_MIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))
/* A step appended without raising the version (or the reverse) would leave
 * stores half migrated. */
_Static_assert(N_MIGRATIONS == SFA_STORE_VERSION,
	       "one migration step per schema version");

/* How put() binds a field's canonical text value. */
enum column {
	COL_ID,	      /* a Salesforce id, interned in sfid */
	COL_OWN_ID,   /* the record's own id that no other record names:
			 interned, for the access rows that name it, but not
			 cached (see sfa_store_intern()) */
	COL_OWN_TEXT, /* the record's own id that nothing names, as text
			 (schema v6) */
	COL_BOOL,     /* "true"/"false" as 1/0 */
	COL_NUMBER,   /* a number, bound as text: the column's INTEGER
			 affinity stores it as an integer */
	COL_TEXT,     /* text as is */
	COL_FIELD,    /* a field name (Object.Field), as its number in the
			 snapshot (store_perm.c, schema v15) */
};

/* A column list and its length, from one list of enum column names: the
 * compiler refuses a name that is not a column type and a list longer
 * than SFA_STORE_MAX_FIELDS; check_objects() compares the length with
 * objects.h. */
#define COLUMNS(...)                                                           \
	{__VA_ARGS__},                                                         \
	    sizeof((const enum column[]){__VA_ARGS__}) / sizeof(enum column)

/* Per object: its INSERT and how each field, in objects.h order, binds. */
static const struct raw_table {
	const char *insert;
	enum column cols[SFA_STORE_MAX_FIELDS];
	size_t ncols;
} raw[SFA_OBJ_COUNT] = {
    [SFA_OBJ_USER_LICENSE] = {SQL_INS_USER_LICENSE,
			      COLUMNS(COL_ID, COL_TEXT, COL_TEXT, COL_TEXT,
				      COL_NUMBER, COL_NUMBER)},
    [SFA_OBJ_PROFILE] = {SQL_INS_PROFILE,
			 COLUMNS(COL_ID, COL_TEXT, COL_ID, COL_TEXT)},
    [SFA_OBJ_USER_ROLE] = {SQL_INS_USER_ROLE,
			   COLUMNS(COL_ID, COL_TEXT, COL_TEXT, COL_ID)},
    [SFA_OBJ_USER] = {SQL_INS_USER,
		      COLUMNS(COL_ID, COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT,
			      COL_TEXT, COL_BOOL, COL_TEXT, COL_ID, COL_ID,
			      COL_ID, COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT,
			      COL_TEXT, COL_TEXT)},
    [SFA_OBJ_USER_LOGIN] = {SQL_INS_USER_LOGIN,
			    COLUMNS(COL_OWN_TEXT, COL_ID, COL_BOOL, COL_BOOL)},
    [SFA_OBJ_GROUP] = {SQL_INS_GROUP,
		       COLUMNS(COL_ID, COL_TEXT, COL_TEXT, COL_TEXT, COL_ID)},
    [SFA_OBJ_GROUP_MEMBER] = {SQL_INS_GROUP_MEMBER,
			      COLUMNS(COL_OWN_TEXT, COL_ID, COL_ID, COL_TEXT)},
    [SFA_OBJ_PERMISSION_SET] = {SQL_INS_PERMISSION_SET,
				COLUMNS(COL_ID, COL_TEXT, COL_TEXT, COL_TEXT,
					COL_ID, COL_BOOL, COL_TEXT, COL_BOOL,
					COL_ID, COL_ID, COL_BOOL, COL_BOOL,
					COL_BOOL, COL_BOOL, COL_BOOL)},
    [SFA_OBJ_PERMISSION_SET_GROUP] = {SQL_INS_PERMISSION_SET_GROUP,
				      COLUMNS(COL_ID, COL_TEXT, COL_TEXT,
					      COL_TEXT)},
    [SFA_OBJ_PSG_COMPONENT] = {SQL_INS_PSG_COMPONENT,
			       COLUMNS(COL_OWN_TEXT, COL_ID, COL_ID)},
    [SFA_OBJ_PS_ASSIGNMENT] = {SQL_INS_PS_ASSIGNMENT,
			       COLUMNS(COL_OWN_TEXT, COL_ID, COL_ID, COL_ID,
				       COL_TEXT, COL_TEXT, COL_BOOL)},
    [SFA_OBJ_CONNECTED_APP] = {SQL_INS_CONNECTED_APP,
			       COLUMNS(COL_ID, COL_TEXT, COL_BOOL)},
    [SFA_OBJ_SETUP_ENTITY_ACCESS] = {SQL_INS_SETUP_ENTITY_ACCESS,
				     COLUMNS(COL_OWN_TEXT, COL_ID, COL_ID,
					     COL_TEXT)},
    [SFA_OBJ_OAUTH_TOKEN] = {SQL_INS_OAUTH_TOKEN,
			     COLUMNS(COL_OWN_ID, COL_ID, COL_TEXT, COL_TEXT)},
    [SFA_OBJ_TERRITORY] = {SQL_INS_TERRITORY,
			   COLUMNS(COL_ID, COL_TEXT, COL_TEXT, COL_ID, COL_ID)},
    [SFA_OBJ_USER_TERRITORY] = {SQL_INS_USER_TERRITORY,
				COLUMNS(COL_OWN_TEXT, COL_ID, COL_ID,
					COL_TEXT)},
    [SFA_OBJ_PS_LICENSE] = {SQL_INS_PS_LICENSE,
			    COLUMNS(COL_ID, COL_TEXT, COL_TEXT, COL_NUMBER,
				    COL_NUMBER)},
    [SFA_OBJ_PS_LICENSE_ASSIGN] = {SQL_INS_PS_LICENSE_ASSIGN,
				   COLUMNS(COL_OWN_TEXT, COL_ID, COL_ID)},
    [SFA_OBJ_PACKAGE_LICENSE] = {SQL_INS_PACKAGE_LICENSE,
				 COLUMNS(COL_ID, COL_TEXT, COL_NUMBER,
					 COL_NUMBER)},
    [SFA_OBJ_USER_PACKAGE_LICENSE] = {SQL_INS_USER_PACKAGE_LICENSE,
				      COLUMNS(COL_OWN_TEXT, COL_ID, COL_ID)},
    [SFA_OBJ_CUSTOM_PERMISSION] = {SQL_INS_CUSTOM_PERMISSION,
				   COLUMNS(COL_ID, COL_TEXT, COL_TEXT,
					   COL_TEXT)},
    [SFA_OBJ_CUSTOM_PERMISSION_ACCESS] = {SQL_INS_SETUP_ENTITY_ACCESS,
					  COLUMNS(COL_OWN_TEXT, COL_ID, COL_ID,
						  COL_TEXT)},
    /* Described objects are put a permission at a time (store_perm.c). */
    [SFA_OBJ_PERMISSION_SET_PERMS] = {SQL_INS_PERM_SYSTEM, COLUMNS(COL_ID)},
    [SFA_OBJ_MUTING_PERMS] = {SQL_INS_PERM_SYSTEM, COLUMNS(COL_ID)},
    [SFA_OBJ_OBJECT_PERMS] = {SQL_INS_PERM_OBJECT,
			      COLUMNS(COL_TEXT, COL_ID, COL_TEXT, COL_BOOL,
				      COL_BOOL, COL_BOOL, COL_BOOL, COL_BOOL,
				      COL_BOOL, COL_BOOL)},
    [SFA_OBJ_FIELD_PERMS] = {SQL_INS_PERM_FIELD,
			     COLUMNS(COL_TEXT, COL_ID, COL_TEXT, COL_FIELD,
				     COL_BOOL, COL_BOOL)},
};

int sfa_store_sqlerr(sfa_store *st, sfa_err *err, const char *what)
{
	int rc = sqlite3_errcode(st->db);

	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return sfa_err_set(err, SFA_EBUSY,
				   "%s: store %s is in use by another sfaccess "
				   "process; try again when it has finished",
				   what, st->path);
	if (rc == SQLITE_NOTADB)
		return sfa_err_set(err, SFA_EINPUT,
				   "%s is not an sfaccess store (not an SQLite "
				   "database); check --store",
				   st->path);
	return sfa_err_set(err, SFA_ESTORE, "%s: %s (store %s)", what,
			   sqlite3_errmsg(st->db), st->path);
}

int sfa_store_prep(sfa_store *st, const char *sql, long long snap,
		   sqlite3_stmt **out, const char *what, sfa_err *err)
{
	*out = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
		return sfa_store_sqlerr(st, err, what);
	if (sqlite3_bind_parameter_count(*out) >= 1)
		sqlite3_bind_int64(*out, 1, snap);
	return 0;
}

int sfa_store_each_row(sfa_store *st, sqlite3_stmt *s,
		       int (*row)(sqlite3_stmt *, void *, void *), void *fn,
		       void *ud, const char *what, sfa_err *err)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int stop = row ? row(s, fn, ud) : 0;

		if (stop) {
			sqlite3_finalize(s);
			return stop;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = sfa_store_sqlerr(st, err, what);
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
	return 0;
}

int sfa_store_run(sfa_store *st, sqlite3_stmt *s, const char *what,
		  sfa_err *err)
{
	return sfa_store_each_row(st, s, NULL, NULL, NULL, what, err);
}

int sfa_store_exec(sfa_store *st, const char *sql, const char *what,
		   sfa_err *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sfa_store_sqlerr(st, err, what);
	return 0;
}

/* Reads one integer from a statement without parameters; *out is 0 when
 * the statement returns no row or fails. */
static int query_int(sfa_store *st, const char *sql, long long snap,
		     long long *out, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*out = 0;
	if ((rc = sfa_store_prep(st, sql, snap, &s, "store query", err)))
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
	} else if (rc != SQLITE_DONE) {
		rc = sfa_store_sqlerr(st, err, "store query");
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
	return 0;
}

/* Brings the schema to SFA_STORE_VERSION inside one write transaction,
 * re-reading the version under the lock so two processes opening a new
 * store at once migrate it once. */
static int migrate(sfa_store *st, sfa_err *err)
{
	const char *const *sql;
	long long v;
	size_t i;
	int rc;

	if ((rc = sfa_store_exec(st, "BEGIN IMMEDIATE", "migrating the store",
				 err)))
		return rc;
	if ((rc = query_int(st, "PRAGMA user_version", 0, &v, err)))
		goto fail;
	for (i = (size_t)v; i < N_MIGRATIONS; i++) {
		const struct migration *m = &migrations[i];

		for (sql = m->sql; *sql; sql++)
			if ((rc = sfa_store_exec(st, *sql,
						 "migrating the store", err)))
				goto fail;
		if (m->convert && (rc = m->convert(st, err)))
			goto fail;
		for (sql = m->end; sql && *sql; sql++)
			if ((rc = sfa_store_exec(st, *sql,
						 "migrating the store", err)))
				goto fail;
	}
	return sfa_store_exec(st, "COMMIT", "migrating the store", err);
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* The object table and the raw tables must agree field for field; a field
 * added to objects.h without a column here would shift every value. */
static int check_objects(sfa_err *err)
{
	int o;

	for (o = 0; o < SFA_OBJ_COUNT; o++)
		if (raw[o].ncols != sfa_obj_get((sfa_obj)o)->nfields)
			return sfa_err_set(err, SFA_EINTERNAL,
					   "store: %s has %zu fields in "
					   "objects.h but %zu columns",
					   sfa_obj_get((sfa_obj)o)->sobject,
					   sfa_obj_get((sfa_obj)o)->nfields,
					   raw[o].ncols);
	return 0;
}

static int open_db(sfa_store *st, const char *path, unsigned flags,
		   sfa_err *err)
{
	int oflags;
	struct stat sb;

	/* SQLite says only "disk I/O error" or "unable to open" for these. */
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return sfa_err_set(err, SFA_EINPUT,
				   "store %s is a directory; the store is a "
				   "file, e.g. %s/sfaccess.db",
				   path, path);
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return sfa_err_set(err, SFA_EINPUT,
				   "store %s is not a regular file", path);
	if (flags & SFA_STORE_READONLY) {
		if (access(path, F_OK) != 0)
			return sfa_err_set(err, SFA_ENOTFOUND,
					   "no snapshot store at %s", path);
		oflags = SQLITE_OPEN_READONLY;
	} else {
		/* Create it 0600 ourselves: SQLite would use the umask, and
		 * it gives the -wal and -shm files the database's mode. */
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0)
			return sfa_err_set(
			    err, errno == ENOENT ? SFA_EINPUT : SFA_EIO,
			    "cannot open store %s: %s", path, strerror(errno));
		close(fd);
		oflags = SQLITE_OPEN_READWRITE;
	}
	/* A handle is used by one thread at a time; without its mutex
	 * SQLite takes no lock per call, which a process with other threads
	 * (reports/hashwrite.c) pays as an atomic operation each time. */
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK)
		return sfa_store_sqlerr(st, err, "opening the store");
	sqlite3_extended_result_codes(st->db, 0);
	sqlite3_busy_timeout(st->db, BUSY_MS);
	return 0;
}

int sfa_store_open(sfa_store **out, const char *path, unsigned flags,
		   sfa_err *err)
{
	sfa_store *st;
	long long v;
	int rc;

	*out = NULL;
	if ((rc = check_objects(err)))
		return rc;
	st = calloc(1, sizeof(*st));
	if (!st || !(st->path = strdup(path))) {
		free(st);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	st->flags = flags;
	if ((rc = open_db(st, path, flags, err)))
		goto fail;
	if ((rc = query_int(st, "PRAGMA user_version", 0, &v, err)))
		goto fail;
	if (v > SFA_STORE_VERSION) {
		rc = sfa_err_set(err, SFA_ESTORE,
				 "store %s has schema version %lld, newer than "
				 "this sfaccess understands (%d); upgrade "
				 "sfaccess",
				 path, v, SFA_STORE_VERSION);
		goto fail;
	}
	if (!(flags & SFA_STORE_READONLY)) {
		/* WAL: readers never block the writer, and a killed writer
		 * leaves the last committed state.  12 MB of page cache holds
		 * the inserts' working set (the tables' rightmost pages and
		 * the sfid index; the fetch of 200,000 users takes no more CPU
		 * than with 16); more only raises the peak RSS, since access
		 * sets are appended in user key order.  Sorts go to files, so
		 * the finish's sorts of the assignment and membership tables
		 * by user never sit in memory. */
		if ((rc = sfa_store_exec(
			 st,
			 "PRAGMA journal_mode = WAL;"
			 "PRAGMA synchronous = NORMAL;" SQL_STORE_CACHE ";"
			 "PRAGMA temp_store = FILE",
			 "opening the store", err)))
			goto fail;
		if (v < SFA_STORE_VERSION && (rc = migrate(st, err)))
			goto fail;
	} else if (v < SFA_STORE_VERSION) {
		/* A reading command upgrades an older store too, so that a new
		 * sfaccess never leaves `snapshots` or `report` refusing a
		 * store until the next sync. */
		sfa_store *rw = NULL;

		sfa_store_free(st);
		if ((rc = sfa_store_open(&rw, path, flags & ~SFA_STORE_READONLY,
					 err)))
			return rc;
		sfa_store_free(rw);
		return sfa_store_open(out, path, flags, err);
	}
	if ((rc = sfa_store_exec(st, "PRAGMA foreign_keys = ON",
				 "opening the store", err)))
		goto fail;
	*out = st;
	return 0;
fail:
	sfa_store_free(st);
	return rc;
}

void sfa_store_free(sfa_store *st)
{
	int o;

	if (!st)
		return;
	if (st->snap)
		sfa_store_abort_snapshot(st, "store closed during the sync");
	for (o = 0; o < SFA_OBJ_COUNT; o++)
		sqlite3_finalize(st->ins[o]);
	sqlite3_finalize(st->sfid_get);
	sqlite3_finalize(st->sfid_put);
	sqlite3_finalize(st->left_out_put);
	sfa_store_field_names_free(st);
	sqlite3_close(st->db);
	sfa_sfid_cache_free(st->cache);
	free(st->path);
	free(st);
}

/* ---- writing ---- */

static int prepare_writers(sfa_store *st, sfa_err *err)
{
	int o;

	if (!st->cache && !(st->cache = sfa_sfid_cache_new()))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	/* The cache may hold keys of a rolled-back snapshot: start empty. */
	sfa_sfid_cache_clear(st->cache);
	for (o = 0; o < SFA_OBJ_COUNT; o++)
		if (sfa_obj_get((sfa_obj)o)->nfields > SFA_STORE_MAX_FIELDS)
			return sfa_err_set(err, SFA_EINTERNAL,
					   "store: %s has more fields than "
					   "SFA_STORE_MAX_FIELDS",
					   sfa_obj_get((sfa_obj)o)->sobject);
	for (o = 0; o < SFA_OBJ_COUNT; o++)
		if (!st->ins[o] && sqlite3_prepare_v3(st->db, raw[o].insert, -1,
						      SQLITE_PREPARE_PERSISTENT,
						      &st->ins[o], NULL))
			return sfa_store_sqlerr(st, err, "preparing inserts");
	if (!st->sfid_get &&
	    sqlite3_prepare_v3(st->db, SQL_SFID_GET, -1,
			       SQLITE_PREPARE_PERSISTENT, &st->sfid_get, NULL))
		return sfa_store_sqlerr(st, err, "preparing inserts");
	if (!st->sfid_put &&
	    sqlite3_prepare_v3(st->db, SQL_SFID_PUT, -1,
			       SQLITE_PREPARE_PERSISTENT, &st->sfid_put, NULL))
		return sfa_store_sqlerr(st, err, "preparing inserts");
	return 0;
}

int sfa_store_begin_snapshot(sfa_store *st, const char *org_id,
			     const char *api_version, const char *options_json,
			     long long *id_out, sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (st->flags & SFA_STORE_READONLY)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "store %s is open read-only", st->path);
	if (st->snap)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "a snapshot is already open");
	if (!org_id || !api_version)
		return sfa_err_set(
		    err, SFA_EINPUT,
		    "a snapshot needs an org id and API version");
	if ((rc = prepare_writers(st, err)))
		return rc;
	if ((rc = sfa_store_prep(st, SQL_SNAPSHOT_BEGIN, 0, &s,
				 "starting a snapshot", err)))
		return rc;
	sqlite3_bind_text(s, 1, org_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, api_version, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, options_json ? options_json : "{}", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(s, 4, st->now, -1, SQLITE_STATIC);
	if ((rc = sfa_store_run(st, s, "starting a snapshot", err)))
		return rc;
	/* The 'incomplete' row is committed; from here on a failure or a
	 * kill loses only the data transaction. */
	st->snap = sqlite3_last_insert_rowid(st->db);
	memset(st->stored, 0, sizeof(st->stored));
	/* Every data row references the snapshot row just committed, so the
	 * per-row foreign key check is pure cost (a fifth of put()); it is
	 * back on at commit or rollback (foreign_keys cannot change inside a
	 * transaction, so this must come before BEGIN). */
	if ((rc = sfa_store_exec(st, "PRAGMA foreign_keys = OFF",
				 "starting a snapshot", err)) ||
	    (rc = sfa_store_exec(st, "BEGIN IMMEDIATE", "starting a snapshot",
				 err))) {
		sfa_store_abort_snapshot(st, err ? err->msg : "BEGIN failed");
		return rc;
	}
	if (id_out)
		*id_out = st->snap;
	return 0;
}

/* Adds id (n bytes) to sfid unless it is there: *added says which, and
 * *out is the new key when it was added. */
static int sfid_add(sfa_store *st, const char *id, size_t n, int *added,
		    sqlite3_int64 *out, sfa_err *err)
{
	int rc;

	sqlite3_bind_text(st->sfid_put, 1, id, (int)n, SQLITE_STATIC);
	rc = sqlite3_step(st->sfid_put);
	sqlite3_reset(st->sfid_put);
	if (rc != SQLITE_DONE)
		return sfa_store_sqlerr(st, err, "storing an id");
	if ((*added = sqlite3_changes(st->db) > 0))
		*out = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* Looks id (n bytes) up in sfid: *found says whether it is there, and
 * *out is its key when it is. */
static int sfid_find(sfa_store *st, const char *id, size_t n, int *found,
		     sqlite3_int64 *out, sfa_err *err)
{
	int rc;

	sqlite3_bind_text(st->sfid_get, 1, id, (int)n, SQLITE_STATIC);
	rc = sqlite3_step(st->sfid_get);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st->sfid_get, 0);
	sqlite3_reset(st->sfid_get);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sfa_store_sqlerr(st, err, "looking up an id");
	*found = rc == SQLITE_ROW;
	return 0;
}

/* The integer key of Salesforce id `id`, adding it to sfid when new.
 *
 * *likely_new, one per object field, says whether to try adding the id
 * before looking it up, and learns the outcome.  A field's ids come in
 * runs: a scan's own record ids are all new in a store's first sync and
 * all known in the next.  So the last outcome predicts the next, and a new
 * id costs one insert instead of a failed lookup and the insert (a
 * quarter of storing a record), a known id one lookup.
 *
 * Ids no other record refers to (cached == 0: OAuth token ids, which
 * only access rows name) stay out of the cache, where they would only
 * push out the user, group and permission set ids that are met again. */
int sfa_store_intern(sfa_store *st, const char *id, int cached,
		     unsigned char *likely_new, sqlite3_int64 *out,
		     sfa_err *err)
{
	size_t n = strlen(id);
	sfa_sfid_ref ref = {0, 0, 0, 0};
	long long key;
	int rc, added = 0, found = 0;

	if (cached && sfa_sfid_cache_get(st->cache, id, n, &ref, &key)) {
		*out = key;
		return 0;
	}
	if (*likely_new) {
		if ((rc = sfid_add(st, id, n, &added, out, err)) ||
		    (!added && (rc = sfid_find(st, id, n, &found, out, err))))
			return rc;
	} else if ((rc = sfid_find(st, id, n, &found, out, err)) ||
		   (!found && (rc = sfid_add(st, id, n, &added, out, err))))
		return rc;
	if (!added && !found)
		return sfa_err_set(err, SFA_ESTORE,
				   "storing an id: neither added nor found "
				   "(store %s)",
				   st->path);
	*likely_new = (unsigned char)added;
	sfa_sfid_cache_put(st->cache, &ref, *out);
	return 0;
}

static int bind_value(sfa_store *st, sqlite3_stmt *s, int col, enum column kind,
		      const char *v, unsigned char *likely_new, sfa_err *err)
{
	sqlite3_int64 key = 0;
	int rc;

	if (!v)
		return sqlite3_bind_null(s, col) == SQLITE_OK ? 0 : SFA_ESTORE;
	switch (kind) {
	case COL_ID:
	case COL_OWN_ID:
		if ((rc = sfa_store_intern(st, v, kind == COL_ID, likely_new,
					   &key, err)))
			return rc;
		sqlite3_bind_int64(s, col, key);
		return 0;
	case COL_FIELD:
		if ((rc = sfa_store_field_number(st, v, &key, err)))
			return rc;
		sqlite3_bind_int64(s, col, key);
		return 0;
	case COL_BOOL:
		if (strcmp(v, "true") == 0)
			sqlite3_bind_int(s, col, 1);
		else if (strcmp(v, "false") == 0)
			sqlite3_bind_int(s, col, 0);
		else
			return sfa_err_set(err, SFA_EINPUT,
					   "expected true or false, got "
					   "'%.40s'",
					   v);
		return 0;
	case COL_OWN_TEXT:
	case COL_NUMBER:
	case COL_TEXT:
		break;
	}
	sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC);
	return 0;
}

int sfa_store_put_left_out(sfa_store *st, const char *user_id,
			   const char *username, const char *user_type,
			   sfa_left_out reason, sfa_err *err)
{
	static const char *const reasons[] = {"non_standard", "deactivated"};
	sqlite3_stmt *s;

	if (!st->snap)
		return sfa_err_set(err, SFA_EINTERNAL, "no snapshot is open");
	if (!st->left_out_put &&
	    sqlite3_prepare_v2(st->db, SQL_INS_LEFT_OUT, -1, &st->left_out_put,
			       NULL) != SQLITE_OK)
		return sfa_store_sqlerr(st, err, "recording a left-out user");
	s = st->left_out_put;
	sqlite3_bind_int64(s, 1, st->snap);
	sqlite3_bind_text(s, 2, user_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, user_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, reasons[reason], -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_reset(s);
		return sfa_store_sqlerr(st, err, "recording a left-out user");
	}
	sqlite3_reset(s);
	return 0;
}

int sfa_store_put(sfa_store *st, sfa_obj obj, const char *const *vals,
		  sfa_err *err)
{
	const sfa_obj_def *def;
	sqlite3_stmt *s;
	size_t i;
	int rc;

	if (!st->snap)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "store: put without an open snapshot");
	if ((unsigned)obj >= SFA_OBJ_COUNT || !vals)
		return sfa_err_set(err, SFA_EINTERNAL, "store: bad put");
	def = sfa_obj_get(obj);
	s = st->ins[obj];
	sqlite3_bind_int64(s, 1, st->snap);
	for (i = 0; i < def->nfields; i++)
		if ((rc = bind_value(st, s, (int)i + 2, raw[obj].cols[i],
				     vals[i], &st->likely_new[obj][i], err))) {
			sfa_err_where(err, "%s.%s", def->sobject,
				      def->fields[i]);
			return rc;
		}
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = sfa_store_sqlerr(st, err, "storing a record");
		sfa_err_where(err, "%s %s", def->sobject,
			      vals[0] ? vals[0] : "(no Id)");
		return rc;
	}
	st->stored[obj] += sqlite3_changes(st->db);
	return 0;
}

long long sfa_store_stored(const sfa_store *st, sfa_obj obj)
{
	return (unsigned)obj < SFA_OBJ_COUNT ? st->stored[obj] : 0;
}

void sfa_store_end_puts(sfa_store *st)
{
	sfa_sfid_cache_free(st->cache);
	st->cache = NULL;
}

int sfa_store_count(sfa_store *st, long long *n_users, long long *n_access,
		    sfa_err *err)
{
	int rc;

	if (!st->snap)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "store: count without an open snapshot");
	if ((rc = query_int(st, SQL_COUNT_USERS, st->snap, n_users, err)))
		return rc;
	return query_int(st, SQL_COUNT_ACCESS, st->snap, n_access, err);
}

int sfa_store_commit_snapshot(sfa_store *st, const sfa_snapshot_totals *t,
			      sfa_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (!st->snap)
		return sfa_err_set(err, SFA_EINTERNAL,
				   "store: commit without an open snapshot");
	if ((rc = sfa_store_prep(st, SQL_SNAPSHOT_FINISH, st->snap, &s,
				 "finishing the snapshot", err)))
		return rc;
	sqlite3_bind_text(s, 2, st->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, t->content_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, t->n_users);
	sqlite3_bind_int64(s, 5, t->n_resources);
	sqlite3_bind_int64(s, 6, t->n_access);
	sqlite3_bind_int64(s, 7, t->api_requests);
	if ((rc = sfa_store_run(st, s, "finishing the snapshot", err)) ||
	    (rc = sfa_store_exec(st, "COMMIT", "committing the snapshot", err)))
		return rc;
	st->snap = 0;
	return sfa_store_exec(st, "PRAGMA foreign_keys = ON",
			      "finishing the snapshot", err);
}

long long sfa_store_writing(const sfa_store *st)
{
	return st->snap;
}

const char *sfa_store_pinned_now(const sfa_store *st)
{
	return st->now;
}

sqlite3 *sfa_store_sqlite(sfa_store *st)
{
	return st->db;
}

void sfa_store_abort_snapshot(sfa_store *st, const char *why)
{
	sqlite3_stmt *s;

	if (!st || !st->snap)
		return;
	sfa_store_field_names_free(st); /* numbers of rolled-back rows */
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	/* Recording why is best effort: the row says 'incomplete' anyway. */
	if (sqlite3_prepare_v2(st->db, SQL_SNAPSHOT_ERROR, -1, &s, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_int64(s, 1, st->snap);
		sqlite3_bind_text(s, 2, why ? why : "aborted", -1,
				  SQLITE_STATIC);
		sqlite3_step(s);
		sqlite3_finalize(s);
	}
	st->snap = 0;
}
