/*
 * review.h - the access review's checks, shared by the HTML summary and the
 * JUnit suites so that both count the same findings.  A check looks at one
 * access row at a time; the privileged permission sets and profiles are
 * loaded once per snapshot from the resources' privileged flags.
 */
#ifndef SFA_REVIEW_H
#define SFA_REVIEW_H

#include "err.h"
#include "store.h"

/* Why a row deserves a reviewer's attention (bits of the row's flags). */
enum {
	SFA_REVIEW_INACTIVE = 0x01,   /* inactive user, access beyond profile */
	SFA_REVIEW_FROZEN = 0x02,     /* frozen user, access beyond profile */
	SFA_REVIEW_EXPIRED = 0x04,    /* expires_at before the capture time */
	SFA_REVIEW_PRIVILEGED = 0x08, /* a privileged permission (any tier) */
	SFA_REVIEW_NONSTANDARD = 0x10, /* user_type is not Standard */
	/* SFA_REVIEW_TIER0 << t: privileged at tier t (0-4) of the list
	 * (lib/access/PERMISSIONS.md); set with SFA_REVIEW_PRIVILEGED. */
	SFA_REVIEW_TIER0 = 0x20,
	/* the row's permission set group (its access or its path) has a
	 * Status other than Updated: its aggregate may lag
	 * (lib/access/PERMISSIONS.md, Sources) */
	SFA_REVIEW_OUTDATED = 0x400
};
#define SFA_REVIEW_TIERS 5

/* The checks, in the order the JUnit report writes them. */
typedef struct sfa_review_check {
	unsigned flag;
	const char *name;    /* "inactive-user-with-access" */
	const char *summary; /* what a finding means, one line */
	int per_user;	     /* one finding per user rather than per row */
} sfa_review_check;

extern const sfa_review_check sfa_review_checks[];
extern const int sfa_review_nchecks;

typedef struct sfa_review sfa_review;

/* Privileged rows are the access review's rows of type system_permission
 * and object_permission (lib/access/PERMISSIONS.md), each with its tier.  A
 * snapshot synced without permissions has none; for it the privileged flags of
 * its permission sets and profiles (lib/access/ACCESS-MODEL.md "Resources")
 * mark their rows, at the tier of the flag's permission.  Loads those.  *out is
 * owned by the caller and released with sfa_review_free(). */
int sfa_review_new(sfa_review **out, sfa_store *st, long long snapshot_id,
		   sfa_err *err);
void sfa_review_free(sfa_review *rv);

/* The SFA_REVIEW_* bits that apply to row r. */
unsigned sfa_review_flags(const sfa_review *rv, const sfa_access_row *r);

/* The privileged permissions an access item carries, as a label such as
 * "Modify All Data, View All Data" (owned by rv), or NULL when none. */
const char *sfa_review_privileges(const sfa_review *rv, const char *access_type,
				  const char *access_id);

/* Space-separated names of the flags ("privileged expired"), written into
 * out (at least 96 bytes); "" when none. */
void sfa_review_flag_names(unsigned flags, char *out, size_t n);

#endif
