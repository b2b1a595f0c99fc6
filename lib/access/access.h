/*
 * access.h - the access model: deriving a snapshot's effective access rows
 * (lib/access/ACCESS-MODEL.md rules 1-9) from its raw records at finish time.
 */
#ifndef SFA_ACCESS_H
#define SFA_ACCESS_H

#include "access_set.h"
#include "err.h"
#include "store.h"

/* Inside the open snapshot's transaction: drops raw rows of users the sync
 * left out, stores each user's rows by rules 1-9 as an access set and
 * sets first_seen_at.
 * On failure the caller rolls the snapshot back. */
int sfa_access_derive(sfa_store *st, sfa_err *err);

/* Applies rules 1-9 to the open snapshot, storing each user's rows with w
 * (access_rules.c, for sfa_access_derive()). */
int sfa_access_rules_run(sfa_store *st, sfa_access_writer *w, sfa_err *err);

#endif
