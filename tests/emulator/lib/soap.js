'use strict';
// SOAP partner login() at /services/Soap/u/NN.N (lib/salesforce/SALESFORCE-API.md §3.1). Only login is served;
// the username and password are pulled out of the envelope with a tolerant regex (any namespace
// prefix) and XML-entity decoded, which is all the emulator needs from the request.
const { send, readBody } = require('./http');
const auth = require('./authcommon');

const MAX_SOAP_LOGIN_VERSION = 64; // login() is not available in API v65.0 and later

function xmlEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function xmlDecode(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e];
  });
}

function element(xml, name) {
  const m = new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}\\s*>`).exec(xml);
  if (m) return xmlDecode(m[1]);
  // <password/> or <password></password>: present but empty.
  return new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?/>`).test(xml) ? '' : null;
}

const MESSAGES = {
  INVALID_LOGIN: 'Invalid username, password, security token; or user locked out.',
  LOGIN_MUST_USE_SECURITY_TOKEN: 'Invalid username, password, security token; or user locked out. Are you at a new location? ' +
    'When accessing Salesforce--either via a desktop client or the API--from outside of your company\u2019s trusted networks, ' +
    'you must add a security token to your password to log in. To get your new security token, log in to Salesforce. ' +
    'From your personal settings, enter Reset My Security Token in the Quick Find box, then select Reset My Security Token.',
  API_CURRENTLY_DISABLED: 'API is disabled for this User',
  API_DISABLED_FOR_ORG: 'API is not enabled for this Organization or Partner',
  UNSUPPORTED_API_VERSION: 'Invalid Api version specified on URL',
  INVALID_REQUEST: 'The emulator only serves the login() call on this endpoint',
};

function fault(req, res, code, faultType = 'LoginFault') {
  const msg = MESSAGES[code];
  const xml = '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault>' +
    `<faultcode>sf:${code}</faultcode><faultstring>${xmlEscape(`${code}: ${msg}`)}</faultstring>` +
    `<detail><sf:${faultType} xsi:type="sf:${faultType}"><sf:exceptionCode>${code}</sf:exceptionCode>` +
    `<sf:exceptionMessage>${xmlEscape(msg)}</sf:exceptionMessage></sf:${faultType}></detail>` +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>';
  send(req, res, 500, { 'Content-Type': 'text/xml;charset=UTF-8' }, xml);
}

function tag(name, v) {
  return v === null || v === undefined ? `<${name} xsi:nil="true"/>` : `<${name}>${xmlEscape(v)}</${name}>`;
}

function success(emu, req, res, version, who) {
  const org = emu.store.org;
  const org15 = org.Id.slice(0, 15);
  const base = emu.baseUrl();
  const u = who.record || {};
  const sessionId = emu.sessions.newAccess(who.username, null, null);
  const xml = '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><loginResponse><result>' +
    tag('metadataServerUrl', `${base}/services/Soap/m/${version}/${org15}`) +
    tag('passwordExpired', 'false') + tag('sandbox', org.is_sandbox ? 'true' : 'false') +
    tag('serverUrl', `${base}/services/Soap/u/${version}/${org15}`) +
    tag('sessionId', sessionId) + tag('userId', who.userId) +
    '<userInfo>' + tag('accessibilityMode', 'false') + tag('chatterExternal', 'false') + tag('currencySymbol', '$') +
    tag('orgAttachmentFileSizeLimit', '5242880') + tag('orgDefaultCurrencyIsoCode', 'USD') +
    tag('orgDefaultCurrencyLocale', 'en_US') + tag('orgDisallowHtmlAttachments', 'false') +
    tag('orgHasPersonAccounts', 'false') + tag('organizationId', org.Id) + tag('organizationMultiCurrency', 'false') +
    tag('organizationName', org.Name) + tag('profileId', u.ProfileId ?? null) + tag('roleId', u.UserRoleId ?? null) +
    tag('sessionSecondsValid', '7200') + tag('userDefaultCurrencyIsoCode', null) + tag('userEmail', u.Email ?? who.username) +
    tag('userFullName', u.Name ?? who.username) + tag('userId', who.userId) + tag('userLanguage', u.LanguageLocaleKey ?? 'en_US') +
    tag('userLocale', u.LocaleSidKey ?? 'en_US') + tag('userName', who.username) +
    tag('userTimeZone', u.TimeZoneSidKey ?? 'America/Los_Angeles') + tag('userType', u.UserType ?? 'Standard') +
    tag('userUiSkin', 'Theme3') + '</userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>';
  send(req, res, 200, { 'Content-Type': 'text/xml;charset=UTF-8' }, xml);
}

async function handle(emu, req, res, url) {
  const m = /^\/services\/Soap\/u\/(\d+)\.(\d)(\/[^/]*)?$/.exec(url.pathname);
  if (!m) return send(req, res, 404, { 'Content-Type': 'text/plain' }, 'Not Found');
  const body = (await readBody(req, 1024 * 1024)).toString('utf8');
  const major = Number(m[1]);
  if (m[2] !== '0' || major < 31 || major > MAX_SOAP_LOGIN_VERSION) return fault(req, res, 'UNSUPPORTED_API_VERSION', 'UnexpectedErrorFault');
  if (!/<(?:[\w.-]+:)?login[\s>]/.test(body)) return fault(req, res, 'INVALID_REQUEST', 'UnexpectedErrorFault');
  const username = element(body, 'username');
  const password = element(body, 'password');
  const who = auth.checkPassword(emu.store, username, password);
  if (who.error) return fault(req, res, who.error);
  if (emu.store.org.api_enabled === false) return fault(req, res, 'API_DISABLED_FOR_ORG');
  if (who.authUser.api_enabled === false) return fault(req, res, 'API_CURRENTLY_DISABLED');
  success(emu, req, res, `${major}.0`, who);
}

module.exports = { handle };
