/*
 * soql.h - the one place SOQL string literals are made.  Every value that
 * comes from a user, a file or the org and goes into a SOQL statement goes
 * through sfa_soql_quote().
 */
#ifndef SFA_SOQL_H
#define SFA_SOQL_H

#include <stddef.h>

/* Returns a malloc'd SOQL string literal for s, quotes included
 * ('O\'Brien'), escaping \ ' " and the control characters SOQL defines
 * (\n \r \t \b \f).  NULL on ENOMEM.  The caller frees. */
char *sfa_soql_quote(const char *s);

/* Copies the sObject of the outer FROM of soql into out ("User" for
 * "SELECT Id, (SELECT Id FROM PermissionSetAssignments) FROM User"),
 * skipping subqueries and string literals.  Returns 1 when found, else 0
 * with out set to "". */
int sfa_soql_from(const char *soql, char *out, size_t outsz);

#endif
