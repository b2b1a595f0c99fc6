/*
 * fetch_logins.h - copying LoginHistory into the store's append-only
 * table (POLICY.md "Login activity"): only the rows after the newest one
 * held, or the last `days` days the first time.  Its own REST query,
 * after the snapshot: it costs its pages only.
 */
#ifndef SFA_FETCH_LOGINS_H
#define SFA_FETCH_LOGINS_H

#include "err.h"
#include "sf.h"
#include "store.h"

/* The default of --login-history-days. */
#define SFA_LOGIN_HISTORY_DAYS 90

typedef struct sfa_login_sync_stats {
	long long fetched; /* rows Salesforce returned */
	long long stored;  /* rows held for the org afterwards */
	long requests;	   /* API requests spent */
	char since[21];	   /* the LoginTime the query started from */
	/* When the org refused LoginHistory (its error code, and its
	 * message): nothing was copied, and the call still succeeded. */
	char denied[64];
	char denied_msg[1024];
} sfa_login_sync_stats;

/* Copies sf's org's LoginHistory into st (sf logged in).  now (UTC ISO
 * 8601, NULL for the clock) fixes the first sync's window of `days`.
 * All rows are stored, whatever their Status; readers keep the
 * successful ones (Salesforce cannot filter on Status).  An org that
 * refuses the object (the sync user lacks Manage Users, or the org has
 * no LoginHistory) is no failure of the sync: stats->denied says so. */
int sfa_fetch_login_history(sfa_sf *sf, sfa_store *st, int days,
			    const char *now, sfa_login_sync_stats *stats,
			    sfa_err *err);

#endif
