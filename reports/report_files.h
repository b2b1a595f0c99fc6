/*
 * report_files.h - every file a report run can write, by report and name,
 * with its writer: `report` writes them, `verify --store` writes them again
 * to compare (EVIDENCE.md, Re-performance).  One table, so that the two
 * can never write a file differently.
 */
#ifndef SFA_REPORT_FILES_H
#define SFA_REPORT_FILES_H

#include <jansson.h>
#include <stdio.h>

#include "diff.h"
#include "err.h"
#include "perm.h"
#include "report_changes.h"
#include "report_manifest.h"
#include "store.h"

/* What the permission files show (lib/access/PERMISSIONS.md, `report
 * permissions`): every effective row (all) or the privileged ones, of
 * one object or every one, with the configuration's [privileged] add
 * and ignore (NULL for none).  The manifest records them
 * ("permissions"), so that verify --store ranks the rows the same. */
typedef struct sfa_report_perm_opts {
	int all;
	const char *object, *priv_add, *priv_ignore;
} sfa_report_perm_opts;

/* What a writer reads.  Nothing in it depends on when or where the
 * report runs: the JUnit hostname is the machine that took the snapshot
 * (its provenance), so a file written again anywhere is the same. */
typedef struct sfa_report_ctx {
	sfa_store *st;
	long long id;	/* the reviewed snapshot, or the changes' "to" */
	long long from; /* the changes' "from", 0 when there are none */
	sfa_diff *diff; /* report changes; else NULL */
	const sfa_approvals *approved; /* report changes --approved, or NULL */
	char hostname[256];	       /* sfa_report_ctx_init() */
	long long findings; /* JUnit: failing testcases of the last file */
	/* The permission files: the engine on id (NULL when the snapshot
	 * holds no permissions: the files are not written) and what they
	 * show.  sfa_report_ctx_open_perm() sets them. */
	sfa_perm *perm;
	sfa_priv *priv;
	sfa_report_perm_opts perm_opts;
} sfa_report_ctx;

/* Sets c->st, c->id and the hostname from snapshot id's provenance
 * ("localhost" when it has none); the rest zeroed. */
int sfa_report_ctx_init(sfa_report_ctx *c, sfa_store *st, long long id,
			sfa_err *err);

/* Opens the permission engine on c->id with o's list (o is copied; its
 * strings are borrowed and must outlive c).  A snapshot without
 * permissions leaves c->perm NULL and returns 0; a malformed [privileged]
 * item is SFA_EINPUT.  sfa_report_ctx_close_perm() frees both. */
int sfa_report_ctx_open_perm(sfa_report_ctx *c, const sfa_report_perm_opts *o,
			     sfa_err *err);
void sfa_report_ctx_close_perm(sfa_report_ctx *c);

/* o as the manifest records it, and back (borrowing from man). */
int sfa_report_perm_opts_record(sfa_manifest *m, const sfa_report_perm_opts *o,
				sfa_err *err);
void sfa_report_perm_opts_read(json_t *man, sfa_report_perm_opts *o);

/* A writer that hashes what it writes fills *d; the others leave it. */
typedef int (*sfa_report_write_fn)(sfa_report_ctx *c, FILE *f, long long *rows,
				   sfa_file_digest *d, sfa_err *err);

typedef struct sfa_report_file {
	const char *report; /* the manifest's "report": "access_review", ... */
	const char *format; /* the --format value: "csv", "html", ... */
	const char *name;   /* the file name */
	const char *rows_noun; /* what its row count counts */
	sfa_report_write_fn write;
} sfa_report_file;

/* The evidence package's own files (evidence_files.c). */
int sfa_evidence_control_csv(sfa_report_ctx *c, FILE *f, long long *rows,
			     sfa_file_digest *d, sfa_err *err);
int sfa_evidence_control_json(sfa_report_ctx *c, FILE *f, long long *rows,
			      sfa_file_digest *d, sfa_err *err);
int sfa_evidence_recon_csv(sfa_report_ctx *c, FILE *f, long long *rows,
			   sfa_file_digest *d, sfa_err *err);
int sfa_evidence_recon_json(sfa_report_ctx *c, FILE *f, long long *rows,
			    sfa_file_digest *d, sfa_err *err);
int sfa_evidence_provenance_csv(sfa_report_ctx *c, FILE *f, long long *rows,
				sfa_file_digest *d, sfa_err *err);
int sfa_evidence_provenance_json(sfa_report_ctx *c, FILE *f, long long *rows,
				 sfa_file_digest *d, sfa_err *err);
int sfa_evidence_readme(sfa_report_ctx *c, FILE *f, long long *rows,
			sfa_file_digest *d, sfa_err *err);

/* The files of report (in the order they are written), *n of them. */
const sfa_report_file *sfa_report_files(const char *report, int *n);

/* The file name of report, or NULL when the report writes no such file. */
const sfa_report_file *sfa_report_file_find(const char *report,
					    const char *name);

/* Writes one file into dir (removed again when writing fails) and adds it
 * to the manifest m when m is not NULL; *rows gets its row count. */
int sfa_report_file_write(const sfa_report_file *rf, sfa_report_ctx *c,
			  const char *dir, sfa_manifest *m, long long *rows,
			  sfa_err *err);

#endif
