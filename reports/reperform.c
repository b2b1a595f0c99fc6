/*
 * reperform.c - writing a report run's files again and comparing them
 * (report_reperform.h).
 */
#include "report_reperform.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "report_changes.h"
#include "report_files.h"
#include "report_manifest.h"
#include "snapinfo.h"

/* The first offset where files a and b differ, -1 when they are the same;
 * -2 when one cannot be read. */
static long long first_difference(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	unsigned char ba[65536], bb[65536];
	long long at = 0, diff = -1;

	if (!fa || !fb) {
		if (fa)
			fclose(fa);
		if (fb)
			fclose(fb);
		return -2;
	}
	for (;;) {
		size_t na = fread(ba, 1, sizeof(ba), fa);
		size_t nb = fread(bb, 1, sizeof(bb), fb);
		size_t i, m = na < nb ? na : nb;

		for (i = 0; i < m && ba[i] == bb[i]; i++)
			;
		if (i < m || na != nb) {
			diff = at + (long long)i;
			break;
		}
		if (na == 0)
			break;
		at += (long long)na;
	}
	fclose(fa);
	fclose(fb);
	return diff;
}

/* The manifest's snapshot of role, checked against the store: the same
 * content hash, or diff says why not.  *id 0 when the role is absent. */
static int snapshot_of(json_t *man, const char *role, sfa_store *st,
		       long long *id, char *diff, size_t n, sfa_err *err)
{
	json_t *snaps = json_object_get(man, "snapshots"), *s = NULL;
	sfa_snapinfo si = {0};
	const char *want;
	size_t i;
	int rc;

	*id = 0;
	json_array_foreach(snaps, i, s)
	{
		const char *r = json_string_value(json_object_get(s, "role"));

		if (r && strcmp(r, role) == 0)
			break;
	}
	if (!s || i == json_array_size(snaps))
		return 0;
	*id = json_integer_value(json_object_get(s, "id"));
	want = json_string_value(json_object_get(s, "content_hash"));
	rc = sfa_snapinfo_load(&si, st, *id, err);
	if (rc == SFA_ENOTFOUND) {
		snprintf(diff, n, "snapshot %lld (%s) is not in the store", *id,
			 role);
		sfa_err_clear(err);
		rc = 0;
	} else if (rc == 0 && (!want || !si.content_hash ||
			       strcmp(want, si.content_hash) != 0)) {
		snprintf(diff, n,
			 "snapshot %lld (%s) in the store has content hash "
			 "%.16s..., the package was made from %.16s...",
			 *id, role,
			 si.content_hash ? si.content_hash : "(none)",
			 want ? want : "(none)");
	}
	sfa_snapinfo_clear(&si);
	return rc;
}

/* Writes every listed file into tmp and compares it with dir's. */
static int compare_all(json_t *man, const char *report, sfa_report_ctx *c,
		       const char *dir, const char *tmp, char *diff, size_t n,
		       int *nfiles, sfa_err *err)
{
	json_t *files = json_object_get(man, "files"), *f;
	size_t i;
	int rc = 0;

	json_array_foreach(files, i, f)
	{
		const char *name =
		    json_string_value(json_object_get(f, "name"));
		const sfa_report_file *rf =
		    name ? sfa_report_file_find(report, name) : NULL;
		char a[4096], b[4096];
		long long rows, at;

		if (!rf) {
			snprintf(diff, n,
				 "%s: sfaccess does not write such a file in a "
				 "%s report",
				 name ? name : "(unnamed)", report);
			return 0;
		}
		if ((rc = sfa_report_file_write(rf, c, tmp, NULL, &rows, err)))
			return rc;
		if (snprintf(a, sizeof(a), "%s/%s", dir, name) >=
			(int)sizeof(a) ||
		    snprintf(b, sizeof(b), "%s/%s", tmp, name) >=
			(int)sizeof(b)) {
			snprintf(diff, n, "%s: its path is too long", name);
			return 0;
		}
		at = first_difference(a, b);
		remove(b);
		if (at == -2) {
			snprintf(diff, n, "%s: cannot be read", name);
			return 0;
		}
		if (at >= 0) {
			snprintf(diff, n, "%s differs from byte %lld", name,
				 at);
			return 0;
		}
		(*nfiles)++;
	}
	return 0;
}

int sfa_reperform(const char *dir, sfa_store *st, char *diff, size_t n,
		  int *nfiles, sfa_err *err)
{
	char mpath[4096], tmp[4096];
	const char *report, *tdir = getenv("TMPDIR"), *approved;
	json_t *man;
	json_error_t je;
	sfa_report_ctx c;
	sfa_diff *d = NULL;
	sfa_approvals *ap = NULL;
	long long id = 0, from = 0, to = 0;
	int rc;

	diff[0] = '\0';
	*nfiles = 0;
	memset(&c, 0, sizeof(c));
	snprintf(mpath, sizeof(mpath), "%s/%s", dir, SFA_MANIFEST_NAME);
	if (!(man = json_load_file(mpath, 0, &je)))
		return sfa_err_set(err, SFA_ENOTFOUND, "cannot read %s: %s",
				   mpath, je.text);
	report = json_string_value(json_object_get(man, "report"));
	if (!report || !sfa_report_files(report, &rc)) {
		json_decref(man);
		return sfa_err_set(err, SFA_EINPUT,
				   "%s: \"report\" is not a report sfaccess "
				   "writes",
				   mpath);
	}
	if ((rc = snapshot_of(man, "reviewed", st, &id, diff, n, err)) ||
	    diff[0] ||
	    (rc = snapshot_of(man, "from", st, &from, diff, n, err)) ||
	    diff[0] || (rc = snapshot_of(man, "to", st, &to, diff, n, err)) ||
	    diff[0])
		goto out;
	if ((rc = sfa_report_ctx_init(&c, st, id ? id : to, err)))
		goto out;
	/* The permission files, ranked as the run that wrote them did. */
	if (json_object_get(man, "permissions")) {
		sfa_report_perm_opts po;

		sfa_report_perm_opts_read(man, &po);
		if ((rc = sfa_report_ctx_open_perm(&c, &po, err)))
			goto out;
	}
	if (from && to && (rc = sfa_diff_open(&d, st, from, to, err)))
		goto out;
	approved = json_string_value(json_object_get(man, "approved_file"));
	if (d && approved) {
		if ((rc = sfa_approvals_load(&ap, st, d, approved, err))) {
			sfa_err_prefix(err,
				       "cannot re-perform the check against "
				       "the --approved file");
			goto out;
		}
	}
	c.diff = d;
	c.from = d ? from : 0;
	c.approved = ap;
	snprintf(tmp, sizeof(tmp), "%s/sfaccess-reperform.XXXXXX",
		 tdir && *tdir ? tdir : "/tmp");
	if (!mkdtemp(tmp)) {
		rc = sfa_err_set(err, SFA_EIO, "cannot make %s: %s", tmp,
				 strerror(errno));
		goto out;
	}
	rc = compare_all(man, report, &c, dir, tmp, diff, n, nfiles, err);
	rmdir(tmp);
out:
	sfa_report_ctx_close_perm(&c);
	sfa_approvals_free(ap);
	sfa_diff_free(d);
	json_decref(man);
	return rc;
}
