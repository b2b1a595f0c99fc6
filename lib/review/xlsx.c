/*
 * xlsx.c - the cells of an .xlsx workbook.  Small parts (workbook, its
 * relationships, core properties, shared strings) are read whole; a sheet
 * is streamed from the zip through xmlReaderForIO, so a 50,000-row sheet
 * never sits in memory as XML.  Limits keep a hostile file (a zip bomb, a
 * cell at XFD1048576) from costing more than a real workbook could.
 */
#include "xlsx.h"

#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "buf.h"
#include "grow.h"

#define MAX_PART (64L << 20)	    /* bytes of a part read whole */
#define MAX_COLS 16384		    /* Excel's XFD */
#define MAX_ROW 1048576L	    /* Excel's last row */
#define MAX_SHARED (32L << 20)	    /* bytes of all shared strings */
#define NS_REL                                                                 \
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships"

struct sfa_xlsx {
	zip_t *zip;
	char *name;
	char **sst; /* shared strings, loaded with the first sheet */
	size_t nsst;
	int sst_loaded;
};

static int bad(sfa_xlsx *x, sfa_err *err, const char *what)
{
	sfa_err_where(err, "%s", x->name);
	return sfa_err_set(err, SFA_EINPUT, "%s: not a readable .xlsx "
					    "workbook: %s",
			   x->name, what);
}

static int open_zip(sfa_xlsx **out, const char *name, zip_source_t *src,
		    sfa_err *err)
{
	sfa_xlsx *x = calloc(1, sizeof(*x));
	zip_error_t ze;

	*out = NULL;
	if (!x || !(x->name = strdup(name))) {
		free(x);
		zip_source_free(src);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	zip_error_init(&ze);
	if (!(x->zip = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
		int rc;

		zip_source_free(src);
		rc = bad(x, err, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		sfa_xlsx_free(x);
		return rc;
	}
	zip_error_fini(&ze);
	if (zip_name_locate(x->zip, "xl/workbook.xml", 0) < 0) {
		int rc = bad(x, err, "it has no xl/workbook.xml");

		sfa_xlsx_free(x);
		return rc;
	}
	*out = x;
	return 0;
}

int sfa_xlsx_open(sfa_xlsx **out, const char *path, sfa_err *err)
{
	zip_error_t ze;
	zip_source_t *src;

	zip_error_init(&ze);
	src = zip_source_file_create(path, 0, -1, &ze);
	zip_error_fini(&ze);
	if (!src) {
		sfa_err_where(err, "%s", path);
		return sfa_err_set(err, SFA_EIO, "cannot open %s", path);
	}
	return open_zip(out, path, src, err);
}

int sfa_xlsx_open_mem(sfa_xlsx **out, const char *name, const void *data,
		      size_t len, sfa_err *err)
{
	zip_error_t ze;
	zip_source_t *src;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	zip_error_fini(&ze);
	if (!src)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	return open_zip(out, name, src, err);
}

void sfa_xlsx_free(sfa_xlsx *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; i < x->nsst; i++)
		free(x->sst[i]);
	free(x->sst);
	if (x->zip)
		zip_discard(x->zip);
	free(x->name);
	free(x);
}

void sfa_xlsx_cell_name(size_t col, long row, char out[16])
{
	char letters[8];
	int n = 0, i;

	col++;
	while (col && n < 7) {
		letters[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		out[i] = letters[n - 1 - i];
	snprintf(out + n, (size_t)(16 - n), "%ld", row);
}

/* ---- parts ---- */

/* Reads part `name` whole into b; *found 0 when the package lacks it. */
static int read_part(sfa_xlsx *x, const char *name, sfa_buf *b, int *found,
		     sfa_err *err)
{
	zip_file_t *f;
	char chunk[65536];
	zip_int64_t n;

	*found = 0;
	if (!(f = zip_fopen(x->zip, name, 0)))
		return 0;
	*found = 1;
	while ((n = zip_fread(f, chunk, sizeof(chunk))) > 0) {
		if ((long)(b->len + (size_t)n) > MAX_PART) {
			zip_fclose(f);
			return bad(x, err, "a part is larger than 64 MB");
		}
		if (sfa_buf_append(b, chunk, (size_t)n)) {
			zip_fclose(f);
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		}
	}
	zip_fclose(f);
	if (n < 0)
		return bad(x, err, "a compressed part is damaged");
	return 0;
}

/* Reads part `name` into b and opens an XML reader over it into *r; *r
 * NULL (and 0) when the package lacks the part.  The caller frees both. */
static int open_part(sfa_xlsx *x, const char *name, sfa_buf *b,
		     xmlTextReaderPtr *r, sfa_err *err)
{
	int found, rc;

	*r = NULL;
	if ((rc = read_part(x, name, b, &found, err)) || !found)
		return rc;
	if (!(*r = xmlReaderForMemory(b->data ? b->data : "", (int)b->len,
				      NULL, NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR |
					  XML_PARSE_NOWARNING)))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	return 0;
}

static int is_elem(xmlTextReaderPtr r, const char *name)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);

	return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && n &&
	       strcmp((const char *)n, name) == 0;
}

static int is_end(xmlTextReaderPtr r, const char *name)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);

	return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT && n &&
	       strcmp((const char *)n, name) == 0;
}

static int is_text(xmlTextReaderPtr r)
{
	int t = xmlTextReaderNodeType(r);

	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	       t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
	       t == XML_READER_TYPE_WHITESPACE;
}

int sfa_xlsx_property(sfa_xlsx *x, const char *name, char **out,
		      sfa_err *err)
{
	sfa_buf b = {0}, v = {0};
	xmlTextReaderPtr r;
	int rc, in = 0, got = 0, st;

	*out = NULL;
	if ((rc = open_part(x, "docProps/core.xml", &b, &r, err)) || !r) {
		sfa_buf_free(&b);
		return rc;
	}
	while ((st = xmlTextReaderRead(r)) == 1) {
		if (is_elem(r, name) && !xmlTextReaderIsEmptyElement(r)) {
			in = got = 1;
		} else if (in && is_end(r, name)) {
			in = 0;
		} else if (in && is_text(r)) {
			if (sfa_buf_puts(&v, (const char *)xmlTextReaderConstValue(
						 r))) {
				rc = sfa_err_set(err, SFA_ENOMEM,
						 "out of memory");
				break;
			}
		} else if (is_elem(r, name)) {
			got = 1;
		}
	}
	if (!rc && st < 0)
		rc = bad(x, err, "docProps/core.xml is not XML");
	xmlFreeTextReader(r);
	sfa_buf_free(&b);
	if (!rc && got) {
		*out = v.data ? sfa_buf_detach(&v) : strdup("");
		if (!*out)
			rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	sfa_buf_free(&v);
	return rc;
}

/* The relationship id of sheet `sheet` in xl/workbook.xml, then its part
 * name from xl/_rels/workbook.xml.rels, into part. */
static int find_sheet(sfa_xlsx *x, const char *sheet, sfa_buf *part,
		      sfa_err *err)
{
	sfa_buf b = {0};
	xmlTextReaderPtr r = NULL;
	xmlChar *rid = NULL;
	int rc;

	/* Without xl/workbook.xml the package names no sheet at all. */
	if ((rc = open_part(x, "xl/workbook.xml", &b, &r, err)))
		goto out;
	while (!rid && r && xmlTextReaderRead(r) == 1)
		if (is_elem(r, "sheet")) {
			xmlChar *n = xmlTextReaderGetAttribute(
			    r, (const xmlChar *)"name");

			if (n && strcmp((const char *)n, sheet) == 0)
				rid = xmlTextReaderGetAttributeNs(
				    r, (const xmlChar *)"id",
				    (const xmlChar *)NS_REL);
			xmlFree(n);
		}
	xmlFreeTextReader(r);
	r = NULL;
	if (!rid) {
		sfa_err_where(err, "%s", x->name);
		rc = sfa_err_set(err, SFA_EINPUT, "%s has no sheet named %s",
				 x->name, sheet);
		goto out;
	}
	sfa_buf_reset(&b);
	if ((rc = open_part(x, "xl/_rels/workbook.xml.rels", &b, &r, err)))
		goto out;
	if (!r) {
		rc = bad(x, err, "it has no xl/_rels/workbook.xml.rels");
		goto out;
	}
	while (xmlTextReaderRead(r) == 1 && !part->len)
		if (is_elem(r, "Relationship")) {
			xmlChar *id = xmlTextReaderGetAttribute(
				    r, (const xmlChar *)"Id"),
				*t = xmlTextReaderGetAttribute(
				    r, (const xmlChar *)"Target");

			if (id && t && strcmp((const char *)id,
					      (const char *)rid) == 0) {
				const char *tt = (const char *)t;

				rc = tt[0] == '/'
					 ? sfa_buf_puts(part, tt + 1)
					 : sfa_buf_printf(part, "xl/%s", tt);
			}
			xmlFree(id);
			xmlFree(t);
			if (rc) {
				rc = sfa_err_set(err, SFA_ENOMEM,
						 "out of memory");
				goto out;
			}
		}
	if (!part->len)
		rc = bad(x, err, "a sheet's part is not in its relationships");
out:
	xmlFree(rid);
	xmlFreeTextReader(r);
	sfa_buf_free(&b);
	return rc;
}

static int load_shared(sfa_xlsx *x, sfa_err *err)
{
	sfa_buf b = {0}, s = {0};
	xmlTextReaderPtr r;
	int rc, st, in_si = 0, in_t = 0, in_rph = 0;
	size_t cap = 0, total = 0;

	x->sst_loaded = 1;
	if ((rc = open_part(x, "xl/sharedStrings.xml", &b, &r, err)) || !r) {
		sfa_buf_free(&b);
		return rc;
	}
	while (!rc && (st = xmlTextReaderRead(r)) == 1) {
		int empty = xmlTextReaderIsEmptyElement(r);

		if (is_elem(r, "si")) {
			sfa_buf_reset(&s);
			in_si = 1;
			if (!empty)
				continue;
		} else if (is_elem(r, "rPh") && !empty) {
			in_rph = 1; /* phonetic guide: not the cell's text */
			continue;
		} else if (is_end(r, "rPh")) {
			in_rph = 0;
			continue;
		} else if (is_elem(r, "t") && !empty) {
			in_t = 1;
			continue;
		} else if (is_end(r, "t")) {
			in_t = 0;
			continue;
		} else if (in_si && in_t && !in_rph && is_text(r)) {
			const char *v = (const char *)xmlTextReaderConstValue(r);

			total += strlen(v);
			if ((long)total > MAX_SHARED) {
				rc = bad(x, err, "its shared strings exceed "
						 "32 MB");
				break;
			}
			if (sfa_buf_puts(&s, v))
				rc = sfa_err_set(err, SFA_ENOMEM,
						 "out of memory");
			continue;
		}
		if (in_si && (is_end(r, "si") || (is_elem(r, "si") && empty))) {
			in_si = 0;
			if (SFA_GROW(x->sst, cap, x->nsst + 1)) {
				rc = sfa_err_set(err, SFA_ENOMEM,
						 "out of memory");
				break;
			}
			if (!(x->sst[x->nsst] = strdup(s.data ? s.data : "")))
				rc = sfa_err_set(err, SFA_ENOMEM,
						 "out of memory");
			else
				x->nsst++;
		}
	}
	if (!rc && st < 0)
		rc = bad(x, err, "xl/sharedStrings.xml is not XML");
	xmlFreeTextReader(r);
	sfa_buf_free(&b);
	sfa_buf_free(&s);
	return rc;
}

/* ---- a sheet, streamed ---- */

static int zip_read_cb(void *ctx, char *buf, int len)
{
	zip_int64_t n = zip_fread(ctx, buf, (zip_uint64_t)len);

	return n < 0 ? -1 : (int)n;
}

static int zip_close_cb(void *ctx)
{
	(void)ctx; /* closed by sfa_xlsx_each_row() */
	return 0;
}

typedef struct rowbuf {
	sfa_buf *cell; /* by column */
	const char **view;
	size_t n, cap; /* columns used in this row, allocated */
	long row;
} rowbuf;

/* Column and row of a reference such as "K17"; 0 when it is not one. */
static int parse_ref(const char *ref, size_t *col, long *row)
{
	size_t c = 0;
	long r = 0;
	int letters = 0;

	for (; *ref >= 'A' && *ref <= 'Z' && letters < 4; ref++, letters++)
		c = c * 26 + (size_t)(*ref - 'A' + 1);
	if (!letters || c > MAX_COLS)
		return 0;
	for (; *ref >= '0' && *ref <= '9' && r <= MAX_ROW; ref++)
		r = r * 10 + (*ref - '0');
	if (*ref || r < 1 || r > MAX_ROW)
		return 0;
	*col = c - 1;
	*row = r;
	return 1;
}

static int row_cell(rowbuf *rb, size_t col, sfa_buf **out)
{
	if (col >= rb->cap) {
		/* Both grow alike from the same capacity. */
		size_t cap = rb->cap, vcap = rb->cap, i;

		if (SFA_GROW(rb->cell, cap, col + 1) ||
		    SFA_GROW(rb->view, vcap, col + 1))
			return SFA_ENOMEM;
		for (i = rb->cap; i < cap; i++)
			memset(&rb->cell[i], 0, sizeof(rb->cell[i]));
		rb->cap = cap;
	}
	while (rb->n <= col)
		sfa_buf_reset(&rb->cell[rb->n++]);
	sfa_buf_reset(&rb->cell[col]);
	*out = &rb->cell[col];
	return 0;
}

static int emit(rowbuf *rb, sfa_xlsx_row_fn fn, void *ud)
{
	size_t i;

	if (!rb->n)
		return 0;
	for (i = 0; i < rb->n; i++)
		rb->view[i] = rb->cell[i].data ? rb->cell[i].data : "";
	return fn(ud, rb->row, rb->view, rb->n);
}

typedef struct cellstate {
	sfa_buf *out; /* the current cell's text, NULL outside a cell */
	int type_s;   /* t="s": the value is a shared string index */
	int in_v, in_is_t;
} cellstate;

static int end_cell(sfa_xlsx *x, cellstate *cs, sfa_err *err)
{
	if (cs->out && cs->type_s) {
		char *end;
		unsigned long k = strtoul(cs->out->data ? cs->out->data : "",
					  &end, 10);

		if (!cs->out->data || *end || k >= x->nsst)
			return bad(x, err, "a cell names a shared string "
					   "it does not have");
		sfa_buf_reset(cs->out);
		if (sfa_buf_puts(cs->out, x->sst[k]))
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	cs->out = NULL;
	return 0;
}

int sfa_xlsx_each_row(sfa_xlsx *x, const char *sheet, sfa_xlsx_row_fn fn,
		      void *ud, sfa_err *err)
{
	sfa_buf part = {0};
	zip_file_t *f = NULL;
	xmlTextReaderPtr r = NULL;
	rowbuf rb;
	cellstate cs;
	long last_row = 0;
	size_t next_col = 0, i;
	int rc, st = 1;

	memset(&rb, 0, sizeof(rb));
	memset(&cs, 0, sizeof(cs));
	if ((rc = find_sheet(x, sheet, &part, err)) ||
	    (!x->sst_loaded && (rc = load_shared(x, err))))
		goto out;
	if (!(f = zip_fopen(x->zip, part.data, 0))) {
		rc = bad(x, err, "a sheet's part is missing");
		goto out;
	}
	if (!(r = xmlReaderForIO(zip_read_cb, zip_close_cb, f, NULL, NULL,
				 XML_PARSE_NONET | XML_PARSE_NOERROR |
				     XML_PARSE_NOWARNING))) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	while (!rc && (st = xmlTextReaderRead(r)) == 1) {
		int empty = xmlTextReaderIsEmptyElement(r);

		if (is_elem(r, "row")) {
			xmlChar *n = xmlTextReaderGetAttribute(
			    r, (const xmlChar *)"r");
			long want = last_row + 1;

			if (n) {
				char *end;

				want = strtol((const char *)n, &end, 10);
				if (*end || want <= last_row || want > MAX_ROW)
					rc = bad(x, err, "rows are out of "
							 "order");
			}
			xmlFree(n);
			rb.row = last_row = want;
			rb.n = 0;
			next_col = 0;
			if (empty)
				rb.n = 0; /* nothing to hand over */
		} else if (is_end(r, "row")) {
			rc = emit(&rb, fn, ud);
			rb.n = 0;
		} else if (is_elem(r, "c")) {
			xmlChar *ref = xmlTextReaderGetAttribute(
				    r, (const xmlChar *)"r"),
				*t = xmlTextReaderGetAttribute(
				    r, (const xmlChar *)"t");
			size_t col = next_col;
			long row = rb.row;

			if (ref && (!parse_ref((const char *)ref, &col, &row) ||
				    row != rb.row || col < next_col))
				rc = bad(x, err, "a cell reference is out of "
						 "place");
			else if (!rb.row)
				rc = bad(x, err, "a cell is outside a row");
			else if (row_cell(&rb, col, &cs.out))
				rc = sfa_err_set(err, SFA_ENOMEM,
						 "out of memory");
			cs.type_s = t && strcmp((const char *)t, "s") == 0;
			next_col = col + 1;
			xmlFree(ref);
			xmlFree(t);
			if (!rc && empty)
				cs.out = NULL;
		} else if (is_end(r, "c")) {
			rc = end_cell(x, &cs, err);
		} else if (is_elem(r, "v") && !empty) {
			cs.in_v = 1;
		} else if (is_end(r, "v")) {
			cs.in_v = 0;
		} else if (is_elem(r, "t") && !empty) {
			cs.in_is_t = 1;
		} else if (is_end(r, "t")) {
			cs.in_is_t = 0;
		} else if (cs.out && (cs.in_v || cs.in_is_t) && is_text(r)) {
			if (sfa_buf_puts(cs.out, (const char *)
						     xmlTextReaderConstValue(r)))
				rc = sfa_err_set(err, SFA_ENOMEM,
						 "out of memory");
		}
	}
	if (!rc && st < 0)
		rc = bad(x, err, "a sheet is not well-formed XML");
out:
	xmlFreeTextReader(r);
	if (f)
		zip_fclose(f);
	for (i = 0; i < rb.cap; i++)
		sfa_buf_free(&rb.cell[i]);
	free(rb.cell);
	free(rb.view);
	sfa_buf_free(&part);
	return rc;
}
