/*
 * output.h - the --format option shared by snapshots, show and diff:
 * table (for people), csv (for spreadsheets), json (for programs); and
 * the table writer that fits a terminal.
 */
#ifndef SFA_OUTPUT_H
#define SFA_OUTPUT_H

#include <jansson.h>
#include <stdio.h>

typedef enum { SFA_FMT_TABLE, SFA_FMT_CSV, SFA_FMT_JSON } sfa_format;

/* Parses a --format value (NULL = table); prints an error naming the flag
 * and returns -1 when it is not one of them. */
int sfa_format_parse(const char *cmd, const char *s, sfa_format *out);

/* The width tables must fit: COLUMNS when set, else the terminal's width
 * when stdout is one, else 0 (no limit: a pipe or file gets whole cells). */
int sfa_terminal_width(void);

#define SFA_TABLE_MAX_COLS 12

/* One column: its header, the width it takes when there is room, and
 * whether it keeps that width however narrow the terminal (ids, short
 * type names: cut, they would say nothing). */
typedef struct sfa_table_col {
	const char *header;
	int width, fixed;
} sfa_table_col;

/* A table streamed row by row: the columns' widths are fixed when it
 * begins, the columns not `fixed` shrunk in proportion to fit
 * sfa_terminal_width(); a cell wider
 * than its column is cut with "…" only when there is a limit.  The last
 * column takes what is left and is not padded. */
typedef struct sfa_table {
	FILE *f;
	int n, limit;
	int w[SFA_TABLE_MAX_COLS];
} sfa_table;

/* Fixes the widths and prints the header line. */
void sfa_table_begin(sfa_table *t, FILE *f, const sfa_table_col *cols, int n);
/* Prints one row of t->n cells (NULL prints as empty). */
void sfa_table_row(sfa_table *t, const char *const *cells);

/* Prints a snapshot's provenance (EVIDENCE.md) for people: one
 * "  key  value" line per member, indented by indent spaces; a snapshot
 * without one says so. */
void sfa_print_provenance(const json_t *prov, int indent);

#endif
