/*
 * junit.c - the generic JUnit XML writer of report_junit.h.  The document
 * writer streams to the caller's FILE; each open suite has its own writer
 * on a tmpfile() holding its testcases until the suite's counts are known.
 */
#include "report_junit.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "utf8.h"

/* Owns every string, the props and the suite list. */
struct sfa_junit {
	xmlTextWriterPtr w;
	char *hostname, *timestamp;
	char **props; /* name, value, name, value, ... */
	int nprops;
	int next_id; /* the schema's id: 0 for the first suite, then +1 */
	long long tests, failures;
	sfa_junit_suite *open; /* suites begun and not ended */
};

/* Owns its strings, props, tmp file and writer. */
struct sfa_junit_suite {
	sfa_junit *j;
	sfa_junit_suite *next;
	char *name, *package;
	char **props;
	int nprops;
	FILE *tmp;
	xmlTextWriterPtr w;
	long long tests, failures, errors, skipped;
	double seconds;
};

char *sfa_junit_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	/* Each input byte becomes at most 3 output bytes (U+FFFD). */
	char *out = malloc(strlen((const char *)p) * 3 + 1), *o = out;

	if (!out)
		return NULL;
	while (*p) {
		unsigned cp;
		size_t n = sfa_utf8_next(p, &cp);

		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0xFFFE || cp == 0xFFFF || (cp == 0xFFFD && n == 1)) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	*o = '\0';
	return out;
}

/* Writes attribute name=value, cleaning value; returns < 0 on failure. */
static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *v = sfa_junit_clean(value);
	int rc =
	    v ? xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST v) : -1;

	free(v);
	return rc;
}

static int text(xmlTextWriterPtr w, const char *value)
{
	char *v = sfa_junit_clean(value);
	int rc = v ? xmlTextWriterWriteString(w, BAD_CAST v) : -1;

	free(v);
	return rc;
}

static int xml_failed(sfa_err *err)
{
	return sfa_err_set(err, SFA_EIO, "cannot write the JUnit report");
}

static int oom(sfa_err *err)
{
	return sfa_err_set(err, SFA_ENOMEM, "out of memory");
}

/* "YYYY-MM-DDTHH:MM:SS" from an ISO 8601 UTC time, or the time now: the
 * schema's pattern allows neither a zone nor fractions. */
static char *schema_time(const char *iso)
{
	char buf[20];
	time_t now;
	struct tm tm;
	int i, ok = iso && strlen(iso) >= 19;

	for (i = 0; ok && i < 19; i++)
		ok = (i == 4 || i == 7)	    ? iso[i] == '-'
		     : i == 10		    ? iso[i] == 'T'
		     : (i == 13 || i == 16) ? iso[i] == ':'
					    : iso[i] >= '0' && iso[i] <= '9';
	if (ok) {
		memcpy(buf, iso, 19);
	} else {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	}
	buf[19] = '\0';
	return strdup(buf);
}

static void free_strings(char **v, int n)
{
	int i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* Appends copies of name and value to *v (2 * *n entries). */
static int add_prop(char ***v, int *n, const char *name, const char *value)
{
	char **p = realloc(*v, (size_t)(*n + 1) * 2 * sizeof(char *)), **pair;

	if (!p)
		return SFA_ENOMEM;
	*v = p;
	pair = p + (size_t)*n * 2;
	pair[0] = strdup(name ? name : "");
	pair[1] = strdup(value ? value : "");
	(*n)++;
	return pair[0] && pair[1] ? 0 : SFA_ENOMEM;
}

int sfa_junit_new(sfa_junit **out, FILE *f, const sfa_junit_opts *opts,
		  sfa_err *err)
{
	sfa_junit *j = calloc(1, sizeof(*j));
	xmlOutputBufferPtr ob;
	int i;

	*out = NULL;
	if (!j)
		return oom(err);
	j->hostname =
	    strdup(opts && opts->hostname && *opts->hostname ? opts->hostname
							     : "localhost");
	j->timestamp = schema_time(opts ? opts->timestamp : NULL);
	for (i = 0; opts && i < opts->nprops; i++)
		if (add_prop(&j->props, &j->nprops, opts->props[i].name,
			     opts->props[i].value)) {
			sfa_junit_free(j);
			return oom(err);
		}
	if (!j->hostname || !j->timestamp) {
		sfa_junit_free(j);
		return oom(err);
	}
	/* A FILE-backed output buffer flushes but never closes f. */
	ob = xmlOutputBufferCreateFile(f, NULL);
	j->w = ob ? xmlNewTextWriter(ob) : NULL;
	if (!j->w) {
		if (ob)
			xmlOutputBufferClose(ob);
		sfa_junit_free(j);
		return oom(err);
	}
	xmlTextWriterSetIndent(j->w, 1);
	xmlTextWriterSetIndentString(j->w, BAD_CAST "  ");
	if (xmlTextWriterStartDocument(j->w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(j->w, BAD_CAST "testsuites") < 0) {
		sfa_junit_free(j);
		return xml_failed(err);
	}
	*out = j;
	return 0;
}

/* Unlinks s from j's open suites (s->j is j) and frees it. */
static void suite_free(sfa_junit *j, sfa_junit_suite *s)
{
	sfa_junit_suite **pp;

	if (!s)
		return;
	for (pp = &j->open; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	if (s->w)
		xmlFreeTextWriter(s->w); /* flushes into tmp; tmp stays open */
	if (s->tmp)
		fclose(s->tmp);
	free(s->name);
	free(s->package);
	free_strings(s->props, s->nprops * 2);
	free(s);
}

int sfa_junit_suite_begin(sfa_junit *j, sfa_junit_suite **out, const char *name,
			  const char *package, sfa_err *err)
{
	sfa_junit_suite *s = calloc(1, sizeof(*s));
	xmlOutputBufferPtr ob;

	*out = NULL;
	if (!s)
		return oom(err);
	s->j = j;
	s->next = j->open;
	j->open = s;
	s->name = strdup(name);
	s->package = strdup(package);
	if (!s->name || !s->package) {
		suite_free(j, s);
		return oom(err);
	}
	s->tmp = tmpfile();
	if (!s->tmp) {
		suite_free(j, s);
		return sfa_err_set(err, SFA_EIO,
				   "cannot create a temporary file for the "
				   "JUnit report");
	}
	ob = xmlOutputBufferCreateFile(s->tmp, NULL);
	s->w = ob ? xmlNewTextWriter(ob) : NULL;
	if (!s->w) {
		if (ob)
			xmlOutputBufferClose(ob);
		suite_free(j, s);
		return oom(err);
	}
	xmlTextWriterSetIndent(s->w, 1);
	xmlTextWriterSetIndentString(s->w, BAD_CAST "  ");
	*out = s;
	return 0;
}

int sfa_junit_suite_prop(sfa_junit_suite *s, const char *name,
			 const char *value, sfa_err *err)
{
	return add_prop(&s->props, &s->nprops, name, value) ? oom(err) : 0;
}

/* One testcase; kind NULL passes, else "failure", "error" or "skipped". */
static int testcase(sfa_junit_suite *s, const char *classname, const char *name,
		    double seconds, const char *kind, const char *type,
		    const char *message, const char *body, sfa_err *err)
{
	xmlTextWriterPtr w = s->w;
	char t[32];
	int bad = 0;

	snprintf(t, sizeof(t), "%.3f", seconds < 0 ? 0.0 : seconds);
	bad |= xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0;
	bad |= attr(w, "name", name) < 0;
	bad |= attr(w, "classname", classname) < 0;
	bad |= attr(w, "time", t) < 0;
	if (kind) {
		bad |= xmlTextWriterStartElement(w, BAD_CAST kind) < 0;
		if (message)
			bad |= attr(w, "message", message) < 0;
		if (type)
			bad |= attr(w, "type", type) < 0;
		if (body)
			bad |= text(w, body) < 0;
		bad |= xmlTextWriterEndElement(w) < 0;
	}
	bad |= xmlTextWriterEndElement(w) < 0;
	s->tests++;
	s->seconds += seconds < 0 ? 0.0 : seconds;
	return bad ? xml_failed(err) : 0;
}

int sfa_junit_pass(sfa_junit_suite *s, const char *classname, const char *name,
		   double seconds, sfa_err *err)
{
	return testcase(s, classname, name, seconds, NULL, NULL, NULL, NULL,
			err);
}

int sfa_junit_fail(sfa_junit_suite *s, const char *classname, const char *name,
		   double seconds, const char *type, const char *message,
		   const char *text, sfa_err *err)
{
	s->failures++;
	/* The schema requires type on <failure>. */
	return testcase(s, classname, name, seconds, "failure",
			type ? type : "failure", message, text, err);
}

int sfa_junit_error(sfa_junit_suite *s, const char *classname, const char *name,
		    double seconds, const char *type, const char *message,
		    const char *text, sfa_err *err)
{
	s->errors++;
	return testcase(s, classname, name, seconds, "error",
			type ? type : "error", message, text, err);
}

int sfa_junit_skip(sfa_junit_suite *s, const char *classname, const char *name,
		   const char *message, sfa_err *err)
{
	s->skipped++;
	return testcase(s, classname, name, 0.0, "skipped", NULL, message, NULL,
			err);
}

long long sfa_junit_suite_tests(const sfa_junit_suite *s)
{
	return s->tests;
}

static int write_props(xmlTextWriterPtr w, char **v, int n)
{
	int i, bad = 0;

	for (i = 0; i < n; i++, v += 2) { /* name, value pairs */
		bad |= xmlTextWriterStartElement(w, BAD_CAST "property") < 0;
		bad |= attr(w, "name", v[0]) < 0;
		bad |= attr(w, "value", v[1]) < 0;
		bad |= xmlTextWriterEndElement(w) < 0;
	}
	return bad ? -1 : 0;
}

/* Copies the suite's testcases from its tmp file into the document. */
static int copy_body(sfa_junit_suite *s)
{
	char buf[8192];
	size_t n;
	int bad = 0;

	xmlFreeTextWriter(s->w); /* flushes the last testcase */
	s->w = NULL;
	if (fflush(s->tmp) != 0 || fseek(s->tmp, 0, SEEK_SET) != 0)
		return -1;
	while (!bad && (n = fread(buf, 1, sizeof(buf), s->tmp)) > 0)
		bad =
		    xmlTextWriterWriteRawLen(s->j->w, BAD_CAST buf, (int)n) < 0;
	return bad || ferror(s->tmp) ? -1 : 0;
}

/* Writes suite s of j (s->j is j) into the report and frees it. */
static int suite_end(sfa_junit *j, sfa_junit_suite *s, sfa_err *err)
{
	xmlTextWriterPtr w = j->w;
	char num[32];
	int bad = 0, rc;

	bad |= xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0;
	bad |= attr(w, "name", s->name) < 0;
	bad |= attr(w, "package", s->package) < 0;
	snprintf(num, sizeof(num), "%d", j->next_id++);
	bad |= attr(w, "id", num) < 0;
	bad |= attr(w, "hostname", j->hostname) < 0;
	bad |= attr(w, "timestamp", j->timestamp) < 0;
	snprintf(num, sizeof(num), "%lld", s->tests);
	bad |= attr(w, "tests", num) < 0;
	snprintf(num, sizeof(num), "%lld", s->failures);
	bad |= attr(w, "failures", num) < 0;
	snprintf(num, sizeof(num), "%lld", s->errors);
	bad |= attr(w, "errors", num) < 0;
	snprintf(num, sizeof(num), "%lld", s->skipped);
	bad |= attr(w, "skipped", num) < 0;
	snprintf(num, sizeof(num), "%.3f", s->seconds);
	bad |= attr(w, "time", num) < 0;
	bad |= xmlTextWriterStartElement(w, BAD_CAST "properties") < 0;
	bad |= write_props(w, j->props, j->nprops) < 0;
	bad |= write_props(w, s->props, s->nprops) < 0;
	bad |= xmlTextWriterEndElement(w) < 0;
	bad |= copy_body(s) < 0;
	/* Empty but present: the strict schema requires both. */
	bad |= xmlTextWriterStartElement(w, BAD_CAST "system-out") < 0;
	bad |= xmlTextWriterEndElement(w) < 0;
	bad |= xmlTextWriterStartElement(w, BAD_CAST "system-err") < 0;
	bad |= xmlTextWriterEndElement(w) < 0;
	bad |= xmlTextWriterEndElement(w) < 0;
	j->tests += s->tests;
	j->failures += s->failures;
	rc = bad ? xml_failed(err) : 0;
	suite_free(j, s);
	return rc;
}

int sfa_junit_suite_end(sfa_junit_suite *s, sfa_err *err)
{
	return suite_end(s->j, s, err);
}

int sfa_junit_finish(sfa_junit *j, long long *tests, long long *failures,
		     sfa_err *err)
{
	int bad = 0;

	while (j->open && !bad)
		bad = suite_end(j, j->open, err) != 0;
	bad |= xmlTextWriterEndDocument(j->w) < 0; /* closes testsuites */
	bad |= xmlTextWriterFlush(j->w) < 0;
	if (tests)
		*tests = j->tests;
	if (failures)
		*failures = j->failures;
	sfa_junit_free(j);
	return bad ? xml_failed(err) : 0;
}

void sfa_junit_free(sfa_junit *j)
{
	if (!j)
		return;
	while (j->open)
		suite_free(j, j->open);
	if (j->w)
		xmlFreeTextWriter(j->w);
	free(j->hostname);
	free(j->timestamp);
	free_strings(j->props, j->nprops * 2);
	free(j);
}
