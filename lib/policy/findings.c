/*
 * findings.c - the list of findings of a check (policy.h): each finding
 * is one allocation holding its strings, and the list is sorted once, in
 * POLICY.md's order (rule, username, what, via_type, via_id; bytewise,
 * then detail so that the order is total).
 */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "policy.h"
#include "policy_int.h"

struct sfa_findings {
	sfa_finding **v;
	size_t n, cap;
	char *as_of;
};

int sfa_findings_new(sfa_findings **out, sfa_err *err)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	return 0;
}

void sfa_findings_free(sfa_findings *fs)
{
	size_t i;

	if (!fs)
		return;
	for (i = 0; i < fs->n; i++)
		free(fs->v[i]);
	free(fs->v);
	free(fs->as_of);
	free(fs);
}

int sfa_findings_add(sfa_findings *fs, const sfa_finding *f, sfa_err *err)
{
	const char *src[6] = {f->username, f->user_id, f->what,
			      f->via_type, f->via_id, f->detail};
	size_t len[6], total = sizeof(sfa_finding), i;
	sfa_finding *copy;
	char *p;

	for (i = 0; i < 6; i++)
		total += (len[i] = strlen(src[i] ? src[i] : "")) + 1;
	if (sfa_grow(&fs->v, &fs->cap, fs->n + 1, sizeof(sfa_finding *)))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if (!(copy = malloc(total)))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	*copy = *f;
	p = (char *)(copy + 1);
	for (i = 0; i < 6; i++) {
		const char **dst[6] = {&copy->username, &copy->user_id,
				       &copy->what,	&copy->via_type,
				       &copy->via_id,	&copy->detail};

		memcpy(p, src[i] ? src[i] : "", len[i] + 1);
		*dst[i] = p;
		p += len[i] + 1;
	}
	fs->v[fs->n++] = copy;
	return 0;
}

static int cmp(const void *pa, const void *pb)
{
	const sfa_finding *a = *(sfa_finding *const *)pa;
	const sfa_finding *b = *(sfa_finding *const *)pb;
	int d;

	if ((d = strcmp(sfa_rule_name(a->rule), sfa_rule_name(b->rule))) ||
	    (d = strcmp(a->username, b->username)) ||
	    (d = strcmp(a->what, b->what)) ||
	    (d = strcmp(a->via_type, b->via_type)) ||
	    (d = strcmp(a->via_id, b->via_id)) ||
	    (d = strcmp(a->user_id, b->user_id)))
		return d;
	return strcmp(a->detail, b->detail);
}

void sfa_findings_sort(sfa_findings *fs)
{
	if (fs->n > 1)
		qsort(fs->v, fs->n, sizeof(sfa_finding *), cmp);
}

size_t sfa_findings_count(const sfa_findings *fs)
{
	return fs->n;
}

const sfa_finding *sfa_findings_get(const sfa_findings *fs, size_t i)
{
	return fs->v[i];
}

size_t sfa_findings_at_least(const sfa_findings *fs, sfa_severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < fs->n; i++)
		n += fs->v[i]->severity >= sev;
	return n;
}

int sfa_findings_set_as_of(sfa_findings *fs, const char *as_of, sfa_err *err)
{
	free(fs->as_of);
	if (!(fs->as_of = strdup(as_of)))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	return 0;
}

const char *sfa_findings_as_of(const sfa_findings *fs)
{
	return fs->as_of ? fs->as_of : "";
}
