/*
 * access_pack.c - the encoding of a user's access rows (access_pack.h).
 */
#include "access_pack.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

#define FORMAT 2
/* A row's first byte: its type, its via type's index, and this. */
#define HAS_DATES 0x80 /* assigned_at and expires_at refs follow */
/* Via index VIA_OTHER: a byte follows with the via type code, and this
 * when a first_seen_at ref follows (else it is text 0). */
#define VIA_OTHER 7
#define OTHER_FIRST_SEEN 0x80

_Static_assert(SFA_AT_COUNT <= 16, "a row's first byte has 4 bits of type");

static const char *const type_names[SFA_AT_COUNT] = {
    "connected_app",
    "custom_permission",
    "direct",
    "group",
    "oauth_token",
    "package_license",
    "permission_set",
    "permission_set_group",
    "permission_set_license",
    "profile",
    "queue",
    "role",
    "territory",
};

/* The via types rules 1-9 and the entitlement rules give, by index. */
static const unsigned char via_types[VIA_OTHER] = {SFA_AT_DIRECT,
						   SFA_AT_GROUP,
						   SFA_AT_OAUTH_TOKEN,
						   SFA_AT_PERMISSION_SET,
						   SFA_AT_PERMISSION_SET_GROUP,
						   SFA_AT_PROFILE,
						   SFA_AT_ROLE};

/* Format 1's codes, in its order, as today's. */
static const unsigned char format1_types[8] = {
    SFA_AT_CONNECTED_APP,  SFA_AT_DIRECT,
    SFA_AT_GROUP,	   SFA_AT_OAUTH_TOKEN,
    SFA_AT_PERMISSION_SET, SFA_AT_PERMISSION_SET_GROUP,
    SFA_AT_PROFILE,	   SFA_AT_ROLE};

static int via_index(int via_type)
{
	int i;

	for (i = 0; i < VIA_OTHER; i++)
		if (via_types[i] == via_type)
			return i;
	return VIA_OTHER;
}

const char *sfa_access_type_name(int c)
{
	return c >= 0 && c < SFA_AT_COUNT ? type_names[c] : NULL;
}

int sfa_access_type_code(const char *name)
{
	int c;

	for (c = 0; name && c < SFA_AT_COUNT; c++)
		if (strcmp(type_names[c], name) == 0)
			return c;
	return -1;
}

int sfa_access_key_cmp(const sfa_access_item *a, const sfa_access_item *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->access_id != b->access_id)
		return a->access_id < b->access_id ? -1 : 1;
	if (a->via_type != b->via_type)
		return a->via_type < b->via_type ? -1 : 1;
	if (a->via_id != b->via_id)
		return a->via_id < b->via_id ? -1 : 1;
	return 0;
}

/* ---- writing ---- */

/* The most bytes a varint takes, and a row: a head, its via byte and
 * five varints. */
#define VARINT_MAX 10
#define ROW_MAX (2 + 5 * VARINT_MAX)

/* Writes v at p, 7 bits a byte, low first; returns the end. */
static unsigned char *varint_to(unsigned char *p, uint64_t v)
{
	do {
		*p = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			*p |= 0x80;
		p++;
	} while (v);
	return p;
}

static int put_varint(sfa_buf *out, uint64_t v)
{
	unsigned char b[VARINT_MAX];

	return sfa_buf_append(out, b, (size_t)(varint_to(b, v) - b));
}

/* The distinct texts of a user's rows, in order of first use, with an
 * open-addressing index by content once there are more than FEW_TEXTS
 * (slot holds index + 1, 0 for free; nslots a power of two, at least
 * twice n).  Most users have a handful of dates, searched one by one, but
 * an integration user may hold thousands of assignments with as many
 * dates, and a search through them for every row would be quadratic. */
#define FEW_TEXTS 8

typedef struct texts {
	const char **v;
	size_t n, cap;
	size_t *slot;
	size_t nslots;
} texts;

static size_t text_hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of s: where it is, or the free slot where it goes. */
static size_t *text_slot(const texts *t, const char *s)
{
	size_t i = text_hash(s) & (t->nslots - 1);

	while (t->slot[i] && strcmp(t->v[t->slot[i] - 1], s) != 0)
		i = (i + 1) & (t->nslots - 1);
	return &t->slot[i];
}

/* Makes room for one more text; 0 or -1 (out of memory). */
static int texts_grow(texts *t)
{
	size_t i, nslots = t->nslots ? t->nslots : 16;

	if (SFA_GROW(t->v, t->cap, t->n + 1))
		return -1;
	if (t->n + 1 <= FEW_TEXTS || 2 * (t->n + 1) <= t->nslots)
		return 0;
	while (2 * (t->n + 1) > nslots)
		nslots *= 2;
	free(t->slot);
	if (!(t->slot = calloc(nslots, sizeof(*t->slot))))
		return -1;
	t->nslots = nslots;
	for (i = 0; i < t->n; i++)
		*text_slot(t, t->v[i]) = i + 1;
	return 0;
}

/* 1 + the index of s in t, adding it; 0 for NULL; (size_t)-1 on ENOMEM.
 * A row's texts are often the very pointers of the row before's. */
static size_t text_ref(texts *t, const char *s)
{
	size_t *slot, i;

	if (!s)
		return 0;
	if (t->n && t->v[t->n - 1] == s)
		return t->n;
	if (t->n <= FEW_TEXTS) {
		for (i = 0; i < t->n; i++)
			if (t->v[i] == s || strcmp(t->v[i], s) == 0)
				return i + 1;
	} else if (*(slot = text_slot(t, s)))
		return *slot;
	if (texts_grow(t))
		return (size_t)-1;
	t->v[t->n++] = s;
	if (t->nslots)
		*text_slot(t, s) = t->n;
	return t->n;
}

/* A signed difference as an unsigned number, small either way. */
static uint64_t zigzag(long long d)
{
	return d >= 0 ? (uint64_t)d << 1 : ((uint64_t)(-(d + 1)) << 1) | 1;
}

static long long unzigzag(uint64_t z)
{
	return (z & 1) ? -(long long)(z >> 1) - 1 : (long long)(z >> 1);
}

int sfa_access_pack(const sfa_access_item *items, size_t n, sfa_buf *out)
{
	texts t = {NULL, 0, 0, NULL, 0};
	sfa_buf rows = {NULL, 0, 0};
	unsigned char fmt = FORMAT;
	long long prev_access = 0, prev_via = 0;
	int prev_type = -1;
	size_t i;
	int rc = SFA_ENOMEM;

	/* The first row's first_seen_at is text 0, which a row's header can
	 * then stand for. */
	if (n && text_ref(&t, items[0].first_seen_at) == (size_t)-1)
		goto out;
	/* The rows are written in place, into room for the longest. */
	if (n > ((size_t)-1 - 1) / ROW_MAX ||
	    sfa_buf_reserve(&rows, n * ROW_MAX))
		goto out;
	for (i = 0; i < n; i++) {
		const sfa_access_item *it = &items[i];
		size_t a = text_ref(&t, it->assigned_at);
		size_t e = text_ref(&t, it->expires_at);
		size_t f = text_ref(&t, it->first_seen_at);
		int vi = f != 1 ? VIA_OTHER : via_index(it->via_type);
		unsigned char head = (unsigned char)((it->type & 15) | vi << 4 |
						     (a || e ? HAS_DATES : 0));
		long long base = it->type == prev_type ? prev_access : 0;
		unsigned char *p = (unsigned char *)rows.data + rows.len;

		if (a == (size_t)-1 || e == (size_t)-1 || f == (size_t)-1)
			goto out;
		*p++ = head;
		if (vi == VIA_OTHER)
			*p++ = (unsigned char)((it->via_type & 15) |
					       (f != 1 ? OTHER_FIRST_SEEN : 0));
		p = varint_to(p, zigzag(it->access_id - base));
		p = varint_to(p, zigzag(it->via_id - prev_via));
		if (head & HAS_DATES) {
			p = varint_to(p, a);
			p = varint_to(p, e);
		}
		if (f != 1)
			p = varint_to(p, f);
		rows.len = (size_t)((char *)p - rows.data);
		prev_type = it->type;
		prev_access = it->access_id;
		prev_via = it->via_id;
	}
	rows.data[rows.len] = '\0';
	if (sfa_buf_append(out, &fmt, 1) || put_varint(out, t.n))
		goto out;
	for (i = 0; i < t.n; i++) {
		size_t len = strlen(t.v[i]);

		if (put_varint(out, len) || sfa_buf_append(out, t.v[i], len))
			goto out;
	}
	if (put_varint(out, n) ||
	    (rows.len && sfa_buf_append(out, rows.data, rows.len)))
		goto out;
	rc = 0;
out:
	free(t.v);
	free(t.slot);
	sfa_buf_free(&rows);
	return rc;
}

/* ---- reading ---- */

typedef struct reader {
	const unsigned char *p, *end;
} reader;

/* 0, or -1 when the bytes end or the number does not fit. */
static int get_varint(reader *r, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (r->p < r->end && shift < 64) {
		unsigned char b = *r->p++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
		shift += 7;
	}
	return -1;
}

static int damaged(sfa_err *err)
{
	return sfa_err_set(err, SFA_ESTORE,
			   "store: a user's access set is damaged");
}

/* *out = base + d, a key (0 to LLONG_MAX); -1 for any other. */
static int add_key(long long base, long long d, long long *out)
{
	if (d > 0 ? base > LLONG_MAX - d : base + d < 0)
		return -1;
	*out = base + d;
	return 0;
}

/* Reads a text reference: NULL, or the text of index v - 1. */
static int get_text(reader *r, const sfa_access_set *set, size_t ntexts,
		    const char **out)
{
	uint64_t v;

	if (get_varint(r, &v) || v > ntexts)
		return -1;
	*out = v ? set->strs[v - 1] : NULL;
	return 0;
}

int sfa_access_unpack(const void *data, size_t len, sfa_access_set *set,
		      sfa_err *err)
{
	reader r = {data, (const unsigned char *)data + len};
	uint64_t ntexts, nrows, v;
	size_t i, at = 0;
	int format;

	set->n = set->ntexts = 0;
	if (len == 0)
		return damaged(err);
	format = *r.p++;
	if ((format != FORMAT && format != 1) || get_varint(&r, &ntexts) ||
	    ntexts > len)
		return damaged(err);
	/* Texts are copied out NUL-terminated: at most the blob's bytes plus
	 * a NUL each. */
	if (SFA_GROW(set->text, set->text_cap, len + ntexts + 1) ||
	    SFA_GROW(set->strs, set->strs_cap, ntexts + 1))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	for (i = 0; i < ntexts; i++) {
		if (get_varint(&r, &v) || v > (uint64_t)(r.end - r.p))
			return damaged(err);
		memcpy(set->text + at, r.p, (size_t)v);
		set->text[at + v] = '\0';
		set->strs[i] = set->text + at;
		at += (size_t)v + 1;
		r.p += v;
	}
	if (get_varint(&r, &nrows) || nrows > (uint64_t)(r.end - r.p))
		return damaged(err);
	if (SFA_GROW(set->items, set->cap, (size_t)nrows + 1))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	for (i = 0; i < nrows; i++) {
		sfa_access_item *it = &set->items[i];
		const sfa_access_item *prev = i ? it - 1 : NULL;
		unsigned char head;
		uint64_t a, b;
		int has_dates, own_first_seen;

		if (r.p == r.end)
			return damaged(err);
		head = *r.p++;
		if (format == 1) {
			it->type = format1_types[head & 7];
			it->via_type = format1_types[head >> 3 & 7];
			has_dates = head & 0x40;
			own_first_seen = head & 0x80;
		} else {
			it->type = head & 15;
			has_dates = head & HAS_DATES;
			own_first_seen = 0;
			if ((head >> 4 & 7) != VIA_OTHER) {
				it->via_type = via_types[head >> 4 & 7];
			} else if (r.p == r.end) {
				return damaged(err);
			} else {
				it->via_type = *r.p & 15;
				own_first_seen = *r.p++ & OTHER_FIRST_SEEN;
			}
			if (it->type >= SFA_AT_COUNT ||
			    it->via_type >= SFA_AT_COUNT)
				return damaged(err);
		}
		if (get_varint(&r, &a) || get_varint(&r, &b) ||
		    add_key(prev && prev->type == it->type ? prev->access_id
							   : 0,
			    unzigzag(a), &it->access_id) ||
		    add_key(prev ? prev->via_id : 0, unzigzag(b), &it->via_id))
			return damaged(err);
		it->assigned_at = it->expires_at = NULL;
		it->first_seen_at = ntexts ? set->strs[0] : NULL;
		if ((has_dates &&
		     (get_text(&r, set, (size_t)ntexts, &it->assigned_at) ||
		      get_text(&r, set, (size_t)ntexts, &it->expires_at))) ||
		    (own_first_seen &&
		     get_text(&r, set, (size_t)ntexts, &it->first_seen_at)))
			return damaged(err);
	}
	if (r.p != r.end)
		return damaged(err);
	set->n = (size_t)nrows;
	set->ntexts = (size_t)ntexts;
	return 0;
}

void sfa_access_set_free(sfa_access_set *set)
{
	free(set->items);
	free(set->text);
	free(set->strs);
	memset(set, 0, sizeof(*set));
}
