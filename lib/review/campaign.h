/*
 * campaign.h - review campaigns (REVIEW.md): a campaign issues each access
 * row of a snapshot to one reviewer (routing), takes the decisions back
 * from the returned workbooks (collect), reports completion (status) and
 * is frozen at the end (close).  The workbooks themselves are written by
 * reports/workbook.h; this module keeps what was issued and decided.
 *
 * Every row issued carries a token: HMAC-SHA256 under a secret the
 * campaign keeps in the store, over the row's key and its reviewer.  A
 * returned row is accepted only when its token is one issued to the file's
 * reviewer and its cells are the cells that were issued.
 */
#ifndef SFA_CAMPAIGN_H
#define SFA_CAMPAIGN_H

#include "changefile.h"
#include "err.h"
#include "store.h"

/* The columns of the Review sheet (and of the campaign CSV), in order. */
enum {
	SFA_CC_USERNAME,
	SFA_CC_USER_ID,
	SFA_CC_NAME,
	SFA_CC_STATUS,
	SFA_CC_LAST_LOGIN_AT,
	SFA_CC_ACCESS_TYPE,
	SFA_CC_ACCESS_ID,
	SFA_CC_ACCESS_NAME,
	SFA_CC_VIA_TYPE,
	SFA_CC_VIA_ID,
	SFA_CC_VIA_NAME,
	SFA_CC_TIER,
	SFA_CC_EXPIRES_AT,
	SFA_CC_DECISION,
	SFA_CC_COMMENT,
	SFA_CC_ROW_TOKEN,
	SFA_CC_NCOLS
};
/* The cells a reviewer may not change: everything before decision. */
#define SFA_CC_NLOCKED SFA_CC_DECISION

extern const char *const sfa_campaign_columns[SFA_CC_NCOLS];

/* One owner mapping of [review.owners]: key is "permission_set:Name",
 * "group:DeveloperName", "profile:Name", "connected_app:Name" or "*". */
typedef struct sfa_campaign_owner {
	const char *key, *reviewer;
} sfa_campaign_owner;

/* What `review start` asks for.  Strings are borrowed for the call. */
typedef struct sfa_campaign_spec {
	long long snapshot_id; /* a complete snapshot */
	const char *name;      /* NULL: "review of snapshot N" */
	const char *routing;   /* "manager" or "owner" */
	const char *due;       /* deadline for the Instructions, or NULL */
	const char *fallback;  /* [review] fallback, or NULL */
	const char *escalation; /* [review] escalation, or NULL */
	const sfa_campaign_owner *owners; /* [review.owners] */
	size_t nowners;
	int privileged_only;
	const char *const *access_types; /* NULL: every access type */
	size_t naccess_types;
	long long changed_since; /* 0: every row, else rows added since */
	/* 0: no inherited rows (sfa_access_filter's skip_inherited,
	 * REVIEW.md "Start"); 1: those too. */
	int include_inherited;
} sfa_campaign_spec;

/* Creates the campaign and issues its rows in one transaction: on any
 * error nothing is stored.  Bad input (a fallback or escalation reviewer
 * or an owner reviewer who is not a user of the snapshot, an owner key
 * naming no resource, rows that only their own user could review with no
 * distinct escalation reviewer, rows with no owner and no `*`, a
 * reviewer with more rows than a worksheet holds) is SFA_EINPUT with the
 * users or keys named in err.  Only access rows are issued, not the
 * permission engine's privileged rows (system_permission,
 * object_permission).   *id_out gets the new
 * campaign's id. */
int sfa_campaign_start(sfa_store *st, const sfa_campaign_spec *spec,
		       long long *id_out, sfa_err *err);

typedef struct sfa_campaign_info {
	long long id, snapshot_id;
	const char *name, *snapshot_hash, *org_id, *created_at, *routing,
	    *scope, *due, *state, *closed_at;
} sfa_campaign_info;

typedef int (*sfa_campaign_info_fn)(void *ud, const sfa_campaign_info *c);

/* Campaign id (SFA_ENOTFOUND, as bad input, when there is none). */
int sfa_campaign_get(sfa_store *st, long long id, sfa_campaign_info_fn fn,
		     void *ud, sfa_err *err);

/* One issued row with its current decision (decision, comment empty
 * while pending).  Strings borrowed for the call. */
typedef struct sfa_campaign_row {
	long long seq;
	const char *reviewer;
	const char *cell[SFA_CC_NCOLS];
	const char *decided_by, *collected_at, *file_sha256; /* "" pending */
} sfa_campaign_row;

typedef int (*sfa_campaign_row_fn)(void *ud, const sfa_campaign_row *r);

/* The rows issued to reviewer (NULL: every row), in issue order. */
int sfa_campaign_each_row(sfa_store *st, long long id, const char *reviewer,
			  sfa_campaign_row_fn fn, void *ud, sfa_err *err);

/* Completion of one reviewer's rows. */
typedef struct sfa_campaign_status {
	const char *reviewer;
	long long rows, decided, keep, revoke, pending;
} sfa_campaign_status;

typedef int (*sfa_campaign_status_fn)(void *ud,
				      const sfa_campaign_status *s);

/* Per reviewer, by username. */
int sfa_campaign_each_status(sfa_store *st, long long id,
			     sfa_campaign_status_fn fn, void *ud,
			     sfa_err *err);

/* Counts of one reviewer's rows by access type and tier (the Overview
 * sheet), by access type then tier. */
typedef int (*sfa_campaign_count_fn)(void *ud, const char *access_type,
				     const char *tier, long long n);
int sfa_campaign_each_count(sfa_store *st, long long id, const char *reviewer,
			    sfa_campaign_count_fn fn, void *ud, sfa_err *err);

/* A refused row or a self-review decision that collect listed. */
typedef struct sfa_campaign_refusal {
	const char *kind; /* "refused" or "self-review" */
	const char *file_name, *file_sha256, *cell, *reason, *collected_at;
} sfa_campaign_refusal;

typedef int (*sfa_campaign_refusal_fn)(void *ud,
				       const sfa_campaign_refusal *r);
int sfa_campaign_each_refusal(sfa_store *st, long long id,
			      sfa_campaign_refusal_fn fn, void *ud,
			      sfa_err *err);

/* Freezes an open campaign at closed_at (UTC ISO 8601): collect refuses
 * it afterwards.  Closing a closed campaign is SFA_EINPUT. */
int sfa_campaign_close(sfa_store *st, long long id, const char *closed_at,
		       sfa_err *err);

/* UTC now as ISO 8601 seconds ("2026-12-07T05:00:00Z"). */
void sfa_campaign_now(char out[32]);

/* What collecting one file did. */
typedef struct sfa_collect_result {
	char sha256[65];
	char reviewer[256];
	int already;	    /* this file was collected before: nothing done */
	long long rows;	    /* data rows read */
	long long decided;  /* decisions recorded */
	sfa_problems refused; /* "alice.xlsx Review!K17: why", line 0 */
	sfa_problems self_review; /* the same form */
} sfa_collect_result;

void sfa_collect_result_free(sfa_collect_result *r);

/* Reads a returned workbook (.xlsx) or CSV of campaign id and records its
 * decisions in one transaction.  The file's reviewer is the one its
 * document properties name (`reviewer USERNAME` in the keywords) or, for
 * a CSV, its file name without `.csv`.  When res->refused or
 * res->self_review (a decision on the reviewer's own access) is not
 * empty, the file is refused: nothing of it was recorded but those
 * problems, for the campaign report.  A later file of the same reviewer
 * supersedes the earlier decisions (kept as history).  Errors: SFA_EINPUT for a
 * file that is not a campaign workbook, a closed or unknown campaign; SFA_EIO.
 */
int sfa_campaign_collect(sfa_store *st, long long id, const char *path,
			 sfa_collect_result *res, sfa_err *err);

/* The row token: 64 hex digits of HMAC-SHA256(secret) over the row key
 * and reviewer, each followed by a 0x1f unit separator. */
void sfa_campaign_token(const unsigned char *secret, size_t secret_len,
			long long snapshot_id, const char *user_id,
			const char *access_type, const char *access_id,
			const char *via_type, const char *via_id,
			const char *reviewer, char out[65]);

#endif
