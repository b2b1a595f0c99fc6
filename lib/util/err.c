/*
 * err.c - filling sfa_err values.  Messages are truncated rather than
 * allocated so that reporting an out-of-memory error cannot itself fail.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sfa_err_clear(sfa_err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

int sfa_err_set(sfa_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void sfa_err_where(sfa_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->where, sizeof(err->where), fmt, ap);
	va_end(ap);
}

void sfa_err_prefix(sfa_err *err, const char *fmt, ...)
{
	char ctx[512], old[sizeof(err->msg)];
	size_t n, room;
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* The message stays whole: its end is the advice, and a cut one
	 * would be completed again (cmd/msg.c) into a garbled repetition.
	 * The context gives way instead, at a UTF-8 character boundary. */
	n = strlen(old);
	if (n + 3 > sizeof(err->msg))
		return;
	room = sizeof(err->msg) - n - 3; /* ": " and the NUL */
	if (strlen(ctx) > room) {
		size_t cut = room > 3 ? room - 3 : 0;

		while (cut > 0 && ((unsigned char)ctx[cut] & 0xC0) == 0x80)
			cut--;
		if (cut)
			memcpy(ctx + cut, "...", 4);
		else
			ctx[0] = '\0';
	}
	if (!ctx[0])
		return;
	room = strlen(ctx);
	memcpy(err->msg, ctx, room);
	memcpy(err->msg + room, ": ", 2);
	memcpy(err->msg + room + 2, old, n + 1);
}

const char *sfa_err_name(int code)
{
	switch (code) {
	case SFA_OK:
		return "ok";
	case SFA_EINPUT:
		return "bad input";
	case SFA_ENOMEM:
		return "out of memory";
	case SFA_EIO:
		return "I/O error";
	case SFA_ENET:
		return "network error";
	case SFA_ETLS:
		return "TLS error";
	case SFA_EAUTH:
		return "login failed";
	case SFA_ESF:
		return "Salesforce error";
	case SFA_ELIMIT:
		return "API request limit";
	case SFA_ESTORE:
		return "store error";
	case SFA_ENOTFOUND:
		return "not found";
	case SFA_EBUSY:
		return "busy";
	case SFA_EPROTO:
		return "protocol error";
	case SFA_EINTR:
		return "interrupted";
	default:
		return "internal error";
	}
}
