/*
 * fetch_perm.c - what a sync reads of permissions (lib/access/PERMISSIONS.md,
 * "What sync reads"): the describe calls of PermissionSet, MutingPermissionSet
 * and ObjectPermissions (and FieldPermissions when field permissions are
 * synced), the catalogue of system permissions they give, and the scans
 * that read the Permissions* booleans.
 *
 * The booleans are never a list of ours: the describe names them, several
 * hundred in a current org.  A REST query travels in the URI, which
 * Salesforce caps at 16,384 bytes, so a field list that outgrows it is
 * split over several scans of the same object, each with Id; the store
 * joins them on Id (a container's true permissions, whichever scan read
 * them).  Bulk API 2.0 would take the SOQL in a POST body, but every scan
 * starts with a REST page that sizes it (fetch_scan.c), and the object is
 * a few thousand rows: splitting costs one first page per part and keeps
 * the one scheduler.  PermissionSet's own fields (name, label, owner
 * profile, group) ride in its first part, so that the object is read by
 * one scan, not by its own and again for its permissions.
 */
#include "fetch_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "grow.h"
#include "urlenc.h"

#define PREFIX "Permissions"
#define PREFIX_LEN (sizeof(PREFIX) - 1)

/* Salesforce's limit on a request URI (lib/salesforce/SALESFORCE-API.md
 * §1.1). */
#define URI_MAX 16384

static void note(sfa_fetch_stats *stats, const char *fmt, const char *a,
		 const char *b)
{
	if (stats->nnotes >= SFA_FETCH_MAX_NOTES)
		return;
	snprintf(stats->notes[stats->nnotes++], sizeof(stats->notes[0]), fmt,
		 a, b);
}

static char *keep(sfa_fetch_perms *p, const char *s)
{
	char *c;

	if (SFA_GROW(p->strings, p->cap_strings, p->nstrings + 1) ||
	    !(c = strdup(s)))
		return NULL;
	p->strings[p->nstrings++] = c;
	return c;
}

/* The describe of sobject, or *out NULL (with a note) when the org has no
 * such object: a sync without it is still a sync. */
static int describe(sfa_sf *sf, const char *sobject, sfa_fetch_stats *stats,
		    json_t **out, sfa_err *err)
{
	char path[128];
	int rc;

	snprintf(path, sizeof(path), "sobjects/%s/describe", sobject);
	rc = sfa_sf_request(sf, "GET", path, NULL, out, err);
	if (rc == SFA_ESF &&
	    (err->http_status == 404 || !strcmp(err->sf_code, "NOT_FOUND") ||
	     !strcmp(err->sf_code, "INVALID_TYPE"))) {
		note(stats, "%s: the org has no such object (%s)",
		     sobject, err->sf_code[0] ? err->sf_code : "404");
		sfa_err_clear(err);
		*out = NULL;
		return 0;
	}
	if (rc == 0 && !json_is_array(json_object_get(*out, "fields"))) {
		json_decref(*out);
		*out = NULL;
		sfa_err_where(err, "%s", path);
		return sfa_err_set(err, SFA_EPROTO,
				   "the describe of %s has no fields", sobject);
	}
	return rc;
}

static int has_field(json_t *desc, const char *name)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(desc, "fields"), i, f)
	{
		const char *n = json_string_value(json_object_get(f, "name"));

		if (n && !strcmp(n, name))
			return 1;
	}
	return 0;
}

/* The catalogue number of permission name (without the prefix), adding
 * it (and storing its name and label) when new. */
static int perm_number(sfa_fetch_perms *p, sfa_store *st, const char *name,
		       const char *label, int *out, sfa_err *err)
{
	int i, rc;

	for (i = 0; i < p->nnames; i++)
		if (!strcmp(p->names[i], name)) {
			*out = i;
			return 0;
		}
	if (SFA_GROW(p->names, p->cap_names, (size_t)p->nnames + 1))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if (!(p->names[p->nnames] = keep(p, name)))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if ((rc = sfa_store_put_perm_name(st, p->nnames, name, label, err)))
		return rc;
	*out = p->nnames++;
	return 0;
}

/* Starts a new part of obj's described scan, with base's fields first
 * (base NULL: Id). */
static sfa_fetch_described *new_part(sfa_fetch_perms *p, sfa_obj obj,
				     const sfa_obj_def *base, size_t nmax,
				     sfa_err *err)
{
	sfa_fetch_described *d;
	const char **fields;
	size_t i;

	if (p->nparts == SFA_FETCH_MAX_PARTS) {
		sfa_err_set(err, SFA_EINTERNAL,
			    "%s: more permission fields than %d scans hold",
			    sfa_obj_get(obj)->sobject, SFA_FETCH_MAX_PARTS);
		return NULL;
	}
	d = &p->parts[p->nparts];
	if (base)
		nmax += base->nfields;
	fields = calloc(nmax + 1, sizeof(*fields));
	d->perm = calloc(nmax + 1, sizeof(*d->perm));
	if (!fields || !d->perm) {
		free(fields);
		free(d->perm);
		d->perm = NULL;
		sfa_err_set(err, SFA_ENOMEM, "out of memory");
		return NULL;
	}
	d->def = *sfa_obj_get(obj);
	fields[0] = "Id";
	d->fields = fields;
	d->def.fields = fields;
	d->def.nfields = 1;
	/* base's fields start with its Id. */
	for (i = 1; base && i < base->nfields; i++)
		fields[d->def.nfields++] = base->fields[i];
	d->base = base;
	d->first_perm = d->def.nfields;
	p->nparts++;
	return d;
}

/* The URI length of a query of def's fields, as sent. */
static size_t uri_length(const sfa_obj_def *def, const sfa_sync_opts *opts,
			 const char *version)
{
	char *soql = sfa_fetch_soql(def, opts), *path;
	size_t n = 0;

	if (soql && (path = sfa_sf_query_path(soql, 0))) {
		n = strlen("/services/data/v/") + strlen(version) + strlen(path);
		free(path);
	}
	free(soql);
	return n;
}

/* The Permissions* booleans of obj's describe, numbered in the
 * catalogue, spread over as many scans as the URI limit needs; the first
 * also reads base's fields (may be NULL). */
static int plan_described(sfa_fetch_perms *p, sfa_sf *sf, sfa_store *st,
			  const sfa_sync_opts *opts, sfa_obj obj,
			  const sfa_obj_def *base, json_t *desc, sfa_err *err)
{
	json_t *fields = json_object_get(desc, "fields"), *f;
	const char *version = sfa_sf_api_version(sf);
	size_t nmax = json_array_size(fields), i;
	sfa_fetch_described *d = NULL;
	int rc, perm = 0;

	json_array_foreach(fields, i, f)
	{
		const char *name = json_string_value(json_object_get(f, "name"));
		const char *type = json_string_value(json_object_get(f, "type"));
		const char *label =
		    json_string_value(json_object_get(f, "label"));

		if (!name || !type || strcmp(type, "boolean") != 0 ||
		    strncmp(name, PREFIX, PREFIX_LEN) != 0 || !name[PREFIX_LEN])
			continue;
		if ((rc = perm_number(p, st, name + PREFIX_LEN, label, &perm,
				      err)))
			return rc;
		if (!d && !(d = new_part(p, obj, base, nmax, err)))
			return err->code;
		d->fields[d->def.nfields] = name;
		d->perm[d->def.nfields] = perm;
		d->def.nfields++;
		if (uri_length(&d->def, opts, version) > URI_MAX) {
			/* This field starts the next part. */
			d->def.nfields--;
			if (d->def.nfields == d->first_perm)
				return sfa_err_set(err, SFA_EPROTO,
						   "%s: field %s alone "
						   "outgrows a query URI",
						   d->def.sobject, name);
			if (!(d = new_part(p, obj, NULL, nmax, err)))
				return err->code;
			d->fields[1] = name;
			d->perm[1] = perm;
			d->def.nfields = 2;
		}
	}
	return 0;
}

int sfa_fetch__perms_prepare(sfa_fetch_perms *p, sfa_sf *sf, sfa_store *st,
			     const sfa_sync_opts *opts, sfa_fetch_stats *stats,
			     sfa_err *err)
{
	static const sfa_obj described[] = {SFA_OBJ_PERMISSION_SET_PERMS,
					    SFA_OBJ_MUTING_PERMS};
	json_t *desc = NULL;
	size_t i;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	if (opts->no_permissions)
		return 0;
	for (i = 0; i < 2 && rc == 0; i++) {
		const sfa_obj_def *def = sfa_obj_get(described[i]);

		rc = describe(sf, def->sobject, stats, &desc, err);
		/* PermissionSet is read once: its described scan's first
		 * part reads its own fields too.  The flags come from the
		 * described fields, whichever of them the org has; asked for
		 * by name, one it lacks would fail the query. */
		if (rc == 0 && desc && i == 0) {
			p->permission_set = *sfa_obj_get(SFA_OBJ_PERMISSION_SET);
			p->permission_set.nfields = SFA_PS_NFIELDS_BEFORE_FLAGS;
			p->have_described_ps = 1;
		}
		if (rc == 0 && desc)
			rc = plan_described(p, sf, st, opts, described[i],
					    i == 0 ? &p->permission_set : NULL,
					    desc, err);
		/* The field names are borrowed from the describe. */
		if (desc && !(p->describes[p->ndescribes++] = desc))
			rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		desc = NULL;
	}
	if (rc == 0)
		rc = describe(sf, "ObjectPermissions", stats, &desc, err);
	if (rc == 0 && desc) {
		p->object_perms = *sfa_obj_get(SFA_OBJ_OBJECT_PERMS);
		p->have_object_perms = 1;
		if (!has_field(desc, "PermissionsViewAllFields")) {
			p->object_perms.nfields = SFA_OBJPERM_VIEW_ALL_FIELDS;
			note(stats, "%s.%s: the org has no such field",
			     "ObjectPermissions", "PermissionsViewAllFields");
		}
		json_decref(desc);
		desc = NULL;
	}
	if (rc == 0 && opts->field_permissions)
		rc = describe(sf, "FieldPermissions", stats, &desc, err);
	if (rc == 0 && desc) {
		p->have_field_perms = 1;
		json_decref(desc);
	}
	return rc;
}

void sfa_fetch__perms_free(sfa_fetch_perms *p)
{
	size_t i;
	int j;

	for (j = 0; j < p->nparts; j++) {
		free(p->parts[j].fields);
		free(p->parts[j].perm);
	}
	for (j = 0; j < p->ndescribes; j++)
		json_decref(p->describes[j]);
	for (i = 0; i < p->nstrings; i++)
		free(p->strings[i]);
	free(p->strings);
	free(p->names);
	memset(p, 0, sizeof(*p));
}

/* ---- records ---- */

static int put_true(sfa_store *st, const sfa_fetch_described *d, int *perms,
		    size_t n, const char *id, sfa_err *err)
{
	if (!id)
		return sfa_err_set(err, SFA_EPROTO,
				   "a %s record without Id in the query "
				   "response",
				   d->def.sobject);
	return sfa_store_put_perms(st, d->def.obj, id, perms, n, err);
}

int sfa_fetch__put_perms_json(sfa_store *st, const sfa_fetch_described *d,
			      int *scratch, json_t *rec, sfa_err *err)
{
	size_t i, n = 0;

	for (i = d->first_perm; i < d->def.nfields; i++) {
		json_t *v = json_object_get(rec, d->def.fields[i]);

		if (json_is_true(v))
			scratch[n++] = d->perm[i];
		else if (v && !json_is_false(v) && !json_is_null(v)) {
			sfa_err_where(err, "%s.%s", d->def.sobject,
				      d->def.fields[i]);
			return sfa_err_set(err, SFA_EPROTO,
					   "unexpected value for %s.%s in the "
					   "query response",
					   d->def.sobject, d->def.fields[i]);
		}
	}
	return put_true(st, d, scratch, n,
			json_string_value(json_object_get(rec, "Id")), err);
}

int sfa_fetch__put_perms_text(sfa_store *st, const sfa_fetch_described *d,
			      int *scratch, const char *const *vals,
			      sfa_err *err)
{
	size_t i, n = 0;

	for (i = d->first_perm; i < d->def.nfields; i++)
		if (vals[i] && !strcmp(vals[i], "true"))
			scratch[n++] = d->perm[i];
	return put_true(st, d, scratch, n, vals[0], err);
}
