'use strict';
// Per-object schema: key prefix, fields with types, parent relationships (child → parent, by a
// field XId), child relationships (parent → children, for subqueries). Covers at least the fields
// of lib/salesforce/SALESFORCE-API.md §5. Field names are canonical API names; lookups are case-insensitive.
// Types: id, ref, string, picklist, bool, int, double, datetime, date, textarea (long text: not
// filterable). Profile, PermissionSet and MutingPermissionSet also get the system permission
// fields (`permissions: true`): the dataset's "permission_fields", else the built-in catalogue.

const AUDIT = { CreatedDate: 'datetime', CreatedById: 'ref', LastModifiedDate: 'datetime',
  LastModifiedById: 'ref', SystemModstamp: 'datetime', IsDeleted: 'bool' };
const AUDIT_RELS = { CreatedBy: { field: 'CreatedById', to: ['User'] },
  LastModifiedBy: { field: 'LastModifiedById', to: ['User'] } };

const { CATALOGUE } = require('./permission_catalogue');

const OBJECTS = {
  Organization: { prefix: '00D', fields: { Id: 'id', Name: 'string', OrganizationType: 'string',
    IsSandbox: 'bool', InstanceName: 'string', NamespacePrefix: 'string', ...AUDIT } },
  User: { prefix: '005', fields: { Id: 'id', Username: 'string', FirstName: 'string', LastName: 'string',
    Name: 'string', Email: 'string', Alias: 'string', CommunityNickname: 'string', IsActive: 'bool',
    UserType: 'picklist', ProfileId: 'ref', UserRoleId: 'ref', ManagerId: 'ref', LastLoginDate: 'datetime',
    FederationIdentifier: 'string', TimeZoneSidKey: 'string', LocaleSidKey: 'string',
    EmailEncodingKey: 'string', LanguageLocaleKey: 'string', IsPortalEnabled: 'bool', ContactId: 'ref',
    AccountId: 'ref', Title: 'string', Department: 'string', CompanyName: 'string', EmployeeNumber: 'string',
    UserPermissionsMarketingUser: 'bool', ...AUDIT },
    rels: { Profile: { field: 'ProfileId', to: ['Profile'] }, UserRole: { field: 'UserRoleId', to: ['UserRole'] },
      Manager: { field: 'ManagerId', to: ['User'] }, ...AUDIT_RELS },
    children: { PermissionSetAssignments: { object: 'PermissionSetAssignment', field: 'AssigneeId' },
      GroupMembers: { object: 'GroupMember', field: 'UserOrGroupId' },
      UserLogins: { object: 'UserLogin', field: 'UserId' } } },
  UserLicense: { prefix: '100', fields: { Id: 'id', Name: 'string', MasterLabel: 'string',
    LicenseDefinitionKey: 'string', Status: 'string', TotalLicenses: 'int', UsedLicenses: 'int',
    UsedLicensesLastUpdated: 'datetime', MonthlyLoginsEntitlement: 'int', MonthlyLoginsUsed: 'int', ...AUDIT } },
  PermissionSetLicense: { prefix: '0PL', fields: { Id: 'id', DeveloperName: 'string', MasterLabel: 'string',
    PermissionSetLicenseKey: 'string', Status: 'string', TotalLicenses: 'int', UsedLicenses: 'int', ...AUDIT } },
  Profile: { prefix: '00e', fields: { Id: 'id', Name: 'string', UserLicenseId: 'ref', UserType: 'string',
    Description: 'textarea', IsSsoEnabled: 'bool', ...AUDIT }, permissions: true,
    rels: { UserLicense: { field: 'UserLicenseId', to: ['UserLicense'] }, ...AUDIT_RELS } },
  UserRole: { prefix: '00E', fields: { Id: 'id', Name: 'string', DeveloperName: 'string', ParentRoleId: 'ref',
    RollupDescription: 'string', PortalType: 'string', PortalAccountId: 'ref',
    OpportunityAccessForAccountOwner: 'string', CaseAccessForAccountOwner: 'string',
    ContactAccessForAccountOwner: 'string', ForecastUserId: 'ref', MayForecastManagerShare: 'bool',
    LastModifiedDate: 'datetime', LastModifiedById: 'ref', SystemModstamp: 'datetime', IsDeleted: 'bool' },
    rels: { ParentRole: { field: 'ParentRoleId', to: ['UserRole'] } } },
  Group: { prefix: '00G', fields: { Id: 'id', Name: 'string', DeveloperName: 'string', Type: 'picklist',
    RelatedId: 'ref', OwnerId: 'ref', DoesIncludeBosses: 'bool', DoesSendEmailToMembers: 'bool',
    Email: 'string', QueueRoutingConfigId: 'ref', ...AUDIT },
    rels: { Related: { field: 'RelatedId', to: ['User', 'UserRole'] },
      Owner: { field: 'OwnerId', to: ['User', 'Group', 'Organization'] }, ...AUDIT_RELS },
    children: { GroupMembers: { object: 'GroupMember', field: 'GroupId' } } },
  GroupMember: { prefix: '011', fields: { Id: 'id', GroupId: 'ref', UserOrGroupId: 'ref',
    SystemModstamp: 'datetime', IsDeleted: 'bool' },
    rels: { Group: { field: 'GroupId', to: ['Group'] }, UserOrGroup: { field: 'UserOrGroupId', to: ['User', 'Group'] } } },
  PermissionSet: { prefix: '0PS', fields: { Id: 'id', Name: 'string', Label: 'string', Description: 'textarea',
    IsOwnedByProfile: 'bool', ProfileId: 'ref', IsCustom: 'bool', NamespacePrefix: 'string', LicenseId: 'ref',
    PermissionSetGroupId: 'ref', HasActivationRequired: 'bool', Type: 'picklist', ...AUDIT }, permissions: true,
    rels: { Profile: { field: 'ProfileId', to: ['Profile'] },
      License: { field: 'LicenseId', to: ['UserLicense', 'PermissionSetLicense'] },
      PermissionSetGroup: { field: 'PermissionSetGroupId', to: ['PermissionSetGroup'] }, ...AUDIT_RELS },
    children: { Assignments: { object: 'PermissionSetAssignment', field: 'PermissionSetId' },
      SetupEntityAccessItems: { object: 'SetupEntityAccess', field: 'ParentId' },
      ObjectPerms: { object: 'ObjectPermissions', field: 'ParentId' },
      FieldPerms: { object: 'FieldPermissions', field: 'ParentId' } } },
  PermissionSetGroup: { prefix: '0PG', fields: { Id: 'id', DeveloperName: 'string', MasterLabel: 'string',
    Description: 'textarea', Language: 'string', NamespacePrefix: 'string', HasActivationRequired: 'bool',
    Status: 'picklist', ...AUDIT },
    rels: { ...AUDIT_RELS },
    children: { PermissionSetGroupComponents: { object: 'PermissionSetGroupComponent', field: 'PermissionSetGroupId' } } },
  PermissionSetGroupComponent: { prefix: '0PC', fields: { Id: 'id', PermissionSetGroupId: 'ref',
    PermissionSetId: 'ref', ...AUDIT },
    rels: { PermissionSetGroup: { field: 'PermissionSetGroupId', to: ['PermissionSetGroup'] },
      PermissionSet: { field: 'PermissionSetId', to: ['PermissionSet', 'MutingPermissionSet'] } } },
  MutingPermissionSet: { prefix: '0QM', fields: { Id: 'id', DeveloperName: 'string', MasterLabel: 'string',
    Description: 'textarea', Language: 'picklist', NamespacePrefix: 'string', ...AUDIT }, permissions: true,
    rels: { ...AUDIT_RELS },
    children: { ObjectPerms: { object: 'ObjectPermissions', field: 'ParentId' },
      FieldPerms: { object: 'FieldPermissions', field: 'ParentId' } } },
  PermissionSetAssignment: { prefix: '0Pa', fields: { Id: 'id', AssigneeId: 'ref', PermissionSetId: 'ref',
    PermissionSetGroupId: 'ref', IsActive: 'bool', ExpirationDate: 'datetime', IsRevoked: 'bool',
    SystemModstamp: 'datetime', IsDeleted: 'bool' },
    rels: { Assignee: { field: 'AssigneeId', to: ['User'] }, PermissionSet: { field: 'PermissionSetId', to: ['PermissionSet'] },
      PermissionSetGroup: { field: 'PermissionSetGroupId', to: ['PermissionSetGroup'] } } },
  ConnectedApplication: { prefix: '0H4', fields: { Id: 'id', Name: 'string',
    OptionsAllowAdminApprovedUsersOnly: 'bool', OptionsRefreshTokenValidityMetric: 'bool',
    OptionsHasSessionLevelPolicy: 'bool', OptionsIsInternal: 'bool', OptionsFullContentPushNotifications: 'bool',
    OptionsCodeCredentialGuestEnabled: 'bool', MobileSessionTimeout: 'string', MobileStartUrl: 'string',
    PinLength: 'string', StartUrl: 'string', RefreshTokenValidityPeriod: 'int', ...AUDIT },
    rels: { ...AUDIT_RELS } },
  SetupEntityAccess: { prefix: '0J0', fields: { Id: 'id', ParentId: 'ref', SetupEntityId: 'ref',
    SetupEntityType: 'picklist', SystemModstamp: 'datetime', IsDeleted: 'bool' },
    rels: { Parent: { field: 'ParentId', to: ['PermissionSet'] } } },
  OauthToken: { prefix: '0CR', fields: { Id: 'id', UserId: 'ref', AppName: 'string', AppMenuItemId: 'ref',
    LastUsedDate: 'datetime', UseCount: 'int', CreatedDate: 'datetime', DeleteToken: 'string',
    AccessToken: 'string', RequestToken: 'string', IsDeleted: 'bool' },
    rels: { User: { field: 'UserId', to: ['User'] } },
    // OBJREF: at most 500 rows per batch and 2,500 in total through queryMore.
    maxBatch: 500, maxRows: 2500 },
  UserLogin: { prefix: '0Ya', fields: { Id: 'id', UserId: 'ref', IsFrozen: 'bool', IsPasswordLocked: 'bool',
    LastModifiedDate: 'datetime', LastModifiedById: 'ref', IsDeleted: 'bool' },
    rels: { User: { field: 'UserId', to: ['User'] } } },
  // ---- entitlements (issue 17): territories, licence assignments, package licences, custom
  // permissions (lib/access/PERMISSIONS.md §1 and §4). ----
  Territory2Model: { prefix: '0MA', fields: { Id: 'id', Name: 'string', DeveloperName: 'string',
    State: 'string', ActivatedDate: 'datetime', DeactivatedDate: 'datetime', Description: 'textarea', ...AUDIT },
    rels: { ...AUDIT_RELS } },
  Territory2: { prefix: '0MI', fields: { Id: 'id', Name: 'string', DeveloperName: 'string',
    Territory2ModelId: 'ref', ParentTerritory2Id: 'ref', Territory2TypeId: 'ref', Description: 'textarea',
    AccountAccessLevel: 'string', OpportunityAccessLevel: 'string', CaseAccessLevel: 'string', ...AUDIT },
    rels: { Territory2Model: { field: 'Territory2ModelId', to: ['Territory2Model'] },
      ParentTerritory2: { field: 'ParentTerritory2Id', to: ['Territory2'] }, ...AUDIT_RELS },
    children: { UserTerritory2Associations: { object: 'UserTerritory2Association', field: 'Territory2Id' } } },
  UserTerritory2Association: { prefix: '0R0', fields: { Id: 'id', UserId: 'ref', Territory2Id: 'ref',
    RoleInTerritory2: 'string', IsActive: 'bool', LastModifiedDate: 'datetime', LastModifiedById: 'ref',
    SystemModstamp: 'datetime', IsDeleted: 'bool' },
    rels: { User: { field: 'UserId', to: ['User'] }, Territory2: { field: 'Territory2Id', to: ['Territory2'] } } },
  PermissionSetLicenseAssign: { prefix: '2LA', fields: { Id: 'id', AssigneeId: 'ref',
    PermissionSetLicenseId: 'ref', IsRevoked: 'bool', ...AUDIT },
    rels: { Assignee: { field: 'AssigneeId', to: ['User'] },
      PermissionSetLicense: { field: 'PermissionSetLicenseId', to: ['PermissionSetLicense'] }, ...AUDIT_RELS } },
  PackageLicense: { prefix: '050', fields: { Id: 'id', NamespacePrefix: 'string', Status: 'string',
    IsProvisioned: 'bool', AllowedLicenses: 'int', UsedLicenses: 'int', ExpirationDate: 'datetime', ...AUDIT },
    rels: { ...AUDIT_RELS } },
  UserPackageLicense: { prefix: '051', fields: { Id: 'id', UserId: 'ref', PackageLicenseId: 'ref', ...AUDIT },
    rels: { User: { field: 'UserId', to: ['User'] },
      PackageLicense: { field: 'PackageLicenseId', to: ['PackageLicense'] }, ...AUDIT_RELS } },
  // Policy checks (POLICY.md "Login activity"): read-only, and Status cannot be filtered on, as in
  // Salesforce (lib/access/PERMISSIONS.md §3).
  LoginHistory: { prefix: '0Yc', fields: { Id: 'id', UserId: 'ref', LoginTime: 'datetime', LoginType: 'string',
    Status: 'string', SourceIp: 'string', Application: 'string', Browser: 'string', Platform: 'string',
    AuthMethodReference: 'string', LoginUrl: 'string', LoginGeoId: 'ref' },
    rels: { User: { field: 'UserId', to: ['User'] } }, unfilterable: ['Status'] },

  // Effective permissions (lib/access/PERMISSIONS.md §1): object and field permissions of a
  // permission set, profile-owned permission set or muting permission set, and custom permissions.
  ObjectPermissions: { prefix: '110', fields: { Id: 'id', ParentId: 'ref', SobjectType: 'picklist',
    PermissionsRead: 'bool', PermissionsCreate: 'bool', PermissionsEdit: 'bool', PermissionsDelete: 'bool',
    PermissionsViewAllRecords: 'bool', PermissionsModifyAllRecords: 'bool', PermissionsViewAllFields: 'bool', ...AUDIT },
    rels: { Parent: { field: 'ParentId', to: ['PermissionSet', 'MutingPermissionSet'] }, ...AUDIT_RELS } },
  FieldPermissions: { prefix: '01k', fields: { Id: 'id', ParentId: 'ref', SobjectType: 'picklist', Field: 'string',
    PermissionsRead: 'bool', PermissionsEdit: 'bool', ...AUDIT },
    rels: { Parent: { field: 'ParentId', to: ['PermissionSet', 'MutingPermissionSet'] }, ...AUDIT_RELS } },
  CustomPermission: { prefix: '0CP', fields: { Id: 'id', DeveloperName: 'string', MasterLabel: 'string',
    NamespacePrefix: 'string', Description: 'textarea', IsProtected: 'bool', IsLicensed: 'bool', Language: 'picklist',
    ...AUDIT },
    rels: { ...AUDIT_RELS } },
  // Evidence (EVIDENCE.md, Audit trail): Setup changes, read-only (any write answers
  // INVALID_TYPE_FOR_OPERATION, writes.js); /__admin/mutate's `audit` appends to it.
  SetupAuditTrail: { prefix: '0Ym', fields: { Id: 'id', Action: 'string', Section: 'string',
    Display: 'string', CreatedDate: 'datetime', CreatedById: 'ref', DelegateUser: 'string',
    ResponsibleNamespacePrefix: 'string' },
    rels: { CreatedBy: { field: 'CreatedById', to: ['User'] } } },
};

const PREFIX_TO_OBJECT = {};
for (const [name, o] of Object.entries(OBJECTS)) PREFIX_TO_OBJECT[o.prefix] = name;
const OBJECT_BY_LOWER = {};
for (const name of Object.keys(OBJECTS)) OBJECT_BY_LOWER[name.toLowerCase()] = name;

/** "PermissionSetGroup" → "Permission Set Group". */
function words(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}

/** A field's Setup label where the schema gives none, in Salesforce's manner ("Profile ID", "Active"). */
function fieldLabel(objectLabel, name) {
  if (name === 'Id') return `${objectLabel} ID`;
  if (name.endsWith('Id') && name.length > 2) return `${words(name.slice(0, -2))} ID`;
  if (/^Is[A-Z]/.test(name)) return words(name.slice(2));
  if (/^Permissions[A-Z]/.test(name)) return words(name.slice('Permissions'.length));
  return words(name);
}

/** A field's value when a record lacks it: booleans that Salesforce never leaves null read as false. */
function missingValue(name, type) {
  return name === 'IsDeleted' || (type === 'bool' && name.startsWith('Permissions')) ? false : null;
}

/** The system permission fields of a dataset: its "permission_fields", checked, else the catalogue. */
function permissionFields(list) {
  if (list === undefined) return CATALOGUE;
  if (!Array.isArray(list)) throw new Error('permission_fields must be an array of {"name", "label"}');
  list.forEach((p, i) => {
    if (!p || typeof p.name !== 'string' || !/^Permissions[A-Za-z0-9_]+$/.test(p.name) || typeof p.label !== 'string') {
      throw new Error(`permission_fields[${i}]: needs a "name" starting with Permissions and a "label"`);
    }
  });
  return list;
}

// Objects an org may lack; no other object's lookup points at them.
// SetupAuditTrail: an edition or API version without it (reports/EVIDENCE.md: the sync goes on).
// LoginHistory too: an org that will not show it to the sync user answers as if it had none.
const ABSENT_OK = ['ObjectPermissions', 'FieldPermissions', 'CustomPermission', 'SetupAuditTrail',
  'LoginHistory'];

/**
 * The dataset's "absent": {"objects": [...], "fields": {"Object": [...]}}, checked: objects and
 * fields this org does not have (an older API version, a feature not enabled).
 */
function absentParts(absent) {
  const out = { objects: new Set(), fields: new Map() };
  if (absent === undefined) return out;
  if (!absent || typeof absent !== 'object') throw new Error('absent must be {"objects": [...], "fields": {"Object": [...]}}');
  for (const name of absent.objects || []) {
    if (!ABSENT_OK.includes(name)) throw new Error(`absent.objects: ${name} is not one of ${ABSENT_OK.join(', ')}`);
    out.objects.add(name);
  }
  for (const [name, list] of Object.entries(absent.fields || {})) {
    if (!OBJECTS[name] || !Array.isArray(list)) throw new Error(`absent.fields: ${name} needs a known object and an array of fields`);
    out.fields.set(name, new Set(list.map((f) => String(f).toLowerCase())));
  }
  return out;
}

/** Per-object lookup tables, extended at load time with fields that dataset records carry. */
class Schema {
  /** `perms`: the dataset's "permission_fields" (undefined: the built-in catalogue); `absent`: its "absent". */
  constructor(perms, absent) {
    this.permissionFields = permissionFields(perms);
    this.absent = absentParts(absent);
    this.objects = {};
    for (const [name, o] of Object.entries(OBJECTS)) {
      if (this.absent.objects.has(name)) continue;
      const label = words(name);
      const fields = new Map();
      const put = (f, t, l) => fields.set(f.toLowerCase(),
        { name: f, type: t, label: l || fieldLabel(label, f), missing: missingValue(f, t) });
      for (const [f, t] of Object.entries(o.fields)) put(f, t);
      if (o.permissions) for (const p of this.permissionFields) put(p.name, 'bool', p.label);
      for (const f of this.absent.fields.get(name) || []) fields.delete(f);
      for (const f of o.unfilterable || []) fields.get(f.toLowerCase()).filterable = false;
      const rels = new Map();
      for (const [r, d] of Object.entries(o.rels || {})) rels.set(r.toLowerCase(), { name: r, ...d });
      const children = new Map();
      for (const [r, d] of Object.entries(o.children || {})) {
        if (!this.absent.objects.has(d.object)) children.set(r.toLowerCase(), { name: r, ...d });
      }
      this.objects[name] = {
        name, label, prefix: o.prefix, fields, rels, children, maxBatch: o.maxBatch, maxRows: o.maxRows,
      };
    }
  }
  object(name) {
    const canon = OBJECT_BY_LOWER[String(name).toLowerCase()];
    return canon ? this.objects[canon] : null;
  }
  /** A dataset field that the static schema lacks: typed from its first non-null value. */
  learnField(objectName, field, value) {
    const o = this.objects[objectName];
    if (!o || o.fields.has(field.toLowerCase()) || this.absent.fields.get(objectName)?.has(field.toLowerCase())) return;
    let type = 'string';
    if (typeof value === 'boolean') type = 'bool';
    else if (typeof value === 'number') type = Number.isInteger(value) ? 'int' : 'double';
    else if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) type = 'datetime';
    else if (typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value)) type = 'date';
    else if (field.endsWith('Id')) type = 'ref';
    o.fields.set(field.toLowerCase(),
      { name: field, type, label: fieldLabel(o.label, field), missing: missingValue(field, type) });
  }
  objectForId(id) {
    return typeof id === 'string' ? PREFIX_TO_OBJECT[id.slice(0, 3)] || null : null;
  }
}

module.exports = { Schema, OBJECTS, PREFIX_TO_OBJECT };
