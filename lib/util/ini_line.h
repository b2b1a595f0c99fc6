/*
 * ini_line.h - the line syntax the configuration file (config.h) and the
 * policy file (lib/policy/POLICY.md) share: trimming, comments and section
 * headers.  One place, so that a comment means the same in both files.
 *
 * A comment is a line whose first non-blank character is `#` or `;`, or
 * the rest of a line from a `#` or `;` that follows whitespace: after a
 * value (`domain = acme.my.salesforce.com ; production`) or after a
 * section header (`[review]  # quarterly`).  A `#` or `;` glued to the
 * text before it (`abc#def`) is text.
 */
#ifndef SFA_INI_LINE_H
#define SFA_INI_LINE_H

/* Trims the blanks around [s, end) in place (writes a NUL at the new
 * end); returns the first non-blank character. */
char *sfa_ini_trim(char *s, char *end);

/* Whether a comment starts at p, in text that starts at start. */
int sfa_ini_comment_at(const char *p, const char *start);

/* Cuts s (unquoted text) at its comment, if any, and trims it in place;
 * returns the trimmed text. */
char *sfa_ini_uncomment(char *s);

/* A trimmed line that starts with `[`: its section name, trimmed in place
 * into *name, when the line is `[name]` with an optional comment after;
 * -1 (nothing written) for any other line. */
int sfa_ini_section(char *line, char **name);

#endif
