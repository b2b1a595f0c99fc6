'use strict';
// The org's records in memory. Each object keeps its records in insertion order (the order a
// query without ORDER BY returns them); one Map indexes every record by its 18-char Id. Deleted
// records stay in place with IsDeleted = true so queryAll can still return them.
const fs = require('node:fs');
const { Schema, OBJECTS } = require('./schema');
const ids = require('./ids');

const TYPE = Symbol('sobjectType'); // hidden on each record: its object name (not serialised)

function nowDateTime() {
  return new Date().toISOString().replace('Z', '+0000');
}

class Store {
  constructor(file) {
    this.file = file;
    this.load();
  }

  load() {
    const data = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    this.org = Object.assign({ Id: '00D5e0000000001EAA', Name: 'Emulated Org', my_domain: 'emulated',
      edition: 'Enterprise' }, data.org || {});
    if (!ids.to18(this.org.Id) || !this.org.Id.startsWith('00D')) throw new Error(`org.Id ${this.org.Id} is not a 15/18-char 00D id`);
    this.org.Id = ids.to18(this.org.Id);
    this.auth = data.auth || { users: [], clients: [] };
    this.auth.users = this.auth.users || [];
    this.auth.clients = this.auth.clients || [];
    this.schema = new Schema();
    // An org without Territory Management has no Territory2* objects at all: a query on one is
    // INVALID_TYPE, as in a real org where the feature is off.
    if (this.org.territory_management === false) {
      for (const name of ['Territory2Model', 'Territory2', 'UserTerritory2Association']) delete this.schema.objects[name];
    }
    this.records = {};
    this.byId = new Map();
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
      for (const [k, v] of Object.entries(rec)) if (v !== null && v !== undefined) this.schema.learnField(objectName, k, v);
    }
    Object.defineProperty(rec, TYPE, { value: objectName, enumerable: false });
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

module.exports = { Store, TYPE, nowDateTime };
