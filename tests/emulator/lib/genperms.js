'use strict';
// The permission data of a generated org (../README.md "Generator", permission data): system
// permissions from the catalogue on profiles and permission sets, ObjectPermissions and
// FieldPermissions over a fixed catalogue of 60 objects and 1,500 fields, muting permission sets
// that mute what their group's components grant, and group aggregates that carry the union of
// the components minus the muted. It draws from its own PRNG stream, so the rest of the org is
// the same with and without it (generate.js --no-permissions).
const { CATALOGUE } = require('./permission_catalogue');

// Object permission bits. objectBits() keeps Salesforce's dependencies (lib/access/PERMISSIONS.md
// §1: Create, Edit and View All need Read; Delete needs Read and Edit; Modify All needs Read,
// Edit, Delete and View All).
const R = 1; const C = 2; const E = 4; const D = 8; const VA = 16; const MA = 32; const VAF = 64;
const OBJECT_FIELDS = [[R, 'PermissionsRead'], [C, 'PermissionsCreate'], [E, 'PermissionsEdit'], [D, 'PermissionsDelete'],
  [VA, 'PermissionsViewAllRecords'], [MA, 'PermissionsModifyAllRecords'], [VAF, 'PermissionsViewAllFields']];
// Muting a permission mutes every permission that needs it, so the group result keeps the rules.
const MUTES = {
  [R]: R | C | E | D | VA | MA | VAF, [C]: C, [E]: E | D | MA, [D]: D | MA, [VA]: VA | MA, [MA]: MA, [VAF]: VAF,
};
// Field bits: Edit implies Read.
const FR = 1; const FE = 2;

// The object catalogue: 35 standard objects with some of their real fields, 25 custom objects.
const STANDARD = {
  Account: ['Phone', 'Fax', 'Website', 'Industry', 'AnnualRevenue', 'NumberOfEmployees', 'BillingCity', 'BillingCountry',
    'ShippingCity', 'Rating', 'Ownership', 'Type', 'Description', 'AccountNumber', 'Site', 'TickerSymbol', 'Sic'],
  Contact: ['Phone', 'MobilePhone', 'Email', 'Title', 'Department', 'Birthdate', 'MailingCity', 'MailingCountry',
    'LeadSource', 'AssistantName', 'HomePhone', 'Description', 'DoNotCall', 'HasOptedOutOfEmail'],
  Lead: ['Phone', 'Email', 'Company', 'Title', 'Industry', 'LeadSource', 'Rating', 'AnnualRevenue', 'NumberOfEmployees', 'Website'],
  Opportunity: ['Amount', 'CloseDate', 'StageName', 'Probability', 'Type', 'LeadSource', 'NextStep', 'ForecastCategoryName',
    'Description', 'ExpectedRevenue', 'TotalOpportunityQuantity'],
  Case: ['Priority', 'Origin', 'Reason', 'Type', 'Subject', 'Description', 'SuppliedEmail', 'SuppliedPhone', 'ContactId'],
  Campaign: ['Type', 'Status', 'StartDate', 'EndDate', 'BudgetedCost', 'ActualCost', 'ExpectedRevenue', 'Description'],
  Contract: ['StartDate', 'EndDate', 'ContractTerm', 'Description', 'SpecialTerms', 'BillingCity', 'OwnerExpirationNotice'],
  Order: ['EffectiveDate', 'Description', 'Type', 'PoNumber', 'BillingCity', 'ShippingCity'],
  Product2: ['ProductCode', 'Description', 'Family', 'IsActive', 'QuantityUnitOfMeasure', 'StockKeepingUnit'],
  Pricebook2: ['Description', 'IsActive'],
  Quote: ['ExpirationDate', 'Description', 'Discount', 'ShippingHandling', 'Tax', 'Email', 'Phone'],
  Asset: ['SerialNumber', 'InstallDate', 'PurchaseDate', 'UsageEndDate', 'Price', 'Quantity', 'Description', 'Status'],
  Solution: ['SolutionNote', 'Status', 'IsPublished'],
  Document: ['Description', 'Keywords', 'IsPublic'],
  Idea: ['Body', 'Categories', 'Status'],
  WorkOrder: ['Priority', 'Status', 'Subject', 'Description', 'StartDate', 'EndDate', 'Duration'],
  WorkOrderLineItem: ['Status', 'Description', 'StartDate', 'EndDate'],
  ServiceContract: ['StartDate', 'EndDate', 'Term', 'Description', 'Discount'],
  Entitlement: ['StartDate', 'EndDate', 'Type', 'CasesPerEntitlement'],
  ContractLineItem: ['StartDate', 'EndDate', 'Discount', 'Quantity', 'UnitPrice'],
  ServiceAppointment: ['Status', 'EarliestStartTime', 'DueDate', 'Duration', 'Description'],
  ServiceResource: ['ResourceType', 'Description', 'IsActive'],
  ServiceTerritory: ['OperatingHoursId', 'Description', 'IsActive', 'City'],
  Individual: ['BirthDate', 'HasOptedOutProcessing', 'HasOptedOutTracking', 'ShouldForget'],
  ContactPointEmail: ['EmailAddress', 'IsPrimary'],
  ContactPointPhone: ['TelephoneNumber', 'PhoneType', 'IsPrimary'],
  DuplicateRecordSet: ['RecordCount'],
  ListEmail: ['Subject', 'HtmlBody', 'Status'],
  Macro: ['Description', 'IsAlohaSupported'],
  QuickText: ['Message', 'Category', 'Channel'],
  AuthorizationForm: ['EffectiveFromDate', 'EffectiveToDate', 'IsSignatureRequired'],
  AuthorizationFormConsent: ['ConsentCapturedDateTime', 'ConsentCapturedSource', 'Status'],
  Incident: ['Priority', 'Status', 'Impact', 'Urgency', 'Description'],
  Problem: ['Priority', 'Status', 'Impact', 'Urgency', 'Description'],
  ChangeRequest: ['Priority', 'Status', 'Impact', 'RiskLevel', 'Description'],
};
const CUSTOM = ['Invoice__c', 'Shipment__c', 'Project__c', 'Timesheet__c', 'Expense__c', 'Vendor__c', 'Contract_Term__c',
  'Commission__c', 'Territory_Plan__c', 'Forecast_Adjustment__c', 'Support_Plan__c', 'Warranty__c', 'Inspection__c',
  'Asset_Audit__c', 'Partner_Tier__c', 'Renewal__c', 'Onboarding_Task__c', 'Risk_Assessment__c', 'Compliance_Check__c',
  'Budget__c', 'Purchase_Order__c', 'Delivery__c', 'Feedback__c', 'Training_Course__c', 'Certification__c'];
const CUSTOM_FIELDS = ['Region__c', 'Legacy_Id__c', 'Risk_Score__c', 'Notes__c', 'Approval_Status__c', 'External_Key__c',
  'Tier__c', 'Source_System__c', 'Last_Review_Date__c', 'Owner_Team__c', 'Priority_Score__c', 'Compliance_Flag__c',
  'Billing_Code__c', 'Margin__c', 'Discount__c', 'Cost_Center__c', 'Sync_Status__c', 'Health_Score__c', 'Segment__c',
  'Channel__c', 'Renewal_Date__c', 'Contract_Value__c', 'Language__c', 'Consent_Date__c', 'Salary__c', 'Tax_Id__c',
  'Bank_Account__c', 'Date_of_Birth__c', 'Credit_Limit__c', 'Amount__c', 'Status__c', 'Start_Date__c', 'End_Date__c',
  'Quantity__c', 'Unit_Price__c', 'Description__c', 'Account__c', 'Contact__c', 'Category__c', 'Reference__c'];
const FIELDS_PER_OBJECT = 25;

/** The fixed object and field catalogue: 60 objects, 25 fields each (the same for every seed). */
function objectCatalogue() {
  const objects = [...Object.keys(STANDARD), ...CUSTOM];
  const fields = []; // {object, objectIndex, name: 'Object.Field'}
  const fieldsOf = [];
  objects.forEach((o, i) => {
    const own = [...(STANDARD[o] || [])];
    for (let j = 0; own.length < FIELDS_PER_OBJECT; j++) {
      const f = CUSTOM_FIELDS[(i * 7 + j) % CUSTOM_FIELDS.length];
      if (!own.includes(f)) own.push(f);
    }
    fieldsOf.push(own.map((f) => { fields.push({ object: o, name: `${o}.${f}` }); return fields.length - 1; }));
  });
  return { objects, fields, fieldsOf };
}

// Tier table (lib/access/PERMISSIONS.md §2): tiers 0–1 are what a regular permission set rarely has.
const TIER01 = ['ModifyAllData', 'AuthorApex', 'CustomizeApplication', 'ModifyMetadata', 'ManageInteraction',
  'ManageProfilesPermissionsets', 'ManageUsers', 'ManageInternalUsers', 'AssignPermissionSets', 'ManageRoles', 'ManageSharing',
  'ResetPasswords', 'ManagePasswordPolicies', 'ManageLoginAccessPolicies', 'ManageTwoFactor', 'ManageAuthProviders',
  'ManageCertificates', 'PasswordNeverExpires', 'BypassMFAForUiLogins'].map((n) => `Permissions${n}`);
const TIER234 = ['ViewAllData', 'ViewAllUsers', 'ViewAllFieldsGlobal', 'EditReadonlyFields', 'QueryAllFiles',
  'ManageChatterMessages', 'ManageUnlistedGroups', 'ManageDynamicDashboards', 'DataExport', 'ExportReport', 'ApiEnabled',
  'BulkApiHardDelete', 'ManageReportsInPubFolders', 'ApexRestServices', 'ManageEncryptionKeys', 'ViewEncryptedData',
  'ManageHealthCheck', 'ViewEventLogFiles', 'InstallPackaging', 'ManageCustomPermissions', 'ViewSetup', 'ViewRoles']
  .map((n) => `Permissions${n}`);
const PRIVILEGED = new Set([...TIER01, ...TIER234]);
const ORDINARY = CATALOGUE.map((p) => p.name).filter((n) => !PRIVILEGED.has(n));
const LEGACY_FLAGS = ['PermissionsModifyAllData', 'PermissionsViewAllData', 'PermissionsManageUsers', 'PermissionsAuthorApex',
  'PermissionsCustomizeApplication', 'PermissionsApiEnabled', 'PermissionsViewSetup'];

/** k distinct items of `arr`, in draw order. */
function sample(r, arr, k) {
  const idx = Array.from(arr, (_, i) => i);
  const n = Math.min(k, idx.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(r.next() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, n).map((i) => arr[i]);
}

/** The bits of one object permission row: Read, then each further permission only with what it needs. */
function objectBits(r, full) {
  if (full) return R | C | E | D | VA | MA | (r.chance(0.5) ? VAF : 0);
  let b = R;
  if (r.chance(0.6)) b |= C;
  if (r.chance(0.6)) b |= E;
  if ((b & E) && r.chance(0.4)) b |= D;
  if (r.chance(0.08)) b |= VA;
  if ((b & (E | D | VA)) === (E | D | VA) && r.chance(0.4)) b |= MA;
  if (r.chance(0.05)) b |= VAF;
  return b;
}

/**
 * One container's permissions: system (Set of field names), objects (Map object index → bits),
 * fields (Map field index → bits). Admin-like containers get full rows on 40 objects.
 */
function containerPerms(r, cat, system, adminLike) {
  const objects = new Map();
  for (const oi of sample(r, cat.objects.map((_, i) => i), adminLike ? 40 : r.int(5, 40))) {
    objects.set(oi, objectBits(r, adminLike));
  }
  const candidates = [];
  for (const oi of objects.keys()) candidates.push(...cat.fieldsOf[oi]);
  // 0–400 rows, most containers few: FieldPermissions is the big table, as in real orgs.
  const u = r.next();
  const fields = new Map();
  for (const fi of sample(r, candidates, Math.floor(401 * u * u * u))) fields.set(fi, r.chance(0.45) ? FR | FE : FR);
  return { system, objects, fields };
}

function systemPerms(r, profile, adminLike) {
  const s = new Set();
  if (adminLike) {
    for (const p of CATALOGUE) if (r.chance(0.9)) s.add(p.name);
    if (profile && profile.Name === 'System Administrator') {
      for (const n of ['ModifyAllData', 'ViewAllData', 'ManageUsers', 'AuthorApex', 'CustomizeApplication', 'ApiEnabled', 'ViewSetup']) {
        s.add(`Permissions${n}`);
      }
    }
    return s;
  }
  for (const n of ORDINARY) if (r.chance(profile ? 0.15 : 0.03)) s.add(n);
  for (const n of TIER234) if (r.chance(profile ? 0.03 : 0.005)) s.add(n);
  if (profile ? profile.UserType === 'Standard' : r.chance(0.3)) s.add('PermissionsApiEnabled');
  if (r.chance(profile ? 0.2 : 0.1)) s.add('PermissionsViewSetup');
  // About one regular permission set in 50 carries a tier-0 or tier-1 permission.
  if (!profile && r.chance(0.02)) for (const n of sample(r, TIER01, r.chance(0.2) ? 2 : 1)) s.add(n);
  return s;
}

/** Write a container's system permissions onto its record(s): the true ones, as the dataset stores them. */
function setSystem(recs, system) {
  for (const rec of recs) {
    for (const f of LEGACY_FLAGS) delete rec[f];
    for (const n of system) rec[n] = true;
  }
}

/**
 * Plan every container's permissions and write the system permissions onto the records.
 * `org`: {profiles, permSets, profilePs, regular, psgs, components, muting, aggregate, sea}
 * from generate.js. Returns what emit() writes.
 */
function plan(r, org) {
  const cat = objectCatalogue();
  const perms = new Map(); // permission set or muting permission set Id → container perms
  for (const p of org.profiles) {
    const adminLike = p.Name === 'System Administrator' || (p.UserType === 'Standard' && r.chance(0.03));
    const c = containerPerms(r, cat, systemPerms(r, p, adminLike), adminLike);
    const ps = org.profilePs.get(p.Id);
    setSystem([p, ps], c.system);
    perms.set(ps.Id, c);
  }
  for (const ps of org.regular) {
    const c = containerPerms(r, cat, systemPerms(r, null, false), false);
    setSystem([ps], c.system);
    perms.set(ps.Id, c);
  }
  const mutingById = new Map(org.muting.map((m) => [m.Id, m]));
  // Groups with a muting set often bundle a privileged component: the case muting exists for.
  // Done before any aggregate is computed, since a permission set may sit in several groups.
  for (const g of org.psgs) {
    const parts = org.components.filter((x) => x.PermissionSetGroupId === g.Id).map((x) => x.PermissionSetId);
    if (!parts.some((x) => mutingById.has(x)) || !r.chance(0.4)) continue;
    const id = r.pick(parts.filter((x) => perms.has(x)));
    const c = perms.get(id);
    if (![...c.system].some((n) => TIER01.includes(n))) {
      c.system.add(r.pick(TIER01));
      setSystem([org.permSets.find((x) => x.Id === id)], c.system);
    }
  }
  for (const g of org.psgs) {
    const parts = org.components.filter((x) => x.PermissionSetGroupId === g.Id).map((x) => x.PermissionSetId);
    const granted = { system: new Set(), objects: new Map(), fields: new Map() };
    for (const id of parts.filter((x) => perms.has(x))) {
      const c = perms.get(id);
      for (const n of c.system) granted.system.add(n);
      for (const [oi, b] of c.objects) granted.objects.set(oi, (granted.objects.get(oi) || 0) | b);
      for (const [fi, b] of c.fields) granted.fields.set(fi, (granted.fields.get(fi) || 0) | b);
    }
    const muted = { system: new Set(), objects: new Map(), fields: new Map() };
    for (const m of parts.filter((x) => mutingById.has(x)).map((x) => mutingById.get(x))) {
      // 1–5 permissions the components grant: system ones first, then object and field ones.
      const items = [...[...granted.system].map((n) => ['s', n]),
        ...[...granted.objects].flatMap(([oi, b]) => OBJECT_FIELDS.filter(([bit]) => b & bit).map(([bit]) => ['o', oi, bit])),
        ...[...granted.fields].flatMap(([fi, b]) => [['f', fi, b & FE ? FE : FR]])];
      const k = r.int(1, 5);
      const chosen = [];
      // Half the time a privileged permission a component grants: the case muting exists for.
      const risky = items.filter((it) => it[0] === 's' && TIER01.includes(it[1]));
      if (risky.length && r.chance(0.5)) chosen.push(r.pick(risky));
      for (const kind of ['s', 'o', 'f', 's', 'o']) {
        if (chosen.length === k) break;
        const pool = items.filter((it) => it[0] === kind && !chosen.includes(it));
        if (pool.length) chosen.push(r.pick(pool));
      }
      for (const it of chosen) {
        if (it[0] === 's') muted.system.add(it[1]);
        else if (it[0] === 'o') muted.objects.set(it[1], (muted.objects.get(it[1]) || 0) | MUTES[it[2]]);
        else muted.fields.set(it[1], (muted.fields.get(it[1]) || 0) | (it[2] === FR ? FR | FE : FE));
      }
      for (const n of muted.system) m[n] = true;
      perms.set(m.Id, muted);
    }
    // The aggregate: the union of the components minus what the group mutes.
    const agg = org.aggregate.get(g.Id);
    const result = {
      system: new Set([...granted.system].filter((n) => !muted.system.has(n))), objects: new Map(), fields: new Map(),
    };
    for (const [oi, b] of granted.objects) {
      const left = b & ~(muted.objects.get(oi) || 0);
      if (left) result.objects.set(oi, left);
    }
    for (const [fi, b] of granted.fields) {
      const left = b & ~(muted.fields.get(fi) || 0);
      if (left) result.fields.set(fi, left);
    }
    setSystem([agg], result.system);
    perms.set(agg.Id, result);
  }
  // Custom permissions: the ones SetupEntityAccess rows grant, by their Ids.
  const customIds = [...new Set(org.sea.filter((s) => s.SetupEntityType === 'CustomPermission').map((s) => s.SetupEntityId))];
  const custom = customIds.map((Id, i) => ({ Id, DeveloperName: `Approve_Discounts_${i + 1}`, MasterLabel: `Approve Discounts ${i + 1}`,
    NamespacePrefix: null, Description: i % 2 ? 'Lets a user approve discounts over 20%' : null, IsProtected: false, IsLicensed: false,
    Language: 'en_US' }));
  return { cat, perms, custom };
}

/**
 * Write the CustomPermission, ObjectPermissions and FieldPermissions sections with generate.js's
 * section(): rows in container order, FieldPermissions streamed as text (it is the largest table).
 */
function emit(section, id, p) {
  const { cat, perms, custom } = p;
  if (custom.length) section('CustomPermission', custom);
  section('ObjectPermissions', (out) => {
    for (const [parent, c] of perms) {
      for (const [oi, bits] of c.objects) {
        const rec = { Id: id('110'), ParentId: parent, SobjectType: cat.objects[oi] };
        for (const [bit, name] of OBJECT_FIELDS) rec[name] = (bits & bit) !== 0;
        out(rec);
      }
    }
  });
  section('FieldPermissions', (out, raw) => {
    for (const [parent, c] of perms) {
      for (const [fi, bits] of c.fields) {
        const f = cat.fields[fi];
        raw(`{"Id":"${id('01k')}","ParentId":"${parent}","SobjectType":"${f.object}","Field":"${f.name}",` +
          `"PermissionsRead":${(bits & FR) !== 0},"PermissionsEdit":${(bits & FE) !== 0}}`);
      }
    }
  });
}

module.exports = { plan, emit };
