'use strict';
// SOQL over the in-memory store. Parsing is done by @jetstreamapp/soql-parser-js; this module
// only validates the parsed query against the schema (INVALID_FIELD / INVALID_TYPE with a
// Salesforce-style "ERROR at Row:R:Column:C" position), compiles WHERE / ORDER BY into
// closures, and evaluates a query into an array of record references. Building the output JSON
// (REST) or CSV (Bulk) happens per page from those references, so a cursor never copies rows.
const { parseQuery } = require('@jetstreamapp/soql-parser-js');
const { SfError } = require('./errors');
const ids = require('./ids');

// ---------------------------------------------------------------------------------------------
// Errors with positions

/** 1-based row/column of a character offset in the SOQL text. */
function rowCol(soql, offset) {
  const before = soql.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { row: lines.length, col: lines[lines.length - 1].length + 1 };
}

/** Salesforce's multi-line query error: the offending line, a caret, the position, the text. */
function positioned(code, soql, offset, text) {
  const { row, col } = rowCol(soql, offset);
  const line = soql.split('\n')[row - 1] || '';
  const msg = `\n${line}\n${' '.repeat(col - 1)}^\nERROR at Row:${row}:Column:${col}\n${text}`;
  return new SfError(400, code, msg);
}

/** Offset of `needle` as a whole word (case-insensitive) at or after `from`; 0 if not found. */
function find(soql, needle, from = 0) {
  const esc = String(needle).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|[^A-Za-z0-9_.])(${esc})(?![A-Za-z0-9_])`, 'ig');
  re.lastIndex = from;
  const m = re.exec(soql);
  return m ? m.index + m[1].length : 0;
}

const NO_COLUMN = (f, o) => `No such column '${f}' on entity '${o}'. If you are attempting to use a custom field, ` +
  "be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
const NO_REL = (r) => `Didn't understand relationship '${r}' in field path. If you are attempting to use a custom ` +
  "relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.";
const NO_TYPE = (o) => `sObject type '${o}' is not supported. If you are attempting to use a custom object, be sure ` +
  "to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.";

/**
 * Parse with the library. Its thrown errors drop the token position, but with logErrors it
 * prints the raw parser errors (which carry the token) through console.log: capture them there.
 */
function parse(soql) {
  const captured = [];
  const orig = console.log;
  console.log = (...args) => captured.push(args);
  try {
    return parseQuery(soql, { logErrors: true });
  } catch (e) {
    let offset = soql.length;
    let image = '<EOF>';
    for (const args of captured) {
      for (const a of args) {
        const err = Array.isArray(a) ? a[0] : null;
        if (!err) continue;
        if (err.token && Number.isFinite(err.token.startOffset)) {
          offset = err.token.startOffset;
          image = err.token.image;
        } else if (Number.isFinite(err.offset)) { // lexing error
          offset = err.offset;
          image = soql.substr(err.offset, err.length || 1);
        }
      }
    }
    throw positioned('MALFORMED_QUERY', soql, offset, `unexpected token: ${image}`);
  } finally {
    console.log = orig;
  }
}

// ---------------------------------------------------------------------------------------------
// Values

/** "2026-10-01T08:00:00.000+0000" / "...Z" / "2026-10-01" → epoch ms (null when not a date). */
function toMs(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  let s = String(v);
  if (/^\d{4}-\d\d-\d\d$/.test(s)) s += 'T00:00:00Z';
  s = s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

function unquote(s) {
  if (typeof s !== 'string' || s[0] !== "'") return s;
  return s.slice(1, -1).replace(/\\(.)/g, (_, c) => ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' }[c] ?? c));
}

const DAY = 86400000;
function startOfDay(t) { const d = new Date(t); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()); }
function addMonths(t, n) { const d = new Date(t); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1); }

/** Date literal (TODAY, LAST_N_DAYS:30, ...) → [start, end) in epoch ms, UTC. */
function dateRange(lit, n) {
  const today = startOfDay(Date.now());
  const d = new Date(today);
  const week = today - d.getUTCDay() * DAY; // weeks start on Sunday
  const month = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const quarter = Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
  const year = Date.UTC(d.getUTCFullYear(), 0, 1);
  const R = {
    TODAY: [today, today + DAY], YESTERDAY: [today - DAY, today], TOMORROW: [today + DAY, today + 2 * DAY],
    THIS_WEEK: [week, week + 7 * DAY], LAST_WEEK: [week - 7 * DAY, week], NEXT_WEEK: [week + 7 * DAY, week + 14 * DAY],
    THIS_MONTH: [month, addMonths(month, 1)], LAST_MONTH: [addMonths(month, -1), month],
    NEXT_MONTH: [addMonths(month, 1), addMonths(month, 2)],
    THIS_QUARTER: [quarter, addMonths(quarter, 3)], LAST_QUARTER: [addMonths(quarter, -3), quarter],
    NEXT_QUARTER: [addMonths(quarter, 3), addMonths(quarter, 6)],
    THIS_YEAR: [year, addMonths(year, 12)], LAST_YEAR: [addMonths(year, -12), year],
    NEXT_YEAR: [addMonths(year, 12), addMonths(year, 24)],
    LAST_90_DAYS: [today - 90 * DAY, today + DAY], NEXT_90_DAYS: [today + DAY, today + 91 * DAY],
  };
  if (n === undefined) return R[lit] || null;
  const N = {
    LAST_N_DAYS: [today - n * DAY, today + DAY], NEXT_N_DAYS: [today + DAY, today + (n + 1) * DAY],
    N_DAYS_AGO: [today - n * DAY, today - (n - 1) * DAY],
    LAST_N_WEEKS: [week - 7 * n * DAY, week], NEXT_N_WEEKS: [week + 7 * DAY, week + 7 * (n + 1) * DAY],
    LAST_N_MONTHS: [addMonths(month, -n), month], NEXT_N_MONTHS: [addMonths(month, 1), addMonths(month, n + 1)],
    LAST_N_YEARS: [addMonths(year, -12 * n), year], NEXT_N_YEARS: [addMonths(year, 12), addMonths(year, 12 * (n + 1))],
  };
  return N[lit] || null;
}

// ---------------------------------------------------------------------------------------------
// Field paths

/**
 * Resolve a dotted path ("Profile.UserLicense.Name") on an object. Returns
 * {rels: [{name, field, to}], leaf: {lower, name, type}, get(rec)} or throws INVALID_FIELD.
 */
function resolvePath(ctx, objectName, path, where) {
  const { store, soql, alias } = ctx;
  const schema = store.schema;
  let parts = path.split('.');
  const obj = schema.objects[objectName];
  // "User.Name" on User, or an alias prefix: the first segment may name the queried object itself.
  const first = parts[0].toLowerCase();
  if (parts.length > 1 && !obj.rels.has(first) &&
      (first === objectName.toLowerCase() || (alias && first === alias.toLowerCase()))) {
    parts = parts.slice(1);
  }
  const rels = [];
  let targets = [obj.name];
  for (let i = 0; i < parts.length - 1; i++) {
    let rel = null;
    for (const t of targets) { rel = schema.objects[t].rels.get(parts[i].toLowerCase()); if (rel) break; }
    if (!rel) throw positioned('INVALID_FIELD', soql, find(soql, path, where), NO_REL(parts[i]));
    rels.push(rel);
    targets = rel.to;
  }
  const fname = parts[parts.length - 1];
  const lower = fname.toLowerCase();
  let leaf = null;
  for (const t of targets) { const f = schema.objects[t].fields.get(lower); if (f) { leaf = f; break; } }
  if (!leaf) {
    throw positioned('INVALID_FIELD', soql, find(soql, path, where), NO_COLUMN(fname, targets[0]));
  }
  const poly = targets.length > 1;
  const get = (rec) => {
    let r = rec;
    for (const rel of rels) {
      const id = r[rel.field];
      r = id ? store.get(id) : null;
      if (!r) return null;
    }
    if (poly) {
      const f = schema.objects[store.typeOf(r)].fields.get(lower);
      if (!f) return null;
      return fieldValue(r, f);
    }
    return fieldValue(r, leaf);
  };
  return { rels, leaf, lower, poly, get, parts };
}

/** A record's value of schema field `f`; a field the record lacks reads as f.missing (null or false). */
function fieldValue(rec, f) {
  const v = rec[f.name];
  return v === undefined ? f.missing : v;
}

// ---------------------------------------------------------------------------------------------
// WHERE

/** The parser gives WHERE as a right-linked chain with paren counts; rebuild a real tree. */
function whereTokens(node, out = []) {
  while (node) {
    if (node.operator === 'NOT' && (!node.left || node.left.field === undefined && !node.left.fn)) {
      for (let i = 0; i < (node.left?.openParen || 0); i++) out.push('(');
      out.push('NOT');
      node = node.right;
      continue;
    }
    const c = node.left;
    for (let i = 0; i < (c.openParen || 0); i++) out.push('(');
    out.push({ cond: c });
    for (let i = 0; i < (c.closeParen || 0); i++) out.push(')');
    if (node.right && (node.operator === 'AND' || node.operator === 'OR')) {
      out.push(node.operator);
      node = node.right;
    } else break;
  }
  return out;
}

function whereTree(tokens) {
  let i = 0;
  const orExpr = () => {
    let left = andExpr();
    while (tokens[i] === 'OR') { i++; left = { op: 'OR', a: left, b: andExpr() }; }
    return left;
  };
  const andExpr = () => {
    let left = unary();
    while (tokens[i] === 'AND') { i++; left = { op: 'AND', a: left, b: unary() }; }
    return left;
  };
  const unary = () => {
    const t = tokens[i++];
    if (t === 'NOT') return { op: 'NOT', a: unary() };
    if (t === '(') { const e = orExpr(); if (tokens[i] === ')') i++; return e; }
    if (t && t.cond) return t;
    throw new SfError(400, 'MALFORMED_QUERY', 'unexpected token in WHERE clause');
  };
  return orExpr();
}

function literal(ctx, type, raw) {
  switch (type) {
    case 'STRING': return { v: unquote(raw) };
    case 'INTEGER': case 'DECIMAL': case 'INTEGER_WITH_CURRENCY_PREFIX': case 'DECIMAL_WITH_CURRENCY_PREFIX':
      return { v: Number(String(raw).replace(/^[A-Z]{3}/, '')) };
    case 'BOOLEAN': return { v: String(raw).toUpperCase() === 'TRUE' };
    case 'NULL': return { v: null };
    case 'DATETIME': return { v: toMs(raw), dt: true };
    case 'DATE': { const s = toMs(raw); return { v: s, range: [s, s + DAY] }; }
    case 'DATE_LITERAL': case 'DATE_N_LITERAL': {
      const [lit, n] = String(raw).split(':');
      const r = dateRange(lit.toUpperCase(), n === undefined ? undefined : Number(n));
      if (!r) throw positioned('MALFORMED_QUERY', ctx.soql, find(ctx.soql, lit), `unexpected token: ${raw}`);
      return { v: r[0], range: r };
    }
    default:
      throw positioned('MALFORMED_QUERY', ctx.soql, find(ctx.soql, String(raw)), `unexpected token: ${raw}`);
  }
}

/** Normalise a record value for comparing with a literal of the field's type. */
function normaliser(type) {
  switch (type) {
    case 'datetime': case 'date': return toMs;
    case 'id': case 'ref': return (v) => (v === null || v === undefined ? null : ids.to18(v) || v);
    case 'string': case 'picklist': case 'textarea': return (v) => (v === null || v === undefined ? null : String(v).toLowerCase());
    default: return (v) => (v === undefined ? null : v);
  }
}

function likeRegex(pattern) {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) { re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); continue; }
    if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

function compileCond(ctx, objectName, c) {
  const { soql } = ctx;
  if (c.fn || c.field === undefined) {
    throw positioned('MALFORMED_QUERY', soql, find(soql, 'WHERE'), 'functions in WHERE are not supported by the emulator');
  }
  const p = resolvePath(ctx, objectName, c.field, find(soql, 'WHERE'));
  if (p.leaf.type === 'textarea' || p.leaf.filterable === false) {
    throw new SfError(400, 'INVALID_FIELD', `field '${p.leaf.name}' can not be filtered in query call`);
  }
  const norm = normaliser(p.leaf.type);
  const get = (rec) => norm(p.get(rec));
  const op = c.operator.toUpperCase();
  // Semi-join / anti-join: Id IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE ...)
  if (c.valueQuery) {
    const sub = compile(ctx.store, c.valueQuery, { soql, nested: true });
    if (sub.columns.length !== 1 || sub.count) {
      throw positioned('MALFORMED_QUERY', soql, find(soql, 'SELECT', 1), 'semi join sub-selects can only select one field');
    }
    for (const o of sub.objects) ctx.objects.add(o);
    let set = null;
    const values = () => {
      if (!set) {
        set = new Set();
        const getter = sub.columns[0].get;
        for (const r of sub.run({})) { const v = getter(r); if (v) set.add(ids.to18(v) || v); }
      }
      return set;
    };
    if (op === 'IN') return (rec) => values().has(get(rec));
    if (op === 'NOT IN') return (rec) => !values().has(get(rec));
    throw positioned('MALFORMED_QUERY', soql, find(soql, 'SELECT', 1), 'semi-join sub-selects are only allowed with IN and NOT IN');
  }
  const types = Array.isArray(c.literalType) ? c.literalType : null;
  const lit = (raw, i) => {
    const l = literal(ctx, types ? types[i] : c.literalType, raw);
    if (l.v !== null && !l.range && !l.dt) l.v = norm(l.v);
    return l;
  };
  if (op === 'IN' || op === 'NOT IN' || op === 'INCLUDES' || op === 'EXCLUDES') {
    const arr = (Array.isArray(c.value) ? c.value : [c.value]).map((v, i) => lit(v, i).v);
    const set = new Set(arr);
    const hasNull = arr.includes(null);
    if (op === 'IN' || op === 'INCLUDES') return (rec) => { const v = get(rec); return v === null ? hasNull : set.has(v); };
    return (rec) => { const v = get(rec); return v === null ? !hasNull : !set.has(v); };
  }
  const l = lit(c.value, 0);
  if (op === 'LIKE') {
    const re = likeRegex(String(unquote(c.value)));
    return (rec) => { const v = p.get(rec); return v !== null && re.test(String(v)); };
  }
  if (l.range) {
    const [s, e] = l.range;
    const f = { '=': (v) => v >= s && v < e, '!=': (v) => v < s || v >= e, '<>': (v) => v < s || v >= e,
      '<': (v) => v < s, '<=': (v) => v < e, '>': (v) => v >= e, '>=': (v) => v >= s }[op];
    return (rec) => { const v = get(rec); return v !== null && f(v); };
  }
  const x = l.v;
  switch (op) {
    case '=': return (rec) => get(rec) === x;
    case '!=': case '<>': return (rec) => get(rec) !== x; // SOQL's != also matches nulls
    case '<': return (rec) => { const v = get(rec); return v !== null && x !== null && v < x; };
    case '<=': return (rec) => { const v = get(rec); return v !== null && x !== null && v <= x; };
    case '>': return (rec) => { const v = get(rec); return v !== null && x !== null && v > x; };
    case '>=': return (rec) => { const v = get(rec); return v !== null && x !== null && v >= x; };
    default:
      throw positioned('MALFORMED_QUERY', soql, find(soql, op), `unexpected token: ${op}`);
  }
}

function compileWhere(ctx, objectName, where) {
  const tree = whereTree(whereTokens(where));
  const build = (n) => {
    if (n.cond) return compileCond(ctx, objectName, n.cond);
    if (n.op === 'NOT') { const a = build(n.a); return (r) => !a(r); }
    const a = build(n.a); const b = build(n.b);
    return n.op === 'AND' ? (r) => a(r) && b(r) : (r) => a(r) || b(r);
  };
  return build(tree);
}

// ---------------------------------------------------------------------------------------------
// SELECT list → projection tree

function addToTree(tree, p, rawName) {
  let nodes = tree;
  for (const rel of p.rels) {
    let n = nodes.find((x) => x.kind === 'rel' && x.lower === rel.name.toLowerCase());
    if (!n) { n = { kind: 'rel', lower: rel.name.toLowerCase(), key: rel.name, field: rel.field, children: [] }; nodes.push(n); }
    nodes = n.children;
  }
  if (!nodes.find((x) => x.kind === 'field' && x.lower === p.lower)) {
    nodes.push({ kind: 'field', lower: p.lower, key: p.leaf.name, leaf: p.leaf, poly: p.poly, raw: rawName });
  }
}

/**
 * Compile a parsed (sub)query. Returns {object, count, columns, run(opts), project(rec, version)}.
 * `run({all})` evaluates to an array of record references (all = include deleted, queryAll).
 */
function compile(store, q, opts) {
  const soql = opts.soql;
  const ctx = { store, soql, alias: q.sObjectAlias, objects: new Set() };
  const obj = store.schema.object(q.sObject || q.relationshipName);
  if (!obj) throw positioned('INVALID_TYPE', soql, find(soql, q.sObject, find(soql, 'FROM')), NO_TYPE(q.sObject));
  ctx.objects.add(obj.name);
  const selectAt = find(soql, 'SELECT');

  let count = false;
  const columns = []; // flat list for CSV and semi-joins: {raw, get}
  const tree = [];
  const subqueries = [];
  const aggregates = [];
  for (const f of q.fields || []) {
    if (f.type === 'Field' || f.type === 'FieldRelationship') {
      const path = f.type === 'Field' ? f.field : [...f.relationships, f.field].join('.');
      const p = resolvePath(ctx, obj.name, path, selectAt);
      if (!columns.find((c) => c.path.toLowerCase() === p.parts.join('.').toLowerCase())) {
        columns.push({ raw: f.rawValue || f.field, path: p.parts.join('.'), get: p.get, type: p.leaf.type });
        addToTree(tree, p, f.rawValue || f.field);
      }
    } else if (f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'COUNT' && (!f.parameters || f.parameters.length === 0)) {
      count = true;
    } else if (q.groupBy && f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'COUNT') {
      // An aggregate of a GROUP BY query (EVIDENCE.md, the population reconciliation): COUNT(field)
      // counts the group's rows whose field is not null, and is named exprN unless aliased.
      const param = f.parameters && f.parameters[0];
      const p = param ? resolvePath(ctx, obj.name, String(param), selectAt) : null;
      aggregates.push({ key: f.alias || `expr${aggregates.length}`, get: p ? p.get : null });
    } else if (f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'FIELDS') {
      const kind = String(f.parameters && f.parameters[0]).toUpperCase();
      if (kind !== 'STANDARD' && !(q.limit && q.limit <= 200)) {
        throw positioned('MALFORMED_QUERY', soql, find(soql, 'FIELDS'),
          'The SOQL FIELDS function must have a LIMIT of at most 200');
      }
      for (const fd of obj.fields.values()) {
        const p = resolvePath(ctx, obj.name, fd.name, selectAt);
        columns.push({ raw: fd.name, path: fd.name, get: p.get, type: fd.type });
        addToTree(tree, p, fd.name);
      }
    } else if (f.type === 'FieldSubquery') {
      if (opts.nested) throw positioned('MALFORMED_QUERY', soql, find(soql, 'SELECT', selectAt + 1), 'nested subqueries are not supported');
      const rel = obj.children.get(String(f.subquery.relationshipName).toLowerCase());
      if (!rel) {
        throw positioned('INVALID_TYPE', soql, find(soql, f.subquery.relationshipName),
          `Didn't understand relationship '${f.subquery.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`);
      }
      const sub = compile(store, { ...f.subquery, sObject: rel.object }, { soql, nested: true });
      for (const o of sub.objects) ctx.objects.add(o);
      const node = { kind: 'sub', key: rel.name, rel, sub };
      subqueries.push(node);
      tree.push(node);
    } else {
      throw positioned('MALFORMED_QUERY', soql, find(soql, f.functionName || f.rawValue || 'SELECT'),
        `the emulator does not support ${f.rawValue || f.type} in SELECT`);
    }
  }
  if (q.having || (q.groupBy && (opts.nested || subqueries.length))) {
    throw positioned('MALFORMED_QUERY', soql, find(soql, q.having ? 'HAVING' : 'GROUP'),
      'the emulator supports GROUP BY only with plain fields and COUNT, without HAVING');
  }
  let aggregate = null;
  if (q.groupBy) {
    const groupAt = find(soql, 'GROUP');
    const keys = (Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy]).map((g) => {
      if (!g.field) throw positioned('MALFORMED_QUERY', soql, groupAt, 'unsupported GROUP BY expression');
      return resolvePath(ctx, obj.name, g.field, groupAt).parts.join('.').toLowerCase();
    });
    for (const c of columns) {
      if (!keys.includes(c.path.toLowerCase())) {
        throw positioned('MALFORMED_QUERY', soql, find(soql, c.raw), `Field must be grouped or aggregated: ${c.raw}`);
      }
    }
    aggregate = (rows) => {
      const groups = new Map();
      for (const r of rows) {
        const vals = columns.map((c) => { const v = c.get(r); return v === undefined ? null : v; });
        const k = JSON.stringify(vals);
        let g = groups.get(k);
        if (!g) {
          g = { attributes: { type: 'AggregateResult' } };
          columns.forEach((c, i) => { g[c.raw] = vals[i]; });
          for (const a of aggregates) g[a.key] = 0;
          groups.set(k, g);
        }
        for (const a of aggregates) {
          const v = a.get ? a.get(r) : 1;
          if (v !== null && v !== undefined) g[a.key]++;
        }
      }
      return [...groups.values()];
    };
  }
  const filter = q.where ? compileWhere(ctx, obj.name, q.where) : null;

  let sorter = null;
  if (q.orderBy && q.orderBy.length) {
    const keys = q.orderBy.map((o) => {
      if (!o.field) throw positioned('MALFORMED_QUERY', soql, find(soql, 'ORDER'), 'unsupported ORDER BY expression');
      const p = resolvePath(ctx, obj.name, o.field, find(soql, 'ORDER'));
      if (p.leaf.type === 'textarea') throw new SfError(400, 'INVALID_FIELD', `field '${p.leaf.name}' can not be sorted in a query call`);
      const norm = normaliser(p.leaf.type);
      const desc = String(o.order || 'ASC').toUpperCase() === 'DESC';
      const nullsLast = o.nulls ? String(o.nulls).toUpperCase() === 'LAST' : desc; // SOQL default: ASC NULLS FIRST
      return { get: (r) => norm(p.get(r)), desc, nullsLast };
    });
    sorter = (a, b) => {
      for (const k of keys) {
        const x = k.get(a); const y = k.get(b);
        if (x === y) continue;
        if (x === null) return k.nullsLast ? 1 : -1;
        if (y === null) return k.nullsLast ? -1 : 1;
        const c = x < y ? -1 : 1;
        return k.desc ? -c : c;
      }
      return 0;
    };
  }

  const run = ({ all }) => {
    let out = [];
    for (const r of store.records[obj.name]) {
      if (r.IsDeleted && !all) continue;
      if (filter && !filter(r)) continue;
      out.push(r);
    }
    if (sorter) out.sort(sorter);
    const off = q.offset || 0;
    if (off || q.limit !== undefined) out = out.slice(off, q.limit !== undefined ? off + q.limit : undefined);
    if (obj.maxRows && out.length > obj.maxRows) out = out.slice(0, obj.maxRows);
    return out;
  };

  // Child subqueries need children grouped by parent id: one O(n) pass per query, lazily.
  const childIndex = new Map();
  const childrenOf = (node, parentId) => {
    let idx = childIndex.get(node);
    if (!idx) {
      idx = new Map();
      for (const c of node.sub.run({})) {
        const pid = c[node.rel.field];
        if (!pid) continue;
        if (!idx.has(pid)) idx.set(pid, []);
        idx.get(pid).push(c);
      }
      childIndex.set(node, idx);
    }
    return idx.get(parentId) || [];
  };

  const projectNodes = (rec, nodes, version, type) => {
    const out = { attributes: { type, url: `/services/data/v${version}/sobjects/${type}/${rec.Id}` } };
    for (const n of nodes) {
      if (n.kind === 'field') {
        if (n.poly) {
          const f = store.schema.objects[type].fields.get(n.lower);
          out[f ? f.name : n.key] = f ? fieldValue(rec, f) : null;
        } else out[n.key] = fieldValue(rec, n.leaf);
      } else if (n.kind === 'rel') {
        const id = rec[n.field];
        const target = id ? store.get(id) : null;
        out[n.key] = target ? projectNodes(target, n.children, version, store.typeOf(target)) : null;
      } else {
        const kids = childrenOf(n, rec.Id);
        out[n.key] = kids.length === 0 ? null : { totalSize: kids.length, done: true,
          records: kids.map((k) => n.sub.project(k, version)) };
      }
    }
    return out;
  };

  return {
    object: obj.name,
    objects: ctx.objects,
    count,
    aggregate,
    columns,
    hasSubqueries: subqueries.length > 0,
    features: { offset: q.offset !== undefined, orderBy: !!sorter },
    maxBatch: obj.maxBatch,
    run,
    project: (rec, version) => projectNodes(rec, tree, version, obj.name),
  };
}

/** Parse + compile a SOQL string. */
function prepare(store, soql) {
  if (typeof soql !== 'string' || soql.trim() === '') {
    throw new SfError(400, 'MALFORMED_QUERY', 'unexpected token: <EOF>');
  }
  const q = parse(soql);
  return compile(store, q, { soql });
}

module.exports = { prepare, toMs };
