/*
 * output.h - the --format option shared by snapshots, show and diff:
 * table (for people), csv (for spreadsheets), json (for programs).
 */
#ifndef SFA_OUTPUT_H
#define SFA_OUTPUT_H

typedef enum { SFA_FMT_TABLE, SFA_FMT_CSV, SFA_FMT_JSON } sfa_format;

/* Parses a --format value (NULL = table); prints an error naming the flag
 * and returns -1 when it is not one of them. */
int sfa_format_parse(const char *cmd, const char *s, sfa_format *out);

#endif
