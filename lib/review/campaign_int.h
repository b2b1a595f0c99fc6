/*
 * campaign_int.h - what the campaign's files share: the store side
 * (store_campaign.c) for routing (campaign_start.c) and collecting
 * (campaign_collect.c).  Nothing outside the campaign module includes it.
 */
#ifndef SFA_CAMPAIGN_INT_H
#define SFA_CAMPAIGN_INT_H

#include "campaign.h"

#define SFA_CAMPAIGN_SECRET_LEN 32

/* The users of snapshot snap: Id, Username, IsActive, ManagerId (NULL
 * when none).  Strings borrowed for the call. */
typedef int (*sfa_campaign_user_fn)(void *ud, const char *id,
				    const char *username, int is_active,
				    const char *manager_id);
int sfa_campaign_each_user(sfa_store *st, long long snap,
			   sfa_campaign_user_fn fn, void *ud, sfa_err *err);

/* ---- issuing: one transaction from begin to commit ---- */
typedef struct sfa_campaign_txn sfa_campaign_txn;

/* Begins a write transaction on st.  Statements are prepared on use.
 * Freed without a commit, everything is rolled back. */
int sfa_campaign_txn_begin(sfa_campaign_txn **out, sfa_store *st,
			   sfa_err *err);
int sfa_campaign_txn_commit(sfa_campaign_txn *t, sfa_err *err);
void sfa_campaign_txn_free(sfa_campaign_txn *t);

/* Inserts the campaign row; the secret is made here, kept in secret. */
int sfa_campaign_txn_create(sfa_campaign_txn *t, const sfa_campaign_spec *s,
			    const char *snapshot_hash, const char *org_id,
			    const char *scope,
			    unsigned char secret[SFA_CAMPAIGN_SECRET_LEN],
			    long long *id_out, sfa_err *err);
/* Issues a row: cells are the SFA_CC_NLOCKED issued cells. */
int sfa_campaign_txn_issue(sfa_campaign_txn *t, long long id, long long seq,
			   const char *reviewer, const char *token,
			   const char *const *cells, sfa_err *err);

/* Indexes the tokens of campaign id's rows, once all are issued. */
int sfa_campaign_txn_tokens(sfa_campaign_txn *t, long long id, sfa_err *err);

/* ---- collecting ---- */

/* The campaign's secret and whether it is open (SFA_ENOTFOUND when
 * there is no campaign id). */
int sfa_campaign_secret(sfa_store *st, long long id,
			unsigned char secret[SFA_CAMPAIGN_SECRET_LEN],
			long long *snapshot_id, int *open, sfa_err *err);
/* The issued row carrying token, to fn; *found 0 when none. */
int sfa_campaign_txn_find(sfa_campaign_txn *t, long long id,
			  const char *token, sfa_campaign_row_fn fn, void *ud,
			  int *found, sfa_err *err);
/* 1 in *seen when the file with this SHA-256 was collected. */
int sfa_campaign_txn_seen(sfa_campaign_txn *t, long long id,
			  const char *sha256, int *seen, sfa_err *err);
/* The reviewer's current decisions become history. */
int sfa_campaign_txn_supersede(sfa_campaign_txn *t, long long id,
			       const char *reviewer, sfa_err *err);
int sfa_campaign_txn_decide(sfa_campaign_txn *t, long long id, long long seq,
			    const char *reviewer, const char *decision,
			    const char *comment, const char *sha256,
			    const char *now, sfa_err *err);
int sfa_campaign_txn_refusal(sfa_campaign_txn *t, long long id,
			     const char *kind, const char *file_name,
			     const char *sha256, const char *cell,
			     long long seq, const char *reason,
			     const char *now, sfa_err *err);
int sfa_campaign_txn_file(sfa_campaign_txn *t, long long id,
			  const char *sha256, const char *file_name,
			  const char *reviewer, const char *now,
			  long long decided, sfa_err *err);

#endif
