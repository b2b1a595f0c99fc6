/*
 * perm_priv.c - the privileged list (lib/access/PERMISSIONS.md, "Privileged
 * permissions and the access review"): the tiers of
 * lib/access/PERMISSIONS.md §2 by default, object-level View All and
 * Modify All at tier 2, and the configuration's [privileged] changes.
 */
#include "perm.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"

#define PREFIX "Permissions"
#define MAX_TIER 9

typedef struct entry {
	char name[96];
	int tier;
} entry;

struct sfa_priv {
	entry *e;
	size_t n, cap;
};

/* lib/access/PERMISSIONS.md §2: the tiers of sfdx-hardis'
 * unsecure-permissions, a sensible default. */
static const struct {
	const char *name;
	int tier;
} defaults[] = {
    {"ModifyAllData", 0},
    {"AuthorApex", 0},
    {"CustomizeApplication", 0},
    {"ModifyMetadata", 0},
    {"ManageInteraction", 0},
    {"ManageProfilesPermissionsets", 0},
    {"ManageUsers", 1},
    {"ManageInternalUsers", 1},
    {"AssignPermissionSets", 1},
    {"ManageRoles", 1},
    {"ManageSharing", 1},
    {"ResetPasswords", 1},
    {"ManagePasswordPolicies", 1},
    {"ManageLoginAccessPolicies", 1},
    {"ManageTwoFactor", 1},
    {"ManageAuthProviders", 1},
    {"ManageCertificates", 1},
    {"PasswordNeverExpires", 1},
    {"BypassMFAForUiLogins", 1},
    {"ViewAllData", 2},
    {"ViewAllUsers", 2},
    {"ViewAllFieldsGlobal", 2},
    {"EditReadonlyFields", 2},
    {"QueryAllFiles", 2},
    {"ManageChatterMessages", 2},
    {"ManageUnlistedGroups", 2},
    {"ManageDynamicDashboards", 2},
    {"viewall", 2},
    {"modifyall", 2},
    {"DataExport", 3},
    {"ExportReport", 3},
    {"ApiEnabled", 3},
    {"BulkApiHardDelete", 3},
    {"ManageReportsInPubFolders", 3},
    {"ApexRestServices", 3},
    {"ManageEncryptionKeys", 4},
    {"ViewEncryptedData", 4},
    {"ManageHealthCheck", 4},
    {"ViewEventLogFiles", 4},
    {"InstallPackaging", 4},
    {"ManageCustomPermissions", 4},
    {"ViewSetup", 4},
    {"ViewRoles", 4},
};

static const char *bare(const char *name)
{
	size_t n = strlen(PREFIX);

	return strlen(name) > n && strncasecmp(name, PREFIX, n) == 0 ? name + n
								     : name;
}

static entry *find(const sfa_priv *pv, const char *name)
{
	size_t i;

	name = bare(name);
	for (i = 0; i < pv->n; i++)
		if (strcasecmp(pv->e[i].name, name) == 0)
			return &pv->e[i];
	return NULL;
}

static int set(sfa_priv *pv, const char *name, int tier)
{
	entry *e = find(pv, name);

	if (!e) {
		if (SFA_GROW(pv->e, pv->cap, pv->n + 1))
			return -1;
		e = &pv->e[pv->n++];
		snprintf(e->name, sizeof(e->name), "%s", bare(name));
	}
	e->tier = tier;
	return 0;
}

int sfa_priv_new(sfa_priv **out, sfa_err *err)
{
	sfa_priv *pv = calloc(1, sizeof(*pv));
	size_t i;

	*out = NULL;
	if (!pv)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (set(pv, defaults[i].name, defaults[i].tier)) {
			sfa_priv_free(pv);
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		}
	*out = pv;
	return 0;
}

void sfa_priv_free(sfa_priv *pv)
{
	if (!pv)
		return;
	free(pv->e);
	free(pv);
}

/* The next comma-separated item of *s, trimmed, into buf; 0 at the end. */
static int next_item(const char **s, char *buf, size_t n, int *too_long)
{
	const char *p = *s, *end;
	size_t len;

	while (*p == ',' || isspace((unsigned char)*p))
		p++;
	if (!*p)
		return 0;
	end = strchr(p, ',');
	if (!end)
		end = p + strlen(p);
	*s = end;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	len = (size_t)(end - p);
	*too_long = len >= n;
	if (*too_long)
		len = n - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return 1;
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int bad(sfa_err *err, const char *key, const char *item,
	       const char *why)
{
	sfa_err_where(err, "[privileged] %s", key);
	return sfa_err_set(err, SFA_EINPUT, "[privileged] %s: `%s` %s", key,
			   item, why);
}

int sfa_priv_configure(sfa_priv *pv, const char *add, const char *ignore,
		       sfa_err *err)
{
	sfa_priv staged = {0};
	char item[128];
	const char *s;
	int too_long;

	/* Checked whole before pv changes: a bad item changes nothing. */
	if (!(staged.e = calloc(pv->n ? pv->n : 1, sizeof(*staged.e))))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if (pv->n)
		memcpy(staged.e, pv->e, pv->n * sizeof(*staged.e));
	staged.n = staged.cap = pv->n;
	for (s = add; s && next_item(&s, item, sizeof(item), &too_long);) {
		char *colon = strrchr(item, ':'), *end;
		long tier;

		if (too_long || !colon) {
			free(staged.e);
			return bad(err, "add", item,
				   "is not Name:tier (e.g. ModifyAllData:0)");
		}
		*colon = '\0';
		tier = strtol(colon + 1, &end, 10);
		if (!valid_name(item) || colon[1] == '\0' || *end ||
		    tier < 0 || tier > MAX_TIER) {
			*colon = ':';
			free(staged.e);
			return bad(err, "add", item,
				   "is not Name:tier with a tier from 0 to 9");
		}
		if (set(&staged, item, (int)tier)) {
			free(staged.e);
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		}
	}
	for (s = ignore; s && next_item(&s, item, sizeof(item), &too_long);) {
		if (too_long || !valid_name(item)) {
			free(staged.e);
			return bad(err, "ignore", item,
				   "is not a permission name");
		}
		if (set(&staged, item, -1)) {
			free(staged.e);
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		}
	}
	free(pv->e);
	*pv = staged;
	return 0;
}

int sfa_priv_system_tier(const sfa_priv *pv, const char *name)
{
	const entry *e;

	/* viewall/modifyall name object actions, not system permissions. */
	if (!strcasecmp(name, "viewall") || !strcasecmp(name, "modifyall"))
		return -1;
	e = find(pv, name);
	return e ? e->tier : -1;
}

int sfa_priv_object_tier(const sfa_priv *pv, const char *action)
{
	const entry *e;

	if (strcasecmp(action, "viewall") != 0 &&
	    strcasecmp(action, "modifyall") != 0)
		return -1;
	e = find(pv, action);
	return e ? e->tier : -1;
}
