/*
 * redact.h - the one place secrets are cut out of text that may be logged
 * (URLs, headers, request and response bodies).  Whatever -v prints goes
 * through sfa_redact() first.
 */
#ifndef SFA_REDACT_H
#define SFA_REDACT_H

/* Returns a malloc'd copy of text (NULL on ENOMEM; the caller frees) in
 * which these values are replaced by "[redacted]":
 *   - a token after "Bearer " (any case);
 *   - the value of sessionId, access_token, refresh_token, id_token,
 *     password, client_secret, security_token, assertion, code_verifier
 *     and oauth_token (any case) written as key=value (forms, query
 *     strings), "key": "value" (JSON) or <key>value</key> / <ns:key>
 *     (XML). */
char *sfa_redact(const char *text);

#endif
