/*
 * soql.h - the one place SOQL string literals are made.  Every value that
 * comes from a user, a file or the org and goes into a SOQL statement goes
 * through sfa_soql_quote().
 */
#ifndef SFA_SOQL_H
#define SFA_SOQL_H

/* Returns a malloc'd SOQL string literal for s, quotes included
 * ('O\'Brien'), escaping \ ' " and the control characters SOQL defines
 * (\n \r \t \b \f).  NULL on ENOMEM.  The caller frees. */
char *sfa_soql_quote(const char *s);

#endif
