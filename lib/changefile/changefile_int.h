/*
 * changefile_int.h - what the change file's reader (changefile.c) and
 * writer (changefile_write.c) share: its columns.  Nothing outside the
 * changefile module includes this.
 */
#ifndef SFA_CHANGEFILE_INT_H
#define SFA_CHANGEFILE_INT_H

enum {
	COL_OP,
	COL_TYPE,
	COL_RESOURCE,
	COL_USER,
	COL_FIELDS,
	COL_COMMENT,
	NCOLS
};
static const char *const col_names[NCOLS] = {
    "op", "resource_type", "resource", "user", "fields", "comment"};

#endif
