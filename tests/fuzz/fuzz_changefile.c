/*
 * fuzz_changefile.c - the change file is the only input of apply, and a
 * reviewer may have edited it in any spreadsheet.  The parser (libcsv
 * underneath, # comments, Key=Value fields) must report problems by line
 * and never crash; every row it keeps has its strings set.  The fields
 * cell parser is fuzzed on the same bytes as one cell.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "changefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sfa_changefile *cf = NULL;
	sfa_problems probs = {0};
	sfa_err err;
	sfa_kv *kv = NULL;
	size_t nkv = 0, i, j;
	char *cell;

	sfa_err_clear(&err);
	if (sfa_changefile_parse(&cf, "fuzz.csv", (const char *)data, size,
				 &probs, &err) == 0) {
		for (i = 0; i < cf->n; i++) {
			const sfa_change *c = &cf->rows[i];

			if (!c->resource || !c->user || c->line < 1)
				abort();
			(void)sfa_op_name(c->op);
			(void)sfa_rtype_name(c->rtype);
			for (j = 0; j < c->nkv; j++)
				if (!c->kv[j].key || !c->kv[j].value ||
				    sfa_change_field(c, c->kv[j].key) == NULL)
					abort();
		}
		if (strlen(cf->sha256) != 64)
			abort();
		sfa_problems_sort(&probs);
		for (i = 0; i < probs.n; i++)
			if (!probs.v[i].msg || probs.v[i].line < 0)
				abort();
		sfa_changefile_free(cf);
	}
	sfa_problems_free(&probs);

	cell = malloc(size + 1);
	if (!cell)
		return 0;
	memcpy(cell, data, size);
	cell[size] = '\0';
	if (sfa_fields_parse(cell, &kv, &nkv, &err) == 0)
		sfa_kv_free(kv, nkv);
	free(cell);
	return 0;
}
