/*
 * policy_parse.c - the two inputs of `sfaccess check`: the INI policy
 * file and the HR file (POLICY.md).  Both are read whole and every problem
 * is collected with its file:line, so that one run names all of them and
 * nothing is evaluated on a half-understood input.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_io.h"
#include "file.h"
#include "grow.h"
#include "ini_line.h"
#include "policy.h"
#include "policy_int.h"

static const char *const rule_names[SFA_RULE_COUNT] = {
    [SFA_RULE_DORMANT_PRIVILEGED] = "dormant-privileged",
    [SFA_RULE_DORMANT] = "dormant",
    [SFA_RULE_SOD] = "sod",
    [SFA_RULE_EXTERNAL_PRIVILEGED] = "external-privileged",
    [SFA_RULE_MFA_WAIVED_PRIVILEGED] = "mfa-waived-privileged",
    [SFA_RULE_EXPIRED_ASSIGNMENT] = "expired-assignment",
    [SFA_RULE_INACTIVE_WITH_ACCESS] = "inactive-with-access",
    [SFA_RULE_LEAVER] = "leaver",
    [SFA_RULE_UNUSED_CONNECTED_APP] = "unused-connected-app",
};

/* POLICY.md's table: default severity and days (0: the rule has none). */
static const struct {
	sfa_severity sev;
	int days;
} defaults[SFA_RULE_COUNT] = {
    [SFA_RULE_DORMANT_PRIVILEGED] = {SFA_SEV_HIGH, 90},
    [SFA_RULE_DORMANT] = {SFA_SEV_MEDIUM, 90},
    [SFA_RULE_SOD] = {SFA_SEV_HIGH, 0},
    [SFA_RULE_EXTERNAL_PRIVILEGED] = {SFA_SEV_HIGH, 0},
    [SFA_RULE_MFA_WAIVED_PRIVILEGED] = {SFA_SEV_HIGH, 0},
    [SFA_RULE_EXPIRED_ASSIGNMENT] = {SFA_SEV_MEDIUM, 0},
    [SFA_RULE_INACTIVE_WITH_ACCESS] = {SFA_SEV_LOW, 0},
    [SFA_RULE_LEAVER] = {SFA_SEV_HIGH, 0},
    [SFA_RULE_UNUSED_CONNECTED_APP] = {SFA_SEV_LOW, 90},
};

static const char *const sev_names[] = {"info", "low", "medium", "high",
					"critical"};

/* The longest `days` accepted: a century. */
#define MAX_DAYS 36500

const char *sfa_rule_name(sfa_rule rule)
{
	return (unsigned)rule < SFA_RULE_COUNT ? rule_names[rule] : NULL;
}

const char *sfa_severity_name(sfa_severity sev)
{
	return (unsigned)sev <= SFA_SEV_CRITICAL ? sev_names[sev] : "?";
}

int sfa_severity_parse(const char *s, sfa_severity *out)
{
	size_t i;

	for (i = 0; i < sizeof(sev_names) / sizeof(sev_names[0]); i++)
		if (strcasecmp(s, sev_names[i]) == 0) {
			*out = (sfa_severity)i;
			return 0;
		}
	return -1;
}

/* ---- problems ---- */

/* Adds a problem at line; returns SFA_ENOMEM when it cannot.  Problems
 * carry lines; the caller prints the file's name. */
static int problem(sfa_problems *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int problem(sfa_problems *p, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sfa_problem_add(p, line, "%s", msg);
}

/* The error of a refused input: its first problem and how many more. */
static int refuse(sfa_problems *p, const char *name, sfa_err *err)
{
	sfa_problems_sort(p);
	sfa_err_where(err, "%s:%ld", name, p->v[0].line);
	sfa_err_set(err, SFA_EINPUT, "%s:%ld: %s%s", name, p->v[0].line,
		    p->v[0].msg, p->n > 1 ? " (and more problems)" : "");
	return SFA_EINPUT;
}

/* ---- the policy file ---- */

void sfa_policy_free(sfa_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nsod; i++) {
		free(p->sod[i].name);
		free(p->sod[i].a);
		free(p->sod[i].b);
	}
	free(p->sod);
	free(p->file);
	free(p);
}

const char *sfa_policy_file(const sfa_policy *p)
{
	return p->file ? p->file : "the policy";
}

int sfa_policy_default(sfa_policy **out, sfa_err *err)
{
	sfa_policy *p = calloc(1, sizeof(*p));
	int i;

	*out = NULL;
	if (!p) {
		sfa_err_set(err, SFA_ENOMEM, "out of memory");
		return SFA_ENOMEM;
	}
	for (i = 0; i < SFA_RULE_COUNT; i++) {
		p->rules[i].enabled = 1;
		p->rules[i].severity = defaults[i].sev;
		p->rules[i].days = defaults[i].days;
	}
	*out = p;
	return 0;
}

int sfa_policy_enabled(const sfa_policy *p, sfa_rule rule)
{
	return p->rules[rule].enabled;
}

sfa_severity sfa_policy_severity(const sfa_policy *p, sfa_rule rule)
{
	return p->rules[rule].severity;
}

int sfa_policy_days(const sfa_policy *p, sfa_rule rule)
{
	return p->rules[rule].days;
}

size_t sfa_policy_sod_count(const sfa_policy *p)
{
	return p->nsod;
}

void sfa_policy_sod_get(const sfa_policy *p, size_t i, const char **name,
			const char **a, const char **b)
{
	*name = p->sod[i].name;
	*a = p->sod[i].a;
	*b = p->sod[i].b;
}

static int add_sod(sfa_policy *p, const char *name, const char *a,
		   const char *b, int line)
{
	struct sfa_sod_pair *grown =
	    realloc(p->sod, (p->nsod + 1) * sizeof(*grown));

	if (!grown)
		return SFA_ENOMEM;
	p->sod = grown;
	grown += p->nsod;
	grown->name = strdup(name);
	grown->a = strdup(a);
	grown->b = strdup(b);
	grown->line = line;
	p->nsod++;
	return grown->name && grown->a && grown->b ? 0 : SFA_ENOMEM;
}

/* Where the parser is: the section, and which keys it has seen. */
struct ini_state {
	sfa_policy *p;
	sfa_problems *probs;
	int section;   /* a rule, SECTION_SOD, or SECTION_NONE / _BAD */
	unsigned seen; /* keys given in this rule section */
};
enum { SECTION_NONE = -1, SECTION_BAD = -2, SECTION_SOD = -3 };
enum { SEEN_ENABLED = 1, SEEN_SEVERITY = 2, SEEN_DAYS = 4 };

static int parse_section(struct ini_state *s, char *head, int line)
{
	int i;

	s->seen = 0;
	if (strcmp(head, "sod") == 0) {
		s->section = SECTION_SOD;
		return 0;
	}
	s->section = SECTION_BAD;
	if (strncmp(head, "rule.", 5) == 0) {
		for (i = 0; i < SFA_RULE_COUNT; i++)
			if (strcmp(head + 5, rule_names[i]) == 0) {
				s->section = i;
				return 0;
			}
		return problem(s->probs, line,
			       "unknown rule `%s` (see `sfaccess check "
			       "--help` for the rules)",
			       head + 5);
	}
	return problem(s->probs, line,
		       "unknown section [%s]: expected [rule.NAME] or [sod]",
		       head);
}

static int parse_days(const char *v, int *out)
{
	char *end;
	long d;

	if (!isdigit((unsigned char)*v))
		return -1;
	d = strtol(v, &end, 10);
	if (*end || d < 1 || d > MAX_DAYS)
		return -1;
	*out = (int)d;
	return 0;
}

static int rule_key(struct ini_state *s, const char *key, const char *val,
		    int line)
{
	struct sfa_policy_rule *r = &s->p->rules[s->section];
	const char *rule = rule_names[s->section];
	unsigned bit;

	if (strcmp(key, "enabled") == 0)
		bit = SEEN_ENABLED;
	else if (strcmp(key, "severity") == 0)
		bit = SEEN_SEVERITY;
	else if (strcmp(key, "days") == 0 && defaults[s->section].days)
		bit = SEEN_DAYS;
	else
		return problem(s->probs, line,
			       "unknown key `%s` in [rule.%s] (expected "
			       "enabled, severity%s)",
			       key, rule,
			       defaults[s->section].days ? ", days" : "");
	if (s->seen & bit)
		return problem(s->probs, line, "`%s` given twice in [rule.%s]",
			       key, rule);
	s->seen |= bit;
	if (bit == SEEN_ENABLED) {
		if (strcasecmp(val, "true") == 0 || strcmp(val, "1") == 0 ||
		    strcasecmp(val, "yes") == 0)
			r->enabled = 1;
		else if (strcasecmp(val, "false") == 0 ||
			 strcmp(val, "0") == 0 || strcasecmp(val, "no") == 0)
			r->enabled = 0;
		else
			return problem(s->probs, line,
				       "enabled = `%s`: expected true or "
				       "false",
				       val);
	} else if (bit == SEEN_SEVERITY) {
		if (sfa_severity_parse(val, &r->severity))
			return problem(s->probs, line,
				       "severity = `%s`: expected info, low, "
				       "medium, high or critical",
				       val);
	} else if (parse_days(val, &r->days)) {
		return problem(s->probs, line,
			       "days = `%s`: expected a whole number of days "
			       "from 1 to %d",
			       val, MAX_DAYS);
	}
	return 0;
}

static int sod_key(struct ini_state *s, const char *key, char *val, int line)
{
	char *plus = strchr(val, '+'), *a, *b;
	size_t i;

	if (!plus || strchr(plus + 1, '+'))
		return problem(s->probs, line,
			       "[sod] %s: expected `NAME = A + B` (two "
			       "sides)",
			       key);
	a = sfa_ini_trim(val, plus);
	b = sfa_ini_trim(plus + 1, plus + 1 + strlen(plus + 1));
	if (!*a || !*b)
		return problem(s->probs, line, "[sod] %s: a side is empty",
			       key);
	for (i = 0; i < s->p->nsod; i++)
		if (strcmp(s->p->sod[i].name, key) == 0)
			return problem(s->probs, line,
				       "[sod] pair `%s` given twice", key);
	return add_sod(s->p, key, a, b, line);
}

static int parse_line(struct ini_state *s, char *text, int line)
{
	char *l = sfa_ini_trim(text, text + strlen(text)), *eq, *key, *val;

	if (!*l || *l == '#' || *l == ';')
		return 0;
	if (*l == '[') {
		char *name;

		if (sfa_ini_section(l, &name))
			return problem(s->probs, line,
				       "a section header is `[name]` (a "
				       "comment may follow)");
		return parse_section(s, name, line);
	}
	if (!(eq = strchr(l, '=')))
		return problem(s->probs, line,
			       "expected `key = value`, a [section] or a "
			       "comment");
	key = sfa_ini_trim(l, eq);
	val = sfa_ini_uncomment(eq + 1);
	if (!*key)
		return problem(s->probs, line, "a key is empty");
	if (s->section == SECTION_BAD)
		return 0; /* the section was named already */
	if (s->section == SECTION_NONE)
		return problem(s->probs, line,
			       "`%s` is outside any [rule.NAME] or [sod] "
			       "section",
			       key);
	if (s->section == SECTION_SOD)
		return sod_key(s, key, val, line);
	return rule_key(s, key, val, line);
}

int sfa_policy_parse(sfa_policy **out, const char *text, size_t len,
		     const char *name, sfa_problems *probs, sfa_err *err)
{
	struct ini_state s = {NULL, probs, SECTION_NONE, 0};
	size_t i = 0, j;
	int line = 0, rc;

	*out = NULL;
	if ((rc = sfa_policy_default(&s.p, err)))
		return rc;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len) {
		char *copy;

		line++;
		for (j = i; j < len && text[j] != '\n'; j++)
			;
		if (memchr(text + i, '\0', j - i)) {
			rc = problem(probs, line, "a NUL byte");
		} else if (!(copy = calloc(j - i + 1, 1))) {
			rc = SFA_ENOMEM;
		} else {
			memcpy(copy, text + i, j - i);
			copy[j - i] = '\0';
			rc = parse_line(&s, copy, line);
			free(copy);
		}
		if (rc) {
			sfa_policy_free(s.p);
			return sfa_err_set(err, rc, "out of memory reading %s",
					   name);
		}
		i = j + 1;
	}
	if (probs->n) {
		sfa_policy_free(s.p);
		return refuse(probs, name, err);
	}
	if (!(s.p->file = strdup(name))) {
		sfa_policy_free(s.p);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	*out = s.p;
	return 0;
}

int sfa_policy_load(sfa_policy **out, const char *path, sfa_problems *probs,
		    sfa_err *err)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = sfa_read_file(path, NULL, SFA_FILE_ANY_SIZE, &text, &len,
				err)))
		return rc;
	rc = sfa_policy_parse(out, text, len, path, probs, err);
	free(text);
	return rc;
}

/* ---- the HR file ---- */

enum { HR_EMAIL, HR_USERNAME, HR_FEDERATION_ID, HR_STATUS, HR_DATE, HR_NCOLS };
static const char *const hr_cols[HR_NCOLS] = {
    "email", "username", "federation_id", "status", "termination_date"};

struct sfa_hr {
	char *name;
	sfa_hr_person *people;
	size_t n, cap;
};

struct hr_state {
	sfa_hr *hr;
	sfa_problems *probs;
	int col[HR_NCOLS]; /* field index of each column, -1 when absent */
	int header_done;
	int line;
	int oom;
};

static char *dup_or_null(const char *s)
{
	return *s ? strdup(s) : NULL;
}

/* YYYY-MM-DD with a real month and day. */
static int valid_date(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int y, m, d, i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-'
				     : !isdigit((unsigned char)s[i]))
			return 0;
	if (s[10])
		return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

static int hr_header(struct hr_state *s, const char *const *f, size_t n)
{
	size_t i;
	int c;

	for (c = 0; c < HR_NCOLS; c++)
		s->col[c] = -1;
	for (i = 0; i < n; i++) {
		char *copy = strdup(f[i]), *name;

		if (!copy)
			return SFA_ENOMEM;
		name = sfa_ini_trim(copy, copy + strlen(copy));
		if (i == 0 && strncmp(name, "\xEF\xBB\xBF", 3) == 0)
			name += 3;
		for (c = 0; c < HR_NCOLS; c++)
			if (strcasecmp(name, hr_cols[c]) == 0)
				break;
		if (c == HR_NCOLS) {
			if (problem(s->probs, s->line,
				    "unknown column `%s` (expected email, "
				    "username, federation_id, status, "
				    "termination_date)",
				    name)) {
				free(copy);
				return SFA_ENOMEM;
			}
		} else if (s->col[c] >= 0) {
			if (problem(s->probs, s->line,
				    "column `%s` given twice", hr_cols[c])) {
				free(copy);
				return SFA_ENOMEM;
			}
		} else {
			s->col[c] = (int)i;
		}
		free(copy);
	}
	if (s->col[HR_EMAIL] < 0 && s->col[HR_USERNAME] < 0 &&
	    s->col[HR_FEDERATION_ID] < 0 &&
	    problem(s->probs, s->line,
		    "no column to match users by: need email, username or "
		    "federation_id"))
		return SFA_ENOMEM;
	if (s->col[HR_STATUS] < 0 &&
	    problem(s->probs, s->line, "no `status` column"))
		return SFA_ENOMEM;
	return 0;
}

static const char *field(const struct hr_state *s, const char *const *f,
			 size_t n, int c)
{
	return s->col[c] >= 0 && (size_t)s->col[c] < n ? f[s->col[c]] : "";
}

static int hr_row(struct hr_state *s, const char *const *f, size_t n)
{
	const char *status = field(s, f, n, HR_STATUS);
	const char *date = field(s, f, n, HR_DATE);
	const char *keys[3] = {field(s, f, n, HR_EMAIL),
			       field(s, f, n, HR_USERNAME),
			       field(s, f, n, HR_FEDERATION_ID)};
	sfa_hr_person *p;
	int terminated;

	if (n == 1 && !*f[0])
		return 0; /* a blank line */
	if (!*keys[0] && !*keys[1] && !*keys[2])
		return problem(s->probs, s->line,
			       "no email, username or federation_id to match "
			       "a user by");
	if (strcasecmp(status, "terminated") == 0)
		terminated = 1;
	else if (strcasecmp(status, "active") == 0)
		terminated = 0;
	else
		return problem(s->probs, s->line,
			       "status `%s`: expected active or terminated",
			       status);
	if (*date && !valid_date(date))
		return problem(s->probs, s->line,
			       "termination_date `%s`: expected YYYY-MM-DD",
			       date);
	if (terminated && !*date)
		return problem(s->probs, s->line,
			       "a terminated person needs a "
			       "termination_date");
	if (SFA_GROW(s->hr->people, s->hr->cap, s->hr->n + 1))
		return SFA_ENOMEM;
	p = &s->hr->people[s->hr->n++];
	memset(p, 0, sizeof(*p));
	p->line = s->line;
	p->terminated = terminated;
	p->email = dup_or_null(keys[0]);
	p->username = dup_or_null(keys[1]);
	p->federation_id = dup_or_null(keys[2]);
	p->termination_date = dup_or_null(date);
	if ((*keys[0] && !p->email) || (*keys[1] && !p->username) ||
	    (*keys[2] && !p->federation_id) || (*date && !p->termination_date))
		return SFA_ENOMEM;
	return 0;
}

static int hr_cb(void *ud, const char *const *f, size_t n, sfa_err *err)
{
	struct hr_state *s = ud;
	int rc;

	s->line++;
	if (!s->header_done) {
		s->header_done = 1;
		rc = hr_header(s, f, n);
	} else {
		rc = hr_row(s, f, n);
	}
	if (rc)
		return sfa_err_set(err, rc, "out of memory");
	return 0;
}

void sfa_hr_free(sfa_hr *hr)
{
	size_t i;

	if (!hr)
		return;
	for (i = 0; i < hr->n; i++) {
		free((char *)hr->people[i].email);
		free((char *)hr->people[i].username);
		free((char *)hr->people[i].federation_id);
		free((char *)hr->people[i].termination_date);
	}
	free(hr->people);
	free(hr->name);
	free(hr);
}

int sfa_hr_parse(sfa_hr **out, const char *text, size_t len, const char *name,
		 sfa_problems *probs, sfa_err *err)
{
	struct hr_state s;
	sfa_csv_stream *cs = NULL;
	int rc;

	*out = NULL;
	memset(&s, 0, sizeof(s));
	s.probs = probs;
	if (!(s.hr = calloc(1, sizeof(*s.hr))) ||
	    !(s.hr->name = strdup(name))) {
		sfa_hr_free(s.hr);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	if (memchr(text, '\0', len)) {
		rc = problem(probs, 1, "a NUL byte: not a CSV text file");
		if (rc)
			goto oom;
		goto refused;
	}
	if ((rc = sfa_csv_stream_new(&cs, hr_cb, &s, err)))
		goto fail;
	rc = sfa_csv_stream_feed(cs, text, len, err);
	if (rc == 0)
		rc = sfa_csv_stream_end(cs, err);
	sfa_csv_stream_free(cs);
	if (rc == SFA_EPROTO) {
		if (problem(probs, s.line + 1, "not CSV: %s", err->msg))
			goto oom;
	} else if (rc) {
		goto fail;
	}
	if (!s.header_done && problem(probs, 1, "empty: no header"))
		goto oom;
	if (probs->n)
		goto refused;
	*out = s.hr;
	return 0;
refused:
	sfa_hr_free(s.hr);
	return refuse(probs, name, err);
oom:
	rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
fail:
	sfa_hr_free(s.hr);
	return rc;
}

int sfa_hr_load(sfa_hr **out, const char *path, sfa_problems *probs,
		sfa_err *err)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = sfa_read_file(path, NULL, SFA_FILE_ANY_SIZE, &text, &len,
				err)))
		return rc;
	rc = sfa_hr_parse(out, text, len, path, probs, err);
	free(text);
	return rc;
}

size_t sfa_hr_count(const sfa_hr *hr)
{
	return hr->n;
}

const sfa_hr_person *sfa_hr_get(const sfa_hr *hr, size_t i)
{
	return &hr->people[i];
}

const char *sfa_hr_name(const sfa_hr *hr)
{
	return hr->name;
}
