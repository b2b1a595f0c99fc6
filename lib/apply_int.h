/*
 * apply_int.h - what the apply engine's files share: the handle, the
 * resolver (apply_resolve.c) and the operations (apply_ops.c).  Nothing
 * outside lib/apply*.c includes this.
 */
#ifndef SFA_APPLY_INT_H
#define SFA_APPLY_INT_H

#include "apply.h"

struct sfa_apply {
	sfa_sf *sf;
	const sfa_changefile *cf;
	const sfa_license_map *map;
	sfa_apply_op *ops; /* execution order */
	size_t n;
};

/* Fills the resolved fields of every op; problems go to probs. */
int sfa_apply_resolve(struct sfa_apply *a, sfa_problems *probs, sfa_err *err);

/* Performs one operation against the org: sets op->outcome (done,
 * already or failed, with op->err), op->record_id and op->note. */
void sfa_apply_perform(struct sfa_apply *a, sfa_apply_op *op);

/* Ids compare on their case-sensitive 15-character form. */
int sfa_apply_same_id(const char *a, const char *b);

/* Copies an id from a JSON string (or "" when not one). */
void sfa_apply_copy_id(char dst[19], const json_t *v);

#endif
