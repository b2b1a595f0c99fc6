'use strict';
// Access tokens (SOAP session ids and OAuth access tokens are the same thing to REST), refresh
// tokens and authorization codes. All in memory: /__admin/reset forgets them.
const crypto = require('node:crypto');

class Sessions {
  constructor(store) {
    this.store = store;
    this.org15 = store.org.Id.slice(0, 15);
    this.access = new Map();   // token → {username, clientId, refresh}
    this.refresh = new Map();  // token → {username, clientId}
    this.codes = new Map();    // code → {clientId, username, redirectUri, challenge, expires}
    for (const c of store.auth.clients) {
      for (const rt of c.refresh_tokens || []) {
        this.refresh.set(rt.token, { username: rt.username, clientId: c.client_id });
      }
    }
  }

  /** "<org15>!<opaque>" like a real session id. */
  newAccess(username, clientId, refreshToken) {
    const token = `${this.org15}!AQ${crypto.randomBytes(48).toString('base64url')}`;
    this.access.set(token, { username, clientId: clientId || null, refresh: refreshToken || null });
    return token;
  }

  newRefresh(username, clientId) {
    const token = `5Aep861${crypto.randomBytes(40).toString('base64url')}`;
    this.refresh.set(token, { username, clientId });
    return token;
  }

  newCode(info) {
    const code = `aPrx${crypto.randomBytes(36).toString('base64')}`;
    this.codes.set(code, { ...info, expires: Date.now() + 15 * 60 * 1000 });
    return code;
  }

  lookup(token) { return token ? this.access.get(token) || null : null; }

  /** expire_sessions_after fault: every existing access token stops working. */
  expireAll() { this.access.clear(); }

  /** Revoke an access or refresh token (revoking a refresh token also revokes its access tokens). */
  revoke(token) {
    if (this.access.delete(token)) return true;
    if (this.refresh.delete(token)) {
      for (const [t, s] of this.access) if (s.refresh === token) this.access.delete(t);
      return true;
    }
    return false;
  }
}

module.exports = { Sessions };
