'use strict';
// A Salesforce REST error: rendered as the JSON array [{"message","errorCode"[,"fields"]}]
// (lib/salesforce/SALESFORCE-API.md §1.9). Thrown anywhere in a handler and turned into a response by server.js.

class SfError extends Error {
  constructor(status, errorCode, message, fields) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.fields = fields;
  }
  body() {
    const e = { message: this.message, errorCode: this.errorCode };
    if (this.fields) e.fields = this.fields;
    return [e];
  }
}

const E = {
  session: () => new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
  notFound: () => new SfError(404, 'NOT_FOUND', 'The requested resource does not exist'),
  methodNotAllowed: (m, allowed) =>
    new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${m}' not allowed. Allowed are ${allowed.join(',')}`),
  limit: () => new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
  insufficient: () => new SfError(400, 'INSUFFICIENT_ACCESS', 'insufficient access rights on cross-reference id'),
  notEnabled: () => new SfError(403, 'FUNCTIONALITY_NOT_ENABLED', 'This feature is not currently enabled for this user.'),
  orgDisabled: () => new SfError(403, 'API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.'),
  jsonParse: (msg) => new SfError(400, 'JSON_PARSER_ERROR', msg),
};

module.exports = { SfError, E };
