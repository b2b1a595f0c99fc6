'use strict';
// sObject create / update / delete for User, GroupMember and PermissionSetAssignment (and insert /
// delete of the entitlement assignments), with the
// results and errors of lib/salesforce/SALESFORCE-API.md §2. Used by the single-record REST resources and by
// sObject Collections. Each mutating function returns an undo closure so that a collection
// with allOrNone can roll earlier records back.
const { SfError } = require('./errors');
const { nowDateTime } = require('./store');
const ids = require('./ids');

const WRITABLE = ['User', 'GroupMember', 'PermissionSetAssignment',
  // entitlements (issue 17): insert and delete only
  'PermissionSetLicenseAssign', 'UserPackageLicense', 'UserTerritory2Association'];
const USER_REQUIRED = ['Username', 'LastName', 'Email', 'Alias', 'TimeZoneSidKey', 'LocaleSidKey',
  'EmailEncodingKey', 'ProfileId', 'LanguageLocaleKey'];
const READ_ONLY = new Set(['Name', 'UserType', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate',
  'LastModifiedById', 'SystemModstamp', 'LastLoginDate', 'IsRevoked']);
// Which permission a write on each object needs (../README.md "Permission checks").
const WRITE_PERMISSION = { User: 'ManageUsers', PermissionSetAssignment: 'ManageUsers', GroupMember: 'ManageGroups',
  PermissionSetLicenseAssign: 'ManageUsers', UserPackageLicense: 'ManageUsers',
  UserTerritory2Association: 'ManageTerritories' };
// Types a reference field may point to, for INVALID_CROSS_REFERENCE_KEY checks.
const REF_TARGETS = {
  User: { ProfileId: ['Profile'], UserRoleId: ['UserRole'], ManagerId: ['User'] },
  GroupMember: { GroupId: ['Group'], UserOrGroupId: ['User', 'Group'] },
  PermissionSetAssignment: { AssigneeId: ['User'], PermissionSetId: ['PermissionSet'], PermissionSetGroupId: ['PermissionSetGroup'] },
  PermissionSetLicenseAssign: { AssigneeId: ['User'], PermissionSetLicenseId: ['PermissionSetLicense'] },
  UserPackageLicense: { UserId: ['User'], PackageLicenseId: ['PackageLicense'] },
  UserTerritory2Association: { UserId: ['User'], Territory2Id: ['Territory2'] },
};

const DUP_USERNAME = 'Duplicate Username.<br>The username already exists in this or another Salesforce organization. ' +
  "Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ";

function insufficient() { return new SfError(400, 'INSUFFICIENT_ACCESS', 'insufficient access rights on cross-reference id'); }

function hasPerm(authUser, perm) {
  return !!authUser && Array.isArray(authUser.permissions) && authUser.permissions.includes(perm);
}

function checkWritable(type, op) {
  if (!WRITABLE.includes(type)) {
    throw new SfError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${type} does not support ${op}`);
  }
}

/** Common field checks: shape, Id on insert, unknown and read-only fields, id syntax, references. */
function checkFields(store, type, body, isInsert) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfError(400, 'JSON_PARSER_ERROR', `Can not deserialize SObject out of ${Array.isArray(body) ? 'START_ARRAY' : 'VALUE'} token at [line:1, column:1]`);
  }
  const obj = store.schema.objects[type];
  const out = {};
  const readOnly = [];
  for (const [k, v] of Object.entries(body)) {
    if (k === 'attributes') continue;
    if (k.toLowerCase() === 'id') {
      if (isInsert) throw new SfError(400, 'INVALID_FIELD', 'The Id field should not be specified in the sobject data.');
      continue;
    }
    const f = obj.fields.get(k.toLowerCase());
    if (!f) throw new SfError(400, 'INVALID_FIELD', `No such column '${k}' on sobject of type ${type}`);
    if (READ_ONLY.has(f.name)) { readOnly.push(f.name); continue; }
    out[f.name] = v;
  }
  if (readOnly.length) {
    throw new SfError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${readOnly.join(', ')}. ` +
      'Please check the security settings of this field and verify that it is read/write for your profile or permission set.', readOnly);
  }
  for (const [f, targets] of Object.entries(REF_TARGETS[type] || {})) {
    const v = out[f];
    if (v === undefined || v === null || v === '') continue;
    if (!ids.isValidId(v)) {
      throw new SfError(400, 'MALFORMED_ID', `${f}: id value of incorrect type: ${v}`, [f]);
    }
    const target = store.get(v);
    if (!target || target.IsDeleted || !targets.includes(store.typeOf(target))) {
      throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [f]);
    }
    out[f] = target.Id; // stored in 18-char form
  }
  return out;
}

function missing(fields) {
  return new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, fields);
}

function usernameTaken(store, username, exceptId) {
  const u = String(username).toLowerCase();
  return store.records.User.some((r) => r.Id !== exceptId && String(r.Username).toLowerCase() === u);
}

function profilePermissionSet(store, profileId) {
  return store.records.PermissionSet
    .find((p) => !p.IsDeleted && p.IsOwnedByProfile && p.ProfileId === profileId) || null;
}

function undoInserts(store, recs) { return () => { for (const r of recs) store.remove(r); }; }

// ---------------------------------------------------------------------------------------------

function createUser(store, authUser, f) {
  const miss = USER_REQUIRED.filter((k) => f[k] === undefined || f[k] === null || f[k] === '');
  if (miss.length) throw missing(miss);
  if (f.UserRoleId && !hasPerm(authUser, 'ManageRoles')) throw insufficient();
  if (usernameTaken(store, f.Username)) throw new SfError(400, 'DUPLICATE_USERNAME', DUP_USERNAME, ['Username']);
  const now = nowDateTime();
  const profile = store.get(f.ProfileId);
  const rec = store.add('User', {
    Username: f.Username, FirstName: f.FirstName ?? null, LastName: f.LastName,
    Name: [f.FirstName, f.LastName].filter(Boolean).join(' '), Email: f.Email, Alias: f.Alias,
    IsActive: f.IsActive ?? true, UserType: (profile && profile.UserType) || 'Standard',
    ProfileId: f.ProfileId, UserRoleId: f.UserRoleId ?? null, ManagerId: f.ManagerId ?? null,
    LastLoginDate: null, CreatedDate: now, LastModifiedDate: now, SystemModstamp: now,
    FederationIdentifier: f.FederationIdentifier ?? null, ...f,
  });
  rec.Name = [rec.FirstName, rec.LastName].filter(Boolean).join(' ');
  // Like Salesforce: every user gets a UserLogin row and the assignment of its profile's own PS.
  const extra = [store.add('UserLogin', { UserId: rec.Id, IsFrozen: false, IsPasswordLocked: false, LastModifiedDate: now })];
  const pps = profilePermissionSet(store, rec.ProfileId);
  if (pps) {
    extra.push(store.add('PermissionSetAssignment', { AssigneeId: rec.Id, PermissionSetId: pps.Id,
      PermissionSetGroupId: null, IsActive: true, ExpirationDate: null, IsRevoked: false, SystemModstamp: now }));
  }
  return { id: rec.Id, created: true, undo: undoInserts(store, [rec, ...extra]) };
}

function createGroupMember(store, f) {
  const miss = ['GroupId', 'UserOrGroupId'].filter((k) => !f[k]);
  if (miss.length) throw missing(miss);
  // Salesforce: inserting a member that is already there returns the existing record.
  const existing = store.records.GroupMember
    .find((g) => !g.IsDeleted && g.GroupId === f.GroupId && g.UserOrGroupId === f.UserOrGroupId);
  if (existing) return { id: existing.Id, created: false, undo: () => {} };
  const rec = store.add('GroupMember', { GroupId: f.GroupId, UserOrGroupId: f.UserOrGroupId, SystemModstamp: nowDateTime() });
  return { id: rec.Id, created: true, undo: undoInserts(store, [rec]) };
}

function createAssignment(store, f) {
  if (!f.AssigneeId) throw missing(['AssigneeId']);
  if (!f.PermissionSetId && !f.PermissionSetGroupId) throw missing(['PermissionSetId']);
  let psId = f.PermissionSetId || null;
  if (f.PermissionSetGroupId) {
    // A PSG assignment points PermissionSetId at the group's aggregate permission set.
    const agg = store.records.PermissionSet
      .find((p) => !p.IsDeleted && p.PermissionSetGroupId === f.PermissionSetGroupId);
    if (psId && agg && psId !== agg.Id) throw new SfError(400, 'FIELD_INTEGRITY_EXCEPTION', 'field integrity exception: unknown', ['PermissionSetId']);
    psId = agg ? agg.Id : psId;
  }
  const dup = store.records.PermissionSetAssignment.find((a) => !a.IsDeleted && a.AssigneeId === f.AssigneeId &&
    (f.PermissionSetGroupId ? a.PermissionSetGroupId === f.PermissionSetGroupId
      : a.PermissionSetId === psId && !a.PermissionSetGroupId));
  if (dup) {
    throw new SfError(400, 'DUPLICATE_VALUE',
      `Duplicate PermissionSetAssignment. Assignee: ${f.AssigneeId}, Permission Set: ${f.PermissionSetGroupId || psId}`, []);
  }
  const ps = psId ? store.get(psId) : null;
  const rec = store.add('PermissionSetAssignment', { AssigneeId: f.AssigneeId, PermissionSetId: psId,
    PermissionSetGroupId: f.PermissionSetGroupId || null,
    // Session-based permission sets start inactive until a session activates them.
    IsActive: !(ps && ps.HasActivationRequired), ExpirationDate: f.ExpirationDate ?? null, IsRevoked: false,
    SystemModstamp: nowDateTime() });
  return { id: rec.Id, created: true, undo: undoInserts(store, [rec]) };
}

// ---- entitlements (issue 17): one record per (user, thing); a second is DUPLICATE_VALUE. The
// licence records count their seats (UsedLicenses), as Salesforce keeps them. ----
const ENTITLEMENT = {
  PermissionSetLicenseAssign: { user: 'AssigneeId', thing: 'PermissionSetLicenseId', seats: 'UsedLicenses' },
  UserPackageLicense: { user: 'UserId', thing: 'PackageLicenseId', seats: 'UsedLicenses' },
  UserTerritory2Association: { user: 'UserId', thing: 'Territory2Id', seats: null },
};

function countSeat(store, e, rec, by) {
  const thing = e.seats ? store.get(rec[e.thing]) : null;
  if (thing && typeof thing[e.seats] === 'number') thing[e.seats] += by;
}

function createEntitlement(store, type, f) {
  const e = ENTITLEMENT[type];
  const miss = [e.user, e.thing].filter((k) => !f[k]);
  if (miss.length) throw missing(miss);
  const dup = store.records[type].find((r) => !r.IsDeleted && r[e.user] === f[e.user] && r[e.thing] === f[e.thing]);
  if (dup) throw new SfError(400, 'DUPLICATE_VALUE', `duplicate value found: ${e.user} duplicates value on record with id: ${dup.Id}`, []);
  const now = nowDateTime();
  const rec = store.add(type, { ...f, CreatedDate: now, LastModifiedDate: now, SystemModstamp: now });
  countSeat(store, e, rec, 1);
  return { id: rec.Id, created: true, undo: () => { countSeat(store, e, rec, -1); store.remove(rec); } };
}

// Salesforce refuses to take a permission set licence from a user while a permission set the user
// holds (directly or through a group) still requires it (PermissionSet.LicenseId). The wording
// follows Salesforce Help ("Remove a Permission Set License from a User"); the exact API status
// code could not be confirmed, FIELD_INTEGRITY_EXCEPTION is the code of its sibling checks.
function licenceStillNeeded(store, rec) {
  const held = store.records.PermissionSetAssignment.filter((a) => !a.IsDeleted && a.AssigneeId === rec.AssigneeId);
  for (const a of held) {
    const ps = store.get(a.PermissionSetId);
    if (ps && !ps.IsDeleted && ps.LicenseId === rec.PermissionSetLicenseId) return ps;
  }
  return null;
}

/** Create one record. Returns {id, created, undo}; throws SfError. */
function create(store, authUser, type, body) {
  checkWritable(type, 'insert');
  if (!hasPerm(authUser, WRITE_PERMISSION[type])) throw insufficient();
  const f = checkFields(store, type, body, true);
  if (type === 'User') return createUser(store, authUser, f);
  if (type === 'GroupMember') return createGroupMember(store, f);
  if (ENTITLEMENT[type]) return createEntitlement(store, type, f);
  return createAssignment(store, f);
}

/** Update one record (User only: GroupMember and PermissionSetAssignment have no update call). */
function update(store, authUser, type, id, body) {
  const rec = store.get(id);
  if (!rec || store.typeOf(rec) !== type) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (rec.IsDeleted) throw new SfError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  checkWritable(type, 'update');
  if (!hasPerm(authUser, WRITE_PERMISSION[type])) throw insufficient();
  const f = checkFields(store, type, body, false);
  if (type !== 'User') {
    const names = Object.keys(f);
    throw new SfError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${names.join(', ')}. ` +
      'Please check the security settings of this field and verify that it is read/write for your profile or permission set.', names);
  }
  if ('UserRoleId' in f && (f.UserRoleId || null) !== (rec.UserRoleId || null) && !hasPerm(authUser, 'ManageRoles')) throw insufficient();
  const req = USER_REQUIRED.filter((k) => k in f && (f[k] === null || f[k] === ''));
  if (req.length) throw missing(req);
  if (f.Username && usernameTaken(store, f.Username, rec.Id)) throw new SfError(400, 'DUPLICATE_USERNAME', DUP_USERNAME, ['Username']);
  const before = { ...rec };
  Object.assign(rec, f);
  rec.Name = [rec.FirstName, rec.LastName].filter(Boolean).join(' ');
  rec.LastModifiedDate = rec.SystemModstamp = nowDateTime();
  // A profile change moves the user's profile-owned permission set assignment along.
  let psaBefore = null;
  let psa = null;
  if (f.ProfileId && f.ProfileId !== before.ProfileId) {
    const oldPs = profilePermissionSet(store, before.ProfileId);
    const newPs = profilePermissionSet(store, f.ProfileId);
    psa = oldPs && store.records.PermissionSetAssignment
      .find((a) => !a.IsDeleted && a.AssigneeId === rec.Id && a.PermissionSetId === oldPs.Id);
    if (psa && newPs) { psaBefore = psa.PermissionSetId; psa.PermissionSetId = newPs.Id; }
    const p = store.get(f.ProfileId);
    if (p && p.UserType) rec.UserType = p.UserType;
  }
  return {
    id: rec.Id,
    undo: () => {
      for (const k of Object.keys(rec)) delete rec[k];
      Object.assign(rec, before);
      if (psaBefore) psa.PermissionSetId = psaBefore;
    },
  };
}

/** Delete one record by id (soft: it stays visible to queryAll with IsDeleted = true). */
function remove(store, authUser, id, type) {
  const rec = store.get(id);
  if (!rec || (type && store.typeOf(rec) !== type)) {
    if (!ids.isValidId(id)) throw new SfError(400, 'MALFORMED_ID', `malformed id ${id}`, []);
    throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  if (rec.IsDeleted) throw new SfError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  const t = store.typeOf(rec);
  if (t === 'User') throw new SfError(400, 'INVALID_TYPE_FOR_OPERATION', 'entity type cannot be deleted');
  checkWritable(t, 'delete');
  if (!hasPerm(authUser, WRITE_PERMISSION[t])) throw insufficient();
  if (t === 'PermissionSetLicenseAssign') {
    const ps = licenceStillNeeded(store, rec);
    if (ps) {
      throw new SfError(400, 'FIELD_INTEGRITY_EXCEPTION', 'Can\'t remove the permission set license: the user is ' +
        `assigned the permission set ${ps.Label || ps.Name}, which requires it. Remove that permission set first.`, []);
    }
  }
  const stamp = rec.SystemModstamp;
  store.markDeleted(rec);
  if (ENTITLEMENT[t]) countSeat(store, ENTITLEMENT[t], rec, -1);
  return {
    id: rec.Id,
    undo: () => {
      rec.IsDeleted = false;
      rec.SystemModstamp = stamp;
      if (ENTITLEMENT[t]) countSeat(store, ENTITLEMENT[t], rec, 1);
    },
  };
}

module.exports = { create, update, remove, hasPerm, WRITABLE };
