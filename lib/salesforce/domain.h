/*
 * domain.h - turning whatever an admin copied from the browser into the
 * base URL of the org's API host (lib/salesforce/SALESFORCE-API.md §3.5).
 */
#ifndef SFA_DOMAIN_H
#define SFA_DOMAIN_H

#include "err.h"

/* Normalises a --domain value: scheme, path, query and case are dropped,
 * Lightning hosts become my.salesforce.com hosts.  On success *base_url is
 * a malloc'd "https://HOST" (or "http://127.0.0.1:PORT" /
 * "http://localhost:PORT" for the emulator); the caller frees it.  Hosts
 * outside Salesforce's domains and plain http to any non-loopback host are
 * SFA_EINPUT with a message naming the value. */
int sfa_domain_normalize(const char *input, char **base_url, sfa_err *err);

/* 1 when base_url (as returned above) is a loopback emulator URL. */
int sfa_domain_is_loopback(const char *base_url);

#endif
