/*
 * output.h - the --format option shared by snapshots, show and diff:
 * table (for people), csv (for spreadsheets), json (for programs).
 */
#ifndef SFA_OUTPUT_H
#define SFA_OUTPUT_H

#include <jansson.h>

typedef enum { SFA_FMT_TABLE, SFA_FMT_CSV, SFA_FMT_JSON } sfa_format;

/* Parses a --format value (NULL = table); prints an error naming the flag
 * and returns -1 when it is not one of them. */
int sfa_format_parse(const char *cmd, const char *s, sfa_format *out);

/* Prints a snapshot's provenance (evidence.md) for people: one
 * "  key  value" line per member, indented by indent spaces; a snapshot
 * without one says so. */
void sfa_print_provenance(const json_t *prov, int indent);

#endif
