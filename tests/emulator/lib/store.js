'use strict';
// The org's records in memory. Each object keeps its records in insertion order (the order a
// query without ORDER BY returns them); one Map indexes every record by its 18-char Id. Deleted
// records stay in place with IsDeleted = true so queryAll can still return them.
const fs = require('node:fs');
const { Schema, OBJECTS } = require('./schema');
const ids = require('./ids');

const TYPE = Symbol('sobjectType'); // on each record: its object name (a symbol key, never serialised)

// V8 strings stop at about 512 MB: a larger dataset (a generated 200,000-user org with its
// permission tables) is read as bytes and parsed value by value, each record on its own.
const WHOLE_PARSE_MAX = 256 * 1024 * 1024;

// The text of the last dataset read: /__admin/reset reloads the same file between test steps.
let cachedText = null;

/** A dataset file as an object: JSON.parse, or for a file over wholeMax bytes the value-by-value reader. */
function readDataset(file, wholeMax = WHOLE_PARSE_MAX) {
  const st = fs.statSync(file);
  if (st.size <= wholeMax) {
    const key = `${file}\0${st.size}\0${st.mtimeMs}`;
    if (!cachedText || cachedText.key !== key) cachedText = { key, text: fs.readFileSync(file, 'utf8') };
    return JSON.parse(cachedText.text);
  }
  const b = fs.readFileSync(file);
  let i = 0;
  const bad = (what) => new Error(`${file}: ${what} at byte ${i}`);
  const ws = () => { while (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09) i++; };
  const expect = (ch) => { ws(); if (b[i] !== ch.charCodeAt(0)) throw bad(`expected '${ch}'`); i++; };
  const stringEnd = (j) => {
    for (j++; j < b.length; j++) {
      if (b[j] === 0x5c) j++;
      else if (b[j] === 0x22) return j + 1;
    }
    throw bad('unterminated string');
  };
  // The end of the value starting at i (an object or array: up to its matching bracket).
  const valueEnd = () => {
    let j = i;
    if (b[j] === 0x22) return stringEnd(j);
    if (b[j] !== 0x7b && b[j] !== 0x5b) {
      while (j < b.length && b[j] !== 0x2c && b[j] !== 0x7d && b[j] !== 0x5d && b[j] > 0x20) j++;
      return j;
    }
    let depth = 0;
    for (; j < b.length; j++) {
      const c = b[j];
      if (c === 0x22) j = stringEnd(j) - 1;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) return j + 1;
    }
    throw bad('unterminated value');
  };
  const value = () => {
    ws();
    const end = valueEnd();
    if (end === i) throw bad('expected a value');
    const v = JSON.parse(b.toString('utf8', i, end));
    i = end;
    return v;
  };
  // members(open, close, fn): the members of an object or array, then the closing bracket.
  const members = (open, close, fn) => {
    expect(open);
    ws();
    if (b[i] === close.charCodeAt(0)) { i++; return; }
    for (;;) {
      fn();
      ws();
      if (b[i] === 0x2c) { i++; continue; }
      expect(close);
      return;
    }
  };
  const data = {};
  members('{', '}', () => {
    const key = value();
    expect(':');
    if (key !== 'records') { data[key] = value(); return; }
    data.records = {};
    members('{', '}', () => {
      const name = value();
      expect(':');
      const list = (data.records[name] = []);
      members('[', ']', () => list.push(value()));
    });
  });
  return data;
}

function nowDateTime() {
  return new Date().toISOString().replace('Z', '+0000');
}

class Store {
  constructor(file) {
    this.file = file;
    this.load();
  }

  load() {
    const data = readDataset(this.file);
    this.org = Object.assign({ Id: '00D5e0000000001EAA', Name: 'Emulated Org', my_domain: 'emulated',
      edition: 'Enterprise' }, data.org || {});
    if (!ids.to18(this.org.Id) || !this.org.Id.startsWith('00D')) throw new Error(`org.Id ${this.org.Id} is not a 15/18-char 00D id`);
    this.org.Id = ids.to18(this.org.Id);
    this.auth = data.auth || { users: [], clients: [] };
    this.auth.users = this.auth.users || [];
    this.auth.clients = this.auth.clients || [];
    this.schema = new Schema(data.permission_fields);
    this.records = {};
    this.byId = new Map();
    this.knownKeys = {};
    this.counter = 0;
    for (const name of Object.keys(OBJECTS)) this.records[name] = [];
    const recs = data.records || {};
    for (const [name, list] of Object.entries(recs)) {
      const obj = this.schema.object(name);
      if (!obj) throw new Error(`dataset: unknown object ${name}`);
      for (const r of list) this.add(obj.name, r, true);
    }
    // The Organization object is served from the dataset's "org" section.
    if (this.records.Organization.length === 0) {
      this.add('Organization', { Id: this.org.Id, Name: this.org.Name, OrganizationType: this.org.edition,
        IsSandbox: !!this.org.is_sandbox, InstanceName: 'EMU1', NamespacePrefix: null }, true);
    }
  }

  /** Insert a record (Id kept when given, assigned otherwise). `fromDataset` also learns its fields. */
  add(objectName, rec, fromDataset) {
    const obj = this.schema.objects[objectName];
    if (rec.Id) {
      rec.Id = ids.to18(rec.Id) || rec.Id;
    } else {
      rec.Id = this.newId(obj.prefix);
    }
    if (fromDataset) {
      // Keys already in the schema are remembered as written: millions of rows share a few shapes.
      const known = this.knownKeys[objectName] || (this.knownKeys[objectName] = new Set());
      for (const k in rec) {
        if (known.has(k)) continue;
        const v = rec[k];
        if (v !== null && v !== undefined) this.schema.learnField(objectName, k, v);
        if (obj.fields.has(k.toLowerCase())) known.add(k);
      }
    }
    // A symbol key: JSON.stringify and Object.keys skip it, and it is cheaper than defineProperty.
    rec[TYPE] = objectName;
    this.records[objectName].push(rec);
    this.byId.set(rec.Id, rec);
    return rec;
  }

  /** A fresh valid 18-char id; the "7Em" marker keeps it apart from generated dataset ids. */
  newId(prefix) {
    let id;
    do { id = ids.makeId(prefix, '7Em', ++this.counter); } while (this.byId.has(id));
    return id;
  }

  /** Record by 15/18-char id (live or deleted), or undefined. */
  get(id) {
    if (typeof id !== 'string') return undefined;
    return this.byId.get(id) || this.byId.get(ids.to18(id));
  }

  typeOf(rec) { return rec[TYPE]; }

  live(objectName) { return this.records[objectName].filter((r) => !r.IsDeleted); }

  markDeleted(rec) {
    rec.IsDeleted = true;
    rec.SystemModstamp = nowDateTime();
  }

  /** Undo of an insert (allOrNone rollback): the record vanishes completely. */
  remove(rec) {
    const list = this.records[rec[TYPE]];
    const i = list.lastIndexOf(rec);
    if (i >= 0) list.splice(i, 1);
    this.byId.delete(rec.Id);
  }

  authUser(username) {
    if (typeof username !== 'string') return null;
    const u = username.toLowerCase();
    return this.auth.users.find((x) => String(x.username).toLowerCase() === u) || null;
  }

  /** The User record behind an auth user (by Username), if the dataset has one. */
  userRecord(username) {
    const u = String(username).toLowerCase();
    return this.records.User.find((r) => !r.IsDeleted && String(r.Username).toLowerCase() === u) || null;
  }

  client(clientId) {
    return this.auth.clients.find((c) => c.client_id === clientId) || null;
  }
}

module.exports = { Store, TYPE, nowDateTime, readDataset };
