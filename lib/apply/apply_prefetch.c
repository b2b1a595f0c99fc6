/*
 * apply_prefetch.c - the live state every pending operation starts from,
 * read just before execution in a few batched IN queries per sObject
 * (GroupMember, PermissionSetAssignment, User, and the entitlement
 * assignments of apply_ops.c) instead of one read per
 * operation.  A "fact" is the state of one key: a (user, group), (user,
 * permission set) or (user, permission set group) pair, or a user's
 * fields.  Operations on the same key share its fact; once one of them
 * sends a write the fact no longer describes the org, and the later ones
 * read live (apply_ops.c), as every retry does.
 */
#include "apply_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "soql.h"

/* Per query: at most this many Ids in each IN list, and this much SOQL.
 * An Id literal grows by a fifth in the URL ('%27'), so the URI stays
 * near 11 KB, below the 16 KB Salesforce accepts. */
#define PREFETCH_IDS 200
#define PREFETCH_BYTES 9000

/* Which part of a fact an operation writes: pairs have one. */
#define WROTE_PAIR 1u
#define WROTE_ROLE 1u
#define WROTE_PROFILE 2u
#define WROTE_STATUS 4u

typedef struct sfa_apply_fact {
	/* the key: SFA_RT_GROUP, _PERMISSION_SET or _PERMISSION_SET_GROUP
	 * with the resource, or SFA_RT_USER (res_id "") for User fields */
	sfa_rtype kind;
	char user_id[19];
	char res_id[19];
	int seen;	/* the query returned the user's record */
	int read;	/* s holds what the org answered */
	unsigned wrote; /* WROTE_*: written since it was read */
	sfa_apply_state s;
} sfa_apply_fact;

/* The sObject a fact is read from, in query order. */
static int object_of(sfa_rtype kind)
{
	switch (kind) {
	case SFA_RT_GROUP:
		return 0;
	case SFA_RT_PERMISSION_SET:
	case SFA_RT_PERMISSION_SET_GROUP:
		return 1;
	case SFA_RT_PERMISSION_SET_LICENSE:
	case SFA_RT_PACKAGE_LICENSE:
	case SFA_RT_TERRITORY:
		return 3 + (int)kind; /* one sObject each */
	default:
		return 2;
	}
}

/* Ids compare on their case-sensitive 15-character form, as
 * sfa_apply_same_id(). */
static int cmp_id(const char *a, const char *b)
{
	return strncmp(a, b, 15);
}

/* By sObject, then user (so one query's facts are contiguous and its
 * users come sorted), then kind and resource. */
static int cmp_fact(const void *pa, const void *pb)
{
	const sfa_apply_fact *a = pa, *b = pb;
	int d = object_of(a->kind) - object_of(b->kind);

	if (!d)
		d = cmp_id(a->user_id, b->user_id);
	if (!d)
		d = (int)a->kind - (int)b->kind;
	if (!d)
		d = cmp_id(a->res_id, b->res_id);
	return d;
}

/* The key op reads and the part of it op writes; 0 when op has no fact
 * (a user the file creates, an operation settled by the journal). */
static unsigned key_of(const sfa_apply_op *op, sfa_apply_fact *key)
{
	memset(key, 0, sizeof(*key));
	if (op->from_journal || !*op->user_id)
		return 0;
	memcpy(key->user_id, op->user_id, sizeof(key->user_id));
	key->kind = SFA_RT_USER;
	if (op->c->op == SFA_OP_CREATE_USER || op->c->op == SFA_OP_SET_STATUS)
		return WROTE_STATUS; /* create_user reactivates */
	switch (op->c->rtype) {
	case SFA_RT_ROLE:
		return WROTE_ROLE;
	case SFA_RT_PROFILE:
		return WROTE_PROFILE;
	default:
		key->kind = op->c->rtype;
		memcpy(key->res_id, op->resource_id, sizeof(key->res_id));
		return WROTE_PAIR;
	}
}

static sfa_apply_fact *find(const struct sfa_apply *a, size_t nfacts,
			    const sfa_apply_fact *key)
{
	return bsearch(key, a->facts, nfacts, sizeof(*a->facts), cmp_fact);
}

/* ---- one query over a chunk of facts ---- */

/* The IN lists of a query: users, then groups or permission sets, then
 * permission set groups. */
#define IN_USERS 0
#define IN_RES 1
#define IN_PSG 2

typedef struct chunk {
	struct sfa_apply *a;
	size_t nfacts;
	size_t begin, end;		  /* the facts this query reads */
	const char *ids[3][PREFETCH_IDS]; /* borrowed from the facts */
	size_t nids[3];
	sfa_buf in[3]; /* the quoted literals, comma-separated */
} chunk;

/* Adds id to IN list i unless it is there: 0, 1 when the list or the
 * query is full, or SFA_ENOMEM. */
static int in_add(chunk *ch, int i, const char *id)
{
	size_t j, n = ch->nids[i];
	char *lit;
	int rc;

	/* Users come sorted, so a repeated one is the last one. */
	for (j = i == IN_USERS && n ? n - 1 : 0; j < n; j++)
		if (cmp_id(ch->ids[i][j], id) == 0)
			return 0;
	if (n == PREFETCH_IDS)
		return 1;
	if (!(lit = sfa_soql_quote(id)))
		return SFA_ENOMEM;
	if (ch->in[0].len + ch->in[1].len + ch->in[2].len + strlen(lit) >
	    PREFETCH_BYTES) {
		free(lit);
		return 1;
	}
	rc = (n && sfa_buf_puts(&ch->in[i], ",")) ||
	     sfa_buf_puts(&ch->in[i], lit);
	free(lit);
	if (rc)
		return SFA_ENOMEM;
	ch->ids[i][ch->nids[i]++] = id;
	return 0;
}

/* Adds the facts from ch->begin on, of one sObject, while they fit in one
 * query; ch->end is the first left out. */
static int chunk_fill(chunk *ch)
{
	const sfa_apply_fact *f = ch->a->facts;
	int obj = object_of(f[ch->begin].kind), rc = 0;

	for (ch->end = ch->begin;
	     ch->end < ch->nfacts && object_of(f[ch->end].kind) == obj;
	     ch->end++) {
		const sfa_apply_fact *x = &f[ch->end];

		rc = in_add(ch, IN_USERS, x->user_id);
		if (!rc && x->kind != SFA_RT_USER)
			rc = in_add(ch,
				    x->kind == SFA_RT_PERMISSION_SET_GROUP
					? IN_PSG
					: IN_RES,
				    x->res_id);
		if (rc)
			break;
	}
	if (rc == SFA_ENOMEM)
		return rc;
	/* Full: a fact's Ids (at most two) always fit an empty query. */
	assert(ch->end > ch->begin);
	return 0;
}

/* The fact of the record's key in this chunk, or NULL (a pair of the
 * chunk's users and resources that no operation asked about). */
static sfa_apply_fact *chunk_fact(chunk *ch, const sfa_apply_fact *key)
{
	sfa_apply_fact *f = find(ch->a, ch->nfacts, key);
	size_t i = f ? (size_t)(f - ch->a->facts) : 0;

	return f && i >= ch->begin && i < ch->end ? f : NULL;
}

static void copy_field(char dst[19], json_t *rec, const char *field)
{
	sfa_apply_copy_id(dst, json_object_get(rec, field));
}

static int on_record(void *ud, json_t *rec, sfa_err *err)
{
	chunk *ch = ud;
	sfa_apply_fact key, *f;
	char psg[19];
	const char *uf = NULL, *rf = NULL;

	(void)err;
	memset(&key, 0, sizeof(key));
	switch (object_of(ch->a->facts[ch->begin].kind)) {
	case 0:
		key.kind = SFA_RT_GROUP;
		copy_field(key.user_id, rec, "UserOrGroupId");
		copy_field(key.res_id, rec, "GroupId");
		break;
	case 1:
		/* An assignment of a group names the group's aggregate
		 * permission set too: it is the group's, never the set's. */
		copy_field(key.user_id, rec, "AssigneeId");
		copy_field(psg, rec, "PermissionSetGroupId");
		key.kind =
		    *psg ? SFA_RT_PERMISSION_SET_GROUP : SFA_RT_PERMISSION_SET;
		if (*psg)
			memcpy(key.res_id, psg, sizeof(key.res_id));
		else
			copy_field(key.res_id, rec, "PermissionSetId");
		break;
	case 2:
		key.kind = SFA_RT_USER;
		copy_field(key.user_id, rec, "Id");
		if ((f = chunk_fact(ch, &key)) != NULL) {
			f->seen = 1;
			copy_field(f->s.profile_id, rec, "ProfileId");
			copy_field(f->s.role_id, rec, "UserRoleId");
			f->s.is_active =
			    json_is_true(json_object_get(rec, "IsActive"));
		}
		return 0;
	default: /* an entitlement's assignment */
		key.kind = ch->a->facts[ch->begin].kind;
		sfa_apply_entitlement(key.kind, &uf, &rf);
		copy_field(key.user_id, rec, uf);
		copy_field(key.res_id, rec, rf);
		break;
	}
	if ((f = chunk_fact(ch, &key)) != NULL && f->s.n < SFA_APPLY_MAX_IDS)
		copy_field(f->s.id[f->s.n++], rec, "Id");
	return 0;
}

/* The SOQL of a filled chunk into q. */
static int chunk_soql(const chunk *ch, sfa_buf *q)
{
	const char *u = ch->in[IN_USERS].data, *r = ch->in[IN_RES].data,
		   *g = ch->in[IN_PSG].data;
	int rc;

	sfa_rtype kind = ch->a->facts[ch->begin].kind;
	const char *object, *uf = NULL, *rf = NULL;

	switch (object_of(kind)) {
	case 0:
		return sfa_buf_printf(q,
				      "SELECT Id, GroupId, UserOrGroupId FROM "
				      "GroupMember WHERE UserOrGroupId IN (%s) "
				      "AND GroupId IN (%s)",
				      u, r);
	case 1:
		/* on_record() tells a set's rows from a group's. */
		rc = sfa_buf_printf(q,
				    "SELECT Id, AssigneeId, PermissionSetId, "
				    "PermissionSetGroupId FROM "
				    "PermissionSetAssignment WHERE AssigneeId "
				    "IN (%s) AND (",
				    u);
		if (!rc && r)
			rc = sfa_buf_printf(q, "PermissionSetId IN (%s)", r);
		if (!rc && r && g)
			rc = sfa_buf_puts(q, " OR ");
		if (!rc && g)
			rc = sfa_buf_printf(q, "PermissionSetGroupId IN (%s)",
					    g);
		return rc ? rc : sfa_buf_puts(q, ")");
	case 2:
		return sfa_buf_printf(q,
				      "SELECT Id, ProfileId, UserRoleId, "
				      "IsActive FROM User WHERE Id IN (%s)",
				      u);
	default:
		object = sfa_apply_entitlement(kind, &uf, &rf);
		return sfa_buf_printf(q,
				      "SELECT Id, %s, %s FROM %s WHERE %s IN "
				      "(%s) AND %s IN (%s)",
				      uf, rf, object, uf, u, rf, r);
	}
}

/* Reads the facts of one chunk from ch->begin; sets ch->end.  A query
 * the org fails leaves them unread. */
static int chunk_run(chunk *ch, sfa_err *err)
{
	sfa_buf q = {0};
	sfa_err qerr;
	size_t i;
	int rc;

	if (chunk_fill(ch) || chunk_soql(ch, &q)) {
		sfa_buf_free(&q);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	sfa_err_clear(&qerr);
	rc = sfa_sf_query(ch->a->sf, q.data, 0, on_record, ch, &qerr);
	sfa_buf_free(&q);
	if (rc == SFA_ENOMEM)
		return sfa_err_set(err, rc, "out of memory");
	if (rc)
		return 0; /* each operation will meet the org's error itself */
	/* A user the org did not answer is read live too, which fails with
	 * the org's words. */
	for (i = ch->begin; i < ch->end; i++)
		ch->a->facts[i].read =
		    ch->a->facts[i].kind != SFA_RT_USER || ch->a->facts[i].seen;
	return 0;
}

/* ---- the handle's side ---- */

int sfa_apply_prefetch(struct sfa_apply *a, sfa_err *err)
{
	long before = sfa_sf_api_requests(a->sf);
	size_t i, n = 0, nfacts = 0;
	chunk ch;
	int rc = 0;

	sfa_apply_prefetch_free(a);
	a->facts = calloc(a->n ? a->n : 1, sizeof(*a->facts));
	a->fact_of = calloc(a->n ? a->n : 1, sizeof(sfa_apply_fact *));
	if (!a->facts || !a->fact_of) {
		sfa_apply_prefetch_free(a);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	/* One fact per key that an operation reads (create_user reads by
	 * Username, live, but its reactivation writes IsActive: it only
	 * marks a fact that others read). */
	for (i = 0; i < a->n; i++)
		if (a->ops[i].c->op != SFA_OP_CREATE_USER &&
		    key_of(&a->ops[i], &a->facts[n]))
			n++;
	qsort(a->facts, n, sizeof(*a->facts), cmp_fact);
	for (i = 0; i < n; i++)
		if (!nfacts || cmp_fact(&a->facts[i], &a->facts[nfacts - 1]))
			a->facts[nfacts++] = a->facts[i];
	for (i = 0; i < a->n; i++) {
		sfa_apply_fact key;

		if (key_of(&a->ops[i], &key))
			a->fact_of[i] = find(a, nfacts, &key);
	}
	memset(&ch, 0, sizeof(ch));
	ch.a = a;
	ch.nfacts = nfacts;
	while (ch.begin < nfacts && !rc) {
		rc = chunk_run(&ch, err);
		for (i = 0; i < 3; i++) {
			sfa_buf_free(&ch.in[i]);
			ch.nids[i] = 0;
		}
		ch.begin = ch.end;
	}
	a->prefetch_requests = sfa_sf_api_requests(a->sf) - before;
	return rc;
}

/* The part of its fact op writes (key_of() without the key). */
static unsigned part_of(const sfa_apply_op *op)
{
	sfa_apply_fact key;

	return key_of(op, &key);
}

const sfa_apply_state *sfa_apply_prefetched(const struct sfa_apply *a,
					    const sfa_apply_op *op)
{
	const sfa_apply_fact *f = a->fact_of ? a->fact_of[op - a->ops] : NULL;

	if (!f || !f->read || (f->wrote & part_of(op)) ||
	    op->c->op == SFA_OP_CREATE_USER)
		return NULL;
	return &f->s;
}

void sfa_apply_prefetch_wrote(struct sfa_apply *a, const sfa_apply_op *op)
{
	sfa_apply_fact *f = a->fact_of ? a->fact_of[op - a->ops] : NULL;

	if (f && op->writes_sent)
		f->wrote |= part_of(op);
}

void sfa_apply_prefetch_free(struct sfa_apply *a)
{
	free(a->facts);
	free(a->fact_of);
	a->facts = NULL;
	a->fact_of = NULL;
}

long sfa_apply_prefetch_requests(const sfa_apply *a)
{
	return a->prefetch_requests;
}
