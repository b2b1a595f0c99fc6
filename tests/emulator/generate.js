#!/usr/bin/env node
'use strict';
// Generates a realistic org dataset (README.md "Generator"), deterministic for a seed:
//   node generate.js --users N [--seed S] [--groups N] [--roles N] [--profiles N]
//                    [--permission-sets N] [--psgs N] [--apps N] [--no-permissions] [--no-territories]
//                    [--no-licenses] [--login-days N] > org.json
// --login-days N adds LoginHistory over the N days before the org's "now" (policy checks); without
// it the output is the same as before the option existed.
// The big objects (PermissionSetAssignment, GroupMember, UserLogin) are streamed record by
// record to stdout, so a 50,000-user org never exists as one string. Permission data (the
// Permissions* fields, ObjectPermissions, FieldPermissions, CustomPermission) comes from
// lib/genperms.js; --no-permissions leaves it out and writes the org exactly as before it.
const { makeId } = require('./lib/ids');
const genperms = require('./lib/genperms');

function usage(msg) {
  process.stderr.write(`${msg ? `error: ${msg}\n` : ''}usage: node generate.js --users N [--seed S] [--groups N] [--roles N] ` +
    '[--profiles N] [--permission-sets N] [--psgs N] [--apps N] [--no-permissions] [--no-territories] ' +
    '[--no-licenses] [--login-days N] > org.json\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { seed: 1, permissions: true };
  // Options without a value: the permission data (issue 14) and the entitlements (issue 17) are
  // on unless turned off; each adds objects and never changes the others.
  const flags = { '--no-permissions': ['permissions', false], '--no-territories': ['noTerritories', true],
    '--no-licenses': ['noLicenses', true] };
  argv = argv.filter((a) => { if (!flags[a]) return true; o[flags[a][0]] = flags[a][1]; return false; });
  const keys = { '--users': 'users', '--seed': 'seed', '--groups': 'groups', '--roles': 'roles', '--profiles': 'profiles',
    '--permission-sets': 'permissionSets', '--psgs': 'psgs', '--apps': 'apps',
    '--login-days': 'loginDays' };
  for (let i = 0; i < argv.length; i += 2) {
    const k = keys[argv[i]];
    if (!k) usage(`unknown argument ${argv[i]}`);
    if (!/^\d+$/.test(argv[i + 1] || '')) usage(`${argv[i]} needs a non-negative integer`);
    o[k] = Number(argv[i + 1]);
  }
  if (o.users === undefined) usage('--users is required');
  if (o.users < 1) usage('--users must be at least 1');
  const n = o.users;
  o.roles ??= Math.max(1, Math.round(n / 20));
  o.groups ??= Math.max(2, Math.round(n / 40));
  o.profiles ??= Math.max(10, Math.round(n / 70));
  o.permissionSets ??= Math.max(1, Math.round(n / 16));
  o.psgs ??= Math.max(1, Math.round(n / 200));
  o.apps ??= 20;
  o.profiles = Math.max(o.profiles, 7); // the special-purpose profiles below
  return o;
}

// Deterministic PRNG (mulberry32).
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
}

// Output: records written one at a time into a buffer flushed in ~1 MB chunks (stdout to a
// pipe or file is synchronous on Linux, so no backpressure handling is needed).
let buf = [];
let bufLen = 0;
function out(s) {
  buf.push(s);
  bufLen += s.length;
  if (bufLen > 1 << 20) flush();
}
function flush() { if (buf.length) process.stdout.write(buf.join('')); buf = []; bufLen = 0; }

const counters = {};
function id(prefix) { counters[prefix] = (counters[prefix] || 0) + 1; return makeId(prefix, '5e0', counters[prefix]); }

const REF = Date.UTC(2026, 10, 1); // the generated org's "now": 2026-11-01
const DAY = 86400000;
const dt = (ms) => new Date(ms).toISOString().replace('Z', '+0000');

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William',
  'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Ana', 'Wei', 'Mei', 'Arjun', 'Priya',
  'Hiroshi', 'Yuki', 'Olga', 'Ivan', 'Fatima', 'Omar', 'Zoe', "Siobhán", 'Renée', 'José'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Lee',
  'Nguyen', 'Chen', 'Patel', 'Kim', 'Tanaka', 'Ivanova', 'Müller', "O'Brien", 'Haddad', 'Kowalski', 'Silva', 'Rossi', 'Dubois'];
const DEPTS = ['Sales', 'Service', 'Marketing', 'Finance', 'Engineering', 'Operations', 'Legal', 'HR', 'Support', 'IT'];
const TZ = ['America/New_York', 'America/Los_Angeles', 'America/Chicago', 'Europe/London', 'Europe/Paris', 'Asia/Tokyo', 'Australia/Sydney'];
const APP_NAMES = ['Salesforce Mobile', 'Salesforce for Outlook', 'Dataloader Partner', 'Workbench', 'Slack for Salesforce',
  'Tableau Connector', 'DocuSign eSignature', 'Jira Connector', 'Okta SSO', 'Zendesk Sync', 'Marketing Cloud Connect',
  'Power BI Connector', 'HubSpot Sync', 'Backup Tool', 'Gong Integration', 'Outreach', 'Conga Composer', 'Chatter Desktop',
  'ServiceNow Bridge', 'Custom Integration'];

const PERM_FLAGS = ['PermissionsModifyAllData', 'PermissionsViewAllData', 'PermissionsManageUsers', 'PermissionsAuthorApex',
  'PermissionsCustomizeApplication', 'PermissionsApiEnabled', 'PermissionsViewSetup'];

function devName(s) { return s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^(\d)/, 'X$1'); }

function main() {
  const o = parseArgs(process.argv.slice(2));
  const r = prng(o.seed);
  const N = o.users;
  const domain = `gen${o.seed}.example`;
  const orgId = makeId('00D', '5e0', o.seed);

  // --- licenses ---------------------------------------------------------------------------
  const LIC = [['Salesforce', 'SFDC'], ['Salesforce Platform', 'AUL'], ['Chatter Free', 'PID_CHATTER'],
    ['Partner Community', 'PID_Partner_Community'], ['Customer Community Login', 'PID_Customer_Community_Login'],
    ['Guest', 'PID_Guest_User'], ['Cloud Integration User', 'CLOUD_INTEGRATION_USER'], ['Identity', 'PID_Identity']]
    .map(([Name, key]) => ({ Id: id('100'), Name, MasterLabel: Name, LicenseDefinitionKey: key, Status: 'Active',
      TotalLicenses: 0, UsedLicenses: 0, CreatedDate: dt(REF - 2000 * DAY) }));
  const lic = Object.fromEntries(LIC.map((l) => [l.LicenseDefinitionKey, l]));

  // --- profiles (+ their owned permission sets) --------------------------------------------
  const special = [['System Administrator', 'SFDC', 'Standard', true], ['Standard User', 'SFDC', 'Standard'],
    ['Standard Platform User', 'AUL', 'Standard'], ['Chatter Free User', 'PID_CHATTER', 'CsnOnly'],
    ['Partner Community User', 'PID_Partner_Community', 'PowerPartner'],
    ['Customer Community Login User', 'PID_Customer_Community_Login', 'CspLitePortal'],
    ['Acme Site Guest User', 'PID_Guest_User', 'Guest']];
  const profiles = [];
  for (let i = 0; i < o.profiles; i++) {
    const [name, key, utype, admin] = special[i] || [`${r.pick(DEPTS)} Profile ${i - special.length + 1}`, r.chance(0.8) ? 'SFDC' : 'AUL', 'Standard'];
    const p = { Id: id('00e'), Name: name, UserLicenseId: lic[key].Id, UserType: utype, Description: null, IsSsoEnabled: r.chance(0.2),
      CreatedDate: dt(REF - r.int(300, 2000) * DAY), LastModifiedDate: dt(REF - r.int(1, 300) * DAY) };
    for (const f of PERM_FLAGS) p[f] = !!admin || (f === 'PermissionsApiEnabled' ? utype === 'Standard' : f === 'PermissionsViewSetup' ? r.chance(0.2) : r.chance(0.02));
    profiles.push(p);
  }
  const standardProfiles = profiles.filter((p) => p.UserType === 'Standard' && p.Name !== 'System Administrator');
  const byType = (t) => profiles.find((p) => p.UserType === t);

  const permSets = [];
  const profilePs = new Map();
  for (const p of profiles) {
    const ps = { Id: id('0PS'), Name: `X${p.Id.slice(0, 15)}`, Label: p.Name, Description: null, IsOwnedByProfile: true,
      ProfileId: p.Id, IsCustom: !special.find((s) => s[0] === p.Name), NamespacePrefix: null,
      LicenseId: p.UserLicenseId,
      PermissionSetGroupId: null, HasActivationRequired: false, Type: 'Profile', CreatedDate: p.CreatedDate, LastModifiedDate: p.LastModifiedDate };
    for (const f of PERM_FLAGS) ps[f] = p[f];
    permSets.push(ps);
    profilePs.set(p.Id, ps);
  }

  // --- regular permission sets, muting permission sets, PSGs with aggregate PSs -------------
  const regular = [];
  for (let i = 0; i < o.permissionSets; i++) {
    const dept = r.pick(DEPTS);
    const session = r.chance(0.05);
    const managed = !session && r.chance(0.08);
    const ps = { Id: id('0PS'), Name: devName(`${dept}_Access_${i + 1}`), Label: `${dept} Access ${i + 1}`,
      Description: r.chance(0.5) ? `Grants ${dept.toLowerCase()} features` : null, IsOwnedByProfile: false, ProfileId: null,
      IsCustom: !managed, NamespacePrefix: managed ? r.pick(['dsfs', 'SBQQ', 'pkg']) : null,
      LicenseId: r.chance(0.2) ? lic.SFDC.Id : null, PermissionSetGroupId: null, HasActivationRequired: session,
      Type: session ? 'Session' : managed ? 'Standard' : 'Regular', CreatedDate: dt(REF - r.int(30, 1500) * DAY),
      LastModifiedDate: dt(REF - r.int(1, 30) * DAY) };
    ps.PermissionsModifyAllData = r.chance(0.01);
    ps.PermissionsViewAllData = r.chance(0.02);
    ps.PermissionsManageUsers = r.chance(0.02);
    ps.PermissionsAuthorApex = r.chance(0.03);
    ps.PermissionsCustomizeApplication = r.chance(0.03);
    ps.PermissionsApiEnabled = r.chance(0.3);
    ps.PermissionsViewSetup = r.chance(0.1);
    regular.push(ps);
    permSets.push(ps);
  }
  const muting = [];
  const psgs = [];
  const components = [];
  const aggregate = new Map();
  for (let i = 0; i < o.psgs; i++) {
    const name = `${r.pick(DEPTS)} Bundle ${i + 1}`;
    const g = { Id: id('0PG'), DeveloperName: devName(name), MasterLabel: name, Description: r.chance(0.5) ? `Everything for ${name}` : null,
      Language: 'en_US', NamespacePrefix: null, HasActivationRequired: false, Status: r.chance(0.1) ? 'Outdated' : 'Updated',
      CreatedDate: dt(REF - r.int(30, 900) * DAY), LastModifiedDate: dt(REF - r.int(1, 30) * DAY) };
    psgs.push(g);
    const agg = { Id: id('0PS'), Name: `${g.DeveloperName}_Aggregate`, Label: g.MasterLabel, Description: null, IsOwnedByProfile: false,
      ProfileId: null, IsCustom: true, NamespacePrefix: null, LicenseId: null, PermissionSetGroupId: g.Id,
      HasActivationRequired: false,
      Type: 'Group', CreatedDate: g.CreatedDate, LastModifiedDate: g.LastModifiedDate };
    permSets.push(agg);
    aggregate.set(g.Id, agg);
    const chosen = new Set();
    const k = Math.min(regular.length, r.int(2, 5));
    while (chosen.size < k) chosen.add(r.pick(regular));
    for (const ps of chosen) components.push({ Id: id('0PC'), PermissionSetGroupId: g.Id, PermissionSetId: ps.Id, CreatedDate: g.CreatedDate });
    for (const f of PERM_FLAGS) agg[f] = [...chosen].some((ps) => ps[f]);
    if (i === 0 || r.chance(0.25)) { // at least one muting permission set component
      const m = { Id: id('0QM'), DeveloperName: `${g.DeveloperName}_Muting`, MasterLabel: `${g.MasterLabel} Muting`,
        Description: null, Language: 'en_US', NamespacePrefix: null, PermissionsModifyAllData: false, CreatedDate: g.CreatedDate };
      muting.push(m);
      components.push({ Id: id('0PC'), PermissionSetGroupId: g.Id, PermissionSetId: m.Id, CreatedDate: g.CreatedDate });
    }
  }

  // --- roles: a tree (each role has up to 5 children), plus one partner portal role ---------
  const roles = [];
  for (let i = 0; i < o.roles; i++) {
    const name = i === 0 ? 'CEO' : `${DEPTS[i % DEPTS.length]} ${i < 6 ? 'VP' : i < 31 ? 'Director' : 'Manager'} ${i}`;
    roles.push({ Id: id('00E'), Name: name, DeveloperName: devName(name), ParentRoleId: i === 0 ? null : roles[Math.floor((i - 1) / 5)].Id,
      RollupDescription: name, PortalType: 'None', PortalAccountId: null, OpportunityAccessForAccountOwner: 'Edit',
      CaseAccessForAccountOwner: 'Edit', ContactAccessForAccountOwner: 'Edit', ForecastUserId: null, MayForecastManagerShare: false,
      LastModifiedDate: dt(REF - r.int(1, 500) * DAY) });
  }
  const partnerRole = { Id: id('00E'), Name: 'Acme Partners Partner User', DeveloperName: 'AcmePartnersPartnerUser',
    ParentRoleId: roles[0].Id, RollupDescription: 'Acme Partners Partner User', PortalType: 'Partner',
    PortalAccountId: makeId('001', '5e0', 1), OpportunityAccessForAccountOwner: 'None', CaseAccessForAccountOwner: 'None',
    ContactAccessForAccountOwner: 'None', ForecastUserId: null, MayForecastManagerShare: false, LastModifiedDate: dt(REF - 100 * DAY) };
  roles.push(partnerRole);

  // --- users ---------------------------------------------------------------------------------
  const users = [];
  const logins = [];
  const admin = `admin@${domain}`;
  const kinds = ['admin', 'PowerPartner', 'CspLitePortal', 'CsnOnly', 'Guest', 'AutomatedProcess'];
  const internalRoles = roles.filter((x) => x.PortalType === 'None');
  for (let i = 0; i < N; i++) {
    let kind = i < kinds.length ? kinds[i] : 'Standard';
    if (i >= kinds.length) {
      const x = r.next();
      kind = x < 0.02 ? 'PowerPartner' : x < 0.05 ? 'CspLitePortal' : x < 0.07 ? 'CsnOnly' : 'Standard';
    }
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const uid = id('005');
    let profile;
    // Accents decomposed (NFD) and every non-ASCII code point dropped: a username is ASCII.
    let username = `${first}.${last}.${i}@${domain}`.toLowerCase().normalize('NFD')
      .replace(/[\u0080-\uffff]/g, '').replace(/'/g, '');
    let firstName = first;
    let lastName = last;
    let userType = kind;
    let role = null;
    if (kind === 'admin') { profile = profiles[0]; username = admin; firstName = 'Ada'; lastName = 'Admin'; userType = 'Standard'; role = roles[0]; }
    else if (kind === 'Standard') { profile = r.chance(0.03) ? profiles[0] : r.pick(standardProfiles); role = r.chance(0.85) ? r.pick(internalRoles) : null; }
    else if (kind === 'AutomatedProcess') { profile = null; username = `autoproc@${orgId.slice(0, 15).toLowerCase()}`; firstName = null; lastName = 'Automated Process'; }
    else if (kind === 'Guest') { profile = byType('Guest'); username = `site_guest@${domain}`; firstName = null; lastName = 'Site Guest User'; }
    else { profile = byType(kind); if (kind === 'PowerPartner') role = partnerRole; }
    if (profile) lic[Object.keys(lic).find((k) => lic[k].Id === profile.UserLicenseId)].UsedLicenses++;
    const created = REF - r.int(30, 2500) * DAY;
    const isActive = kind === 'admin' || kind === 'AutomatedProcess' || kind === 'Guest' ? true : !r.chance(0.04);
    const manager = kind === 'Standard' && users.length > 10 && r.chance(0.8) ? users[r.int(0, Math.min(users.length - 1, 50 + i / 10))] : null;
    const u = { Id: uid, Username: username, FirstName: firstName, LastName: lastName,
      Name: [firstName, lastName].filter(Boolean).join(' '), Email: kind === 'AutomatedProcess' ? `autoproc@${domain}` : username,
      Alias: ((firstName || 'x')[0] + lastName).normalize('NFD').replace(/[^A-Za-z]/g, '').slice(0, 8).toLowerCase(),
      IsActive: isActive, UserType: userType, ProfileId: profile ? profile.Id : null, UserRoleId: role ? role.Id : null,
      ManagerId: manager && manager.UserType === 'Standard' ? manager.Id : null,
      LastLoginDate: kind === 'AutomatedProcess' || r.chance(0.05) ? null : dt(REF - r.int(0, 120) * DAY - r.int(0, 86399) * 1000),
      CreatedDate: dt(created), FederationIdentifier: kind === 'Standard' && r.chance(0.3) ? `E${100000 + i}` : null,
      TimeZoneSidKey: r.pick(TZ), LocaleSidKey: 'en_US', EmailEncodingKey: 'UTF-8', LanguageLocaleKey: 'en_US',
      Department: kind === 'Standard' ? r.pick(DEPTS) : null, IsPortalEnabled: kind === 'PowerPartner' || kind === 'CspLitePortal' };
    users.push(u);
    logins.push({ Id: id('0Ya'), UserId: uid, IsFrozen: kind === 'Standard' && isActive && r.chance(0.01),
      IsPasswordLocked: r.chance(0.003), LastModifiedDate: dt(REF - r.int(0, 200) * DAY) });
  }
  // At least one frozen user.
  if (!logins.some((l) => l.IsFrozen) && N > kinds.length) logins[kinds.length].IsFrozen = true;
  for (const l of LIC) l.TotalLicenses = l.UsedLicenses + r.int(0, 50);
  const standardUsers = users.filter((u) => u.UserType === 'Standard');

  // --- groups: Organization, role groups, public groups and queues ---------------------------
  const groups = [];
  const orgGroup = { Id: id('00G'), Name: 'All Internal Users', DeveloperName: 'AllInternalUsers', Type: 'Organization',
    RelatedId: null, OwnerId: orgId, DoesIncludeBosses: false, DoesSendEmailToMembers: false, Email: null };
  groups.push(orgGroup);
  const roleGroups = [];
  for (const role of roles) {
    for (const type of ['Role', 'RoleAndSubordinates', 'RoleAndSubordinatesInternal']) {
      const g = { Id: id('00G'), Name: '', DeveloperName: role.DeveloperName, Type: type, RelatedId: role.Id, OwnerId: orgId,
        DoesIncludeBosses: false, DoesSendEmailToMembers: false, Email: null };
      groups.push(g);
      roleGroups.push(g);
    }
  }
  const publicGroups = [];
  for (let i = 0; i < o.groups; i++) {
    const queue = i >= 2 && r.chance(0.25);
    const name = queue ? `${r.pick(DEPTS)} Queue ${i + 1}` : `${r.pick(DEPTS)} Team ${i + 1}`;
    const g = { Id: id('00G'), Name: name, DeveloperName: devName(name), Type: queue ? 'Queue' : 'Regular', RelatedId: null,
      OwnerId: admin && users[0].Id, DoesIncludeBosses: !queue && r.chance(0.5),
      DoesSendEmailToMembers: queue && r.chance(0.5),
      Email: queue && r.chance(0.3) ? `${devName(name).toLowerCase()}@${domain}` : null };
    groups.push(g);
    publicGroups.push(g);
  }
  for (const g of groups) {
    g.CreatedDate = dt(REF - r.int(100, 1500) * DAY);
    g.LastModifiedDate = dt(REF - r.int(1, 100) * DAY);
  }

  // --- connected apps ------------------------------------------------------------------------
  const apps = [];
  for (let i = 0; i < o.apps; i++) {
    const name = i < APP_NAMES.length ? APP_NAMES[i] : `Integration App ${i + 1}`;
    apps.push({ Id: id('0H4'), Name: name, OptionsAllowAdminApprovedUsersOnly: r.chance(0.5), OptionsRefreshTokenValidityMetric: false,
      OptionsHasSessionLevelPolicy: r.chance(0.1), OptionsIsInternal: r.chance(0.2),
      OptionsFullContentPushNotifications: false,
      OptionsCodeCredentialGuestEnabled: false, MobileSessionTimeout: null, MobileStartUrl: null,
      PinLength: null, StartUrl: null,
      RefreshTokenValidityPeriod: r.pick([0, 30, 90]), CreatedDate: dt(REF - r.int(30, 1500) * DAY) });
  }
  const sea = [];
  apps.forEach((app, i) => {
    // Grant each app through a mix of parents; the first three cover every kind of parent.
    const parents = new Set();
    if (i % 3 === 0 || r.chance(0.4)) parents.add(profilePs.get(r.pick(profiles.slice(0, 3)).Id));
    if (i % 3 === 1 || r.chance(0.4)) parents.add(r.pick(regular));
    if (i % 3 === 2 || r.chance(0.2)) parents.add(aggregate.get(r.pick(psgs).Id));
    for (const ps of parents) sea.push({ Id: id('0J0'), ParentId: ps.Id, SetupEntityId: app.Id, SetupEntityType: 'ConnectedApplication' });
  });
  for (let i = 0; i < Math.max(5, Math.round(regular.length / 4)); i++) {
    const type = r.pick(['ApexClass', 'ApexPage', 'CustomPermission', 'TabSet']);
    const prefix = { ApexClass: '01p', ApexPage: '066', CustomPermission: '0CP', TabSet: '02u' }[type];
    sea.push({ Id: id('0J0'), ParentId: r.pick(regular).Id, SetupEntityId: makeId(prefix, '5e0', i + 1), SetupEntityType: type });
  }
  for (const s of sea) s.SystemModstamp = dt(REF - r.int(1, 500) * DAY);
  const ent = o.noLicenses && o.noTerritories ? null
    : entitlements(o, users, profilePs, regular, aggregate, muting, components, sea);

  // --- permission data (its own PRNG stream: the rest of the org does not depend on it) ---------
  const permData = o.permissions ? genperms.plan(prng((o.seed ^ 0x5EED5) >>> 0),
    { profiles, permSets, profilePs, regular, psgs, components, muting, aggregate, sea }) : null;

  // --- write the document ----------------------------------------------------------------------
  const allPerms = ['ManageUsers', 'CustomizeApplication', 'ManageRoles', 'ManageGroups', 'ViewSetup',
    ...(o.noTerritories ? [] : ['ManageTerritories'])];
  out('{\n"org": ');
  out(JSON.stringify({ Id: orgId, Name: `Generated Org ${o.seed}`, my_domain: `gen${o.seed}`, edition: 'Enterprise',
    api_limit: 100000 + 1000 * standardUsers.length }));
  out(',\n"auth": ');
  out(JSON.stringify({
    users: [{ username: admin, password: 'pw', security_token: 'tok', api_enabled: true, permissions: allPerms }],
    clients: [{ client_id: 'cid', client_secret: 'secret', run_as: admin,
      redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
      refresh_tokens: [{ token: 'rt-admin', username: admin }] }],
  }));
  out(',\n"records": {');
  let firstObj = true;
  const section = (name, gen) => {
    out(`${firstObj ? '' : ','}\n"${name}": [`);
    firstObj = false;
    let first = true;
    const raw = (json) => { out((first ? '\n' : ',\n') + json); first = false; };
    const emit = (rec) => raw(JSON.stringify(rec));
    if (Array.isArray(gen)) gen.forEach(emit); else gen(emit, raw);
    out('\n]');
  };
  section('UserLicense', LIC);
  section('Profile', profiles);
  section('UserRole', roles);
  section('User', users);
  section('UserLogin', logins);
  section('PermissionSet', permSets);
  section('MutingPermissionSet', muting);
  section('PermissionSetGroup', psgs);
  section('PermissionSetGroupComponent', components);
  section('Group', groups);
  section('GroupMember', (emit) => {
    const gm = (g, m) => emit({ Id: id('011'), GroupId: g.Id, UserOrGroupId: m.Id, SystemModstamp: dt(REF - r.int(1, 700) * DAY) });
    const regularGroups = publicGroups.filter((g) => g.Type === 'Regular');
    // Nested groups, with a cycle between the first two public groups (A in B, B in A).
    if (regularGroups.length >= 2) { gm(regularGroups[0], regularGroups[1]); gm(regularGroups[1], regularGroups[0]); }
    for (const g of regularGroups.slice(2)) {
      if (r.chance(0.3)) {
        const nested = new Set();
        const k = r.int(1, 2);
        for (let j = 0; j < k; j++) {
          nested.add(r.chance(0.6) ? r.pick(regularGroups) : r.chance(0.9) ? r.pick(roleGroups) : orgGroup);
        }
        nested.delete(g);
        for (const h of nested) gm(g, h);
      }
    }
    // Direct user memberships: on average 2 per user.
    for (const u of users) {
      if (u.UserType === 'AutomatedProcess' || u.UserType === 'Guest') continue;
      const k = Math.min(r.int(0, 4), publicGroups.length);
      const chosen = new Set();
      for (let tries = 0; chosen.size < k && tries < 20; tries++) chosen.add(r.pick(publicGroups));
      for (const g of chosen) gm(g, u);
    }
  });
  section('PermissionSetAssignment', (emit) => {
    for (const u of users) {
      const stamp = () => dt(REF - r.int(1, 900) * DAY);
      const pa = (fields) => emit({ Id: id('0Pa'), AssigneeId: u.Id, PermissionSetGroupId: null, IsActive: true,
        ExpirationDate: null, IsRevoked: false, SystemModstamp: stamp(), ...fields });
      if (u.ProfileId) pa({ PermissionSetId: profilePs.get(u.ProfileId).Id });
      if (u.UserType === 'AutomatedProcess' || u.UserType === 'Guest') continue;
      const k = r.int(0, 6); // on average 3 besides the profile's own
      const seen = new Set();
      for (let j = 0, made = 0; made < k && j < 3 * k; j++) {
        const expiring = r.chance(0.04);
        const exp = expiring ? dt(REF + (r.chance(0.5) ? -1 : 1) * r.int(1, 60) * DAY) : null;
        if (r.chance(0.15)) {
          const g = r.pick(psgs);
          if (seen.has(g.Id)) continue;
          seen.add(g.Id);
          pa({ PermissionSetId: aggregate.get(g.Id).Id, PermissionSetGroupId: g.Id, ExpirationDate: exp });
          made++;
        } else {
          const ps = r.pick(regular);
          if (seen.has(ps.Id)) continue;
          seen.add(ps.Id);
          pa({ PermissionSetId: ps.Id, IsActive: !ps.HasActivationRequired, ExpirationDate: exp });
          made++;
        }
      }
    }
  });
  section('ConnectedApplication', apps);
  section('SetupEntityAccess', sea);
  section('OauthToken', (emit) => {
    const active = users.filter((u) => u.IsActive && u.UserType === 'Standard');
    const n = Math.max(3, Math.round(N / 10));
    for (let i = 0; i < n; i++) {
      const u = r.pick(active);
      // A few tokens name an app that no longer exists (they give no access row).
      const appName = r.chance(0.03) ? 'Retired Integration' : r.pick(apps).Name;
      const created = REF - r.int(10, 700) * DAY;
      emit({ Id: id('0CR'), UserId: u.Id, AppName: appName, AppMenuItemId: null, LastUsedDate: dt(created + r.int(0, 9) * DAY),
        UseCount: r.int(1, 5000), CreatedDate: dt(created), DeleteToken: `DT${id('0CR').slice(3)}`, AccessToken: null, RequestToken: null });
    }
  });
  if (permData) {
    // Both the entitlements and the permission data name the custom permissions that
    // SetupEntityAccess grants: one CustomPermission section holds them all.
    if (ent && ent.CustomPermission) {
      const have = new Set(ent.CustomPermission.map((c) => c.Id));
      ent.CustomPermission.push(...permData.custom.filter((c) => !have.has(c.Id)));
      permData.custom = [];
    }
  }
  if (ent) for (const [name, list] of Object.entries(ent)) section(name, list);
  if (permData) genperms.emit(section, id, permData);
  // --- policy checks: LoginHistory (README.md "Generator") ------------------------------------
  // One row per user per login day; active users log in on about 60% of days, and about one
  // attempt in 30 fails (Status is filtered on the client). A PRNG of its own keeps every record
  // above identical with and without the option.
  if (o.loginDays) {
    const lr = prng(o.seed * 7919 + 17);
    const APPS = ['Browser', 'Salesforce for iOS', 'Salesforce for Android', 'Dataloader Partner'];
    const BROWSERS = ['Chrome 131', 'Firefox 133', 'Safari 18', 'Edge 131'];
    section('LoginHistory', (emit) => {
      for (let d = o.loginDays; d >= 1; d--) {
        for (const u of users) {
          if (!u.IsActive || u.UserType === 'AutomatedProcess' || u.UserType === 'Guest' || !lr.chance(0.6)) continue;
          const failed = lr.chance(1 / 30);
          emit({ Id: id('0Yc'), UserId: u.Id, LoginTime: dt(REF - d * DAY + lr.int(6, 20) * 3600000 + lr.int(0, 3599) * 1000),
            LoginType: lr.chance(0.9) ? 'Application' : 'Remote Access 2.0', Status: failed ? 'Invalid Password' : 'Success',
            SourceIp: `10.${lr.int(0, 255)}.${lr.int(0, 255)}.${lr.int(1, 254)}`, Application: lr.pick(APPS),
            Browser: lr.pick(BROWSERS), Platform: lr.pick(['Windows 11', 'Mac OSX', 'iOS', 'Android']),
            AuthMethodReference: lr.chance(0.7) ? 'mfa' : null, LoginUrl: `login.${domain}`, LoginGeoId: null });
        }
      }
    });
  }
  out('\n}\n}\n');
  flush();
}

// --- entitlements (issue 17): territories, permission set and package licences, custom
// permissions. Drawn from their own PRNG so the objects above stay what they were for a seed.
const PSL_NAMES = ['Sales Console User', 'Service Cloud User', 'CRM User', 'Identity Connect', 'Einstein Analytics Plus User',
  'Field Service Scheduling', 'Knowledge User', 'Salesforce CPQ License', 'Lightning Platform Starter', 'Sales Cloud Einstein'];
const PACKAGES = ['SBQQ', 'dsfs', 'sbaa', 'pi', 'FinServ'];
const CUSTOM_PERMISSIONS = ['Approve Discounts', 'Bypass Validation', 'Export Reports', 'View Salary Band', 'Manage Renewals',
  'Override Territory', 'Run Data Loads', 'Edit Closed Cases'];

function entitlements(o, users, profilePs, regular, aggregate, muting, components, sea) {
  const r = prng(o.seed * 7919 + 17);
  const N = users.length;
  const internal = users.filter((u) => u.UserType === 'Standard');
  const out = {};
  const stamp = () => dt(REF - r.int(1, 700) * DAY);
  if (!o.noTerritories) {
    const models = [{ Id: id('0MA'), Name: 'FY27 Territories', DeveloperName: 'FY27_Territories', State: 'Active',
      ActivatedDate: dt(REF - 200 * DAY), DeactivatedDate: null, CreatedDate: dt(REF - 260 * DAY) },
    { Id: id('0MA'), Name: 'FY28 Planning', DeveloperName: 'FY28_Planning', State: 'Planning', ActivatedDate: null,
      DeactivatedDate: null, CreatedDate: dt(REF - 20 * DAY) }];
    const territories = [];
    const planning = [];
    const nt = Math.max(3, Math.round(N / 100));
    for (let i = 0; i < nt; i++) {
      const name = i === 0 ? 'Worldwide' : `${r.pick(['North', 'South', 'East', 'West', 'Central'])} ${r.pick(DEPTS)} ${i}`;
      territories.push({ Id: id('0MI'), Name: name, DeveloperName: devName(name), Territory2ModelId: models[0].Id,
        ParentTerritory2Id: i === 0 ? null : territories[Math.floor((i - 1) / 4)].Id, Territory2TypeId: null,
        AccountAccessLevel: 'Edit', OpportunityAccessLevel: 'Read', CaseAccessLevel: 'Read', CreatedDate: stamp() });
    }
    // The planning model's territories are no resources until it is activated.
    for (let i = 0; i < Math.max(1, Math.round(nt / 10)); i++) {
      planning.push({ Id: id('0MI'), Name: `Planned ${i + 1}`, DeveloperName: `Planned_${i + 1}`, Territory2ModelId: models[1].Id,
        ParentTerritory2Id: null, Territory2TypeId: null, AccountAccessLevel: 'Read', OpportunityAccessLevel: 'None',
        CaseAccessLevel: 'None', CreatedDate: stamp() });
    }
    const assoc = [];
    for (const u of internal) {
      if (!r.chance(0.5)) continue;
      const t = r.pick(territories);
      assoc.push({ Id: id('0R0'), UserId: u.Id, Territory2Id: t.Id, RoleInTerritory2: r.pick(['Owner', 'Sales Rep', 'Manager', null]),
        IsActive: true, LastModifiedDate: stamp() });
      if (r.chance(0.05)) assoc.push({ Id: id('0R0'), UserId: u.Id, Territory2Id: r.pick(planning).Id, RoleInTerritory2: null,
        IsActive: true, LastModifiedDate: stamp() });
    }
    Object.assign(out, {
      Territory2Model: models, Territory2: [...territories, ...planning], UserTerritory2Association: assoc,
    });
  }
  if (!o.noLicenses) {
    const psls = PSL_NAMES.map((name) => ({ Id: id('0PL'), DeveloperName: devName(name), MasterLabel: name,
      PermissionSetLicenseKey: devName(name), Status: 'Active', TotalLicenses: 0, UsedLicenses: 0, CreatedDate: stamp() }));
    const psla = [];
    for (const u of internal) {
      const k = r.int(0, 2); // about one a user
      const chosen = new Set();
      for (let j = 0; j < k; j++) chosen.add(r.pick(psls));
      for (const l of chosen) {
        psla.push({ Id: id('2LA'), AssigneeId: u.Id, PermissionSetLicenseId: l.Id, IsRevoked: false, CreatedDate: stamp() });
        l.UsedLicenses++;
      }
    }
    for (const l of psls) l.TotalLicenses = l.UsedLicenses + r.int(0, Math.max(5, Math.round(l.UsedLicenses / 5)));
    const pkgs = PACKAGES.map((ns) => ({ Id: id('050'), NamespacePrefix: ns, Status: 'Active', IsProvisioned: true,
      AllowedLicenses: 0, UsedLicenses: 0, ExpirationDate: null, CreatedDate: stamp() }));
    const upl = [];
    for (const u of internal) {
      for (const p of pkgs) {
        if (!r.chance(0.12)) continue;
        upl.push({ Id: id('051'), UserId: u.Id, PackageLicenseId: p.Id, CreatedDate: stamp() });
        p.UsedLicenses++;
      }
    }
    for (const p of pkgs) p.AllowedLicenses = r.chance(0.2) ? -1 : p.UsedLicenses + r.int(0, 20); // -1: site-wide
    // Custom permissions: the ones the existing SetupEntityAccess rows name, and more granted
    // through profiles, permission sets and group aggregates; a muting set mutes one of its group's.
    const named = sea.filter((x) => x.SetupEntityType === 'CustomPermission').map((x) => x.SetupEntityId);
    const cps = CUSTOM_PERMISSIONS.map((label, i) => ({ Id: named[i] || id('0CP'), DeveloperName: devName(label),
      MasterLabel: label, NamespacePrefix: null, Description: null, IsProtected: false, IsLicensed: false,
      CreatedDate: stamp() }));
    for (const extra of named.slice(CUSTOM_PERMISSIONS.length)) {
      cps.push({ Id: extra, DeveloperName: `Custom_${cps.length + 1}`, MasterLabel: `Custom ${cps.length + 1}`,
        NamespacePrefix: null, Description: null, IsProtected: false, IsLicensed: false, CreatedDate: stamp() });
    }
    const grant = (parent, cp) => sea.push({ Id: id('0J0'), ParentId: parent.Id, SetupEntityId: cp.Id,
      SetupEntityType: 'CustomPermission', SystemModstamp: stamp() });
    const profiles = [...profilePs.values()];
    for (const cp of cps) {
      if (r.chance(0.5)) grant(r.pick(profiles), cp);
      if (r.chance(0.7)) grant(r.pick(regular), cp);
      if (aggregate.size && r.chance(0.4)) grant(r.pick([...aggregate.values()]), cp);
    }
    for (const m of muting) {
      const comp = components.find((c) => c.PermissionSetId === m.Id);
      const agg = comp && aggregate.get(comp.PermissionSetGroupId);
      const given = agg && sea.find((x) => x.ParentId === agg.Id && x.SetupEntityType === 'CustomPermission');
      if (given) sea.push({ Id: id('0J0'), ParentId: m.Id, SetupEntityId: given.SetupEntityId,
        SetupEntityType: 'CustomPermission', SystemModstamp: stamp() });
    }
    Object.assign(out, { PermissionSetLicense: psls, PermissionSetLicenseAssign: psla, PackageLicense: pkgs,
      UserPackageLicense: upl, CustomPermission: cps });
  }
  return out;
}

main();
