/**
 * Invalid requests made from valid ones: the body's JSON changed at one place (wrong type, missing
 * or extra property, huge string, deep nesting, control characters, numbers at and past limits,
 * huge arrays), its bytes broken (invalid UTF-8 inside a string, malformed JSON, empty, scalars,
 * past the body limit, chunked), the content type wrong, the path parameters hostile (`.`, `..`,
 * `%ff`, `%zz`, 1 MB names…), the query odd, or the token missing or wrong. Host-like fields only
 * ever receive loopback-pool values or values that are invalid by the document (see targets.ts).
 */
import type { Rng } from './prng.js';
import type { BuildContext, FuzzRequest } from './requests.js';
import { fillPath } from './requests.js';
import { BIND_ADDRESSES, HOST_KEYS, HOSTS } from './targets.js';

type Loc = (string | number)[];
const MARK = '\u0001FUZZ-MARK\u0001';

function nodes(v: unknown, at: Loc = [], out: { loc: Loc; value: unknown }[] = [], limit = 400): { loc: Loc; value: unknown }[] {
  if (out.length >= limit) return out;
  out.push({ loc: at, value: v });
  if (Array.isArray(v)) v.slice(0, 20).forEach((x, i) => nodes(x, [...at, i], out, limit));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) nodes(x, [...at, k], out, limit);
  return out;
}

/** An array or an object, keyed by index or name: what `nodes` descends into. */
type Container = Record<string | number, unknown>;

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === 'object';
}

/** A copy of `root` and, in it, the container that holds the place `loc` (not empty) names. */
function parentIn(root: unknown, loc: Loc): { copy: unknown; parent: Container; last: string | number } {
  const copy = structuredClone(root);
  let cur = copy;
  for (const k of loc.slice(0, -1)) {
    if (!isContainer(cur)) break;
    cur = cur[k];
  }
  if (!isContainer(cur)) throw new TypeError(`no place ${pointer(loc)} in the body`);
  return { copy, parent: cur, last: loc[loc.length - 1]! };
}

function setAt(root: unknown, loc: Loc, value: unknown): unknown {
  if (loc.length === 0) return value;
  const { copy, parent, last } = parentIn(root, loc);
  parent[last] = value;
  return copy;
}

function deleteAt(root: unknown, loc: Loc): unknown {
  if (loc.length === 0) return undefined;
  const { copy, parent, last } = parentIn(root, loc);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return copy;
}

const hostLike = (loc: Loc) => loc.length > 0 && HOST_KEYS.has(String(loc[loc.length - 1]).toLowerCase());
const pointer = (loc: Loc) => (loc.length === 0 ? '(root)' : `/${loc.join('/')}`);

/** A string for a string-typed place; host-like places get pool values or document-invalid lengths. */
function hostileString(rng: Rng, loc: Loc): string {
  if (hostLike(loc)) {
    return rng.weighted<() => string>([
      [6, () => rng.pick(String(loc[loc.length - 1]) === 'address' ? BIND_ADDRESSES : HOSTS)],
      [1, () => ''],
      [1, () => `${'a'.repeat(rng.int(254, 400))}`],
      [1, () => `127.0.0.1${'\u0000'.repeat(260)}`],
    ])();
  }
  return rng.weighted<() => string>([
    [2, () => '\u0000'],
    [2, () => `a\u0000b`],
    [2, () => Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('')],
    [1, () => '\u007f\u0080\u009f'],
    [2, () => '\ud800'],
    [1, () => '\udc00x\ud83d'],
    [1, () => '\ufeff\u200b\u2028\u2029\u202e'],
    [1, () => '\uffff\ufffe'],
    [1, () => '../../etc/passwd'],
    [1, () => '%00%ff%zz'],
    [1, () => '${jndi:ldap://x.invalid/a}{{7*7}}<script>'],
    [1, () => ' '],
    [1, () => ''],
  ])();
}

function otherType(rng: Rng, v: unknown): unknown {
  const choices: unknown[] = [null, true, 0, -1, 1.5, '', '7', 'true', [], [v], {}, { value: v }];
  return rng.pick(choices.filter((c) => typeof c !== typeof v || Array.isArray(c) !== Array.isArray(v)));
}

function deep(rng: Rng, depth: number, typePlace: boolean): { value?: unknown; text?: string; what: string } {
  // In a type expression the constructs nest; elsewhere plain arrays and objects do.
  const kind = typePlace
    ? rng.weighted([[4, 'list'], [2, 'fixed'], [2, 'map'], [1, 'array'], [1, 'object']])
    : rng.weighted([[2, 'array'], [2, 'object'], [1, 'list']]);
  switch (kind) {
    case 'list':
      return { text: `${'{"list":'.repeat(depth)}"DWORD"${'}'.repeat(depth)}`, what: `{"list":…} ${depth} deep` };
    case 'fixed':
      return { text: `${'{"fixed":'.repeat(depth)}"BYTE"${',"length":1}'.repeat(depth)}`, what: `{"fixed":…,"length":1} ${depth} deep` };
    case 'map':
      return { text: `${'{"map":["WORD",'.repeat(depth)}"WORD"${']}'.repeat(depth)}`, what: `{"map":["WORD",…]} ${depth} deep` };
    case 'array':
      return { text: `${'['.repeat(depth)}1${']'.repeat(depth)}`, what: `[[[…]]] ${depth} deep` };
    default:
      return { text: `${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}`, what: `{"a":{"a":…}} ${depth} deep` };
  }
}

/** JSON text with `MARK` inside a string replaced by `insert` (the string's quotes stay), as bytes. */
function spliceInString(json: unknown, insert: Buffer): Buffer {
  const s = JSON.stringify(json);
  const marked = JSON.stringify(MARK).slice(1, -1);
  const at = s.indexOf(marked);
  if (at < 0) return Buffer.from(s);
  return Buffer.concat([Buffer.from(s.slice(0, at)), insert, Buffer.from(s.slice(at + marked.length))]);
}

/** JSON text with the string value `MARK` replaced by the raw JSON text `text`. */
function spliceValue(json: unknown, text: string): Buffer {
  const s = JSON.stringify(json);
  const marked = JSON.stringify(MARK);
  const at = s.indexOf(marked);
  if (at < 0) return Buffer.from(s);
  return Buffer.from(s.slice(0, at) + text + s.slice(at + marked.length));
}

export interface Mutation {
  label: string;
  apply(req: FuzzRequest, rng: Rng, ctx: BuildContext): FuzzRequest | undefined;
}

/** Sets a JSON body (recomputing the bytes). */
function withJson(req: FuzzRequest, json: unknown, label: string): FuzzRequest {
  return { ...req, json, body: json === undefined ? undefined : Buffer.from(JSON.stringify(json)), label, valid: false };
}
function withBytes(req: FuzzRequest, body: Buffer | undefined, label: string, contentType: string | null = 'application/json'): FuzzRequest {
  const headers = { ...req.headers };
  if (contentType === null) delete headers['content-type'];
  else headers['content-type'] = contentType;
  return { ...req, json: undefined, body, headers, label, valid: false };
}
function pickNode(req: FuzzRequest, rng: Rng, filter: (n: { loc: Loc; value: unknown }) => boolean = () => true) {
  const all = nodes(req.json).filter(filter);
  return all.length === 0 ? undefined : rng.pick(all);
}
const hasBody = (req: FuzzRequest) => req.op.body !== undefined;

export const BODY_MUTATIONS: Mutation[] = [
  { label: 'wrong-type', apply: (req, rng) => {
    if (!hasBody(req)) return undefined;
    const n = pickNode(req, rng);
    if (n === undefined) return undefined;
    let v = otherType(rng, n.value);
    if (hostLike(n.loc) && typeof v === 'string') v = null;
    return withJson(req, setAt(req.json, n.loc, v), `wrong-type at ${pointer(n.loc)}`);
  } },
  { label: 'drop-property', apply: (req, rng) => {
    const n = pickNode(req, rng, (x) => x.loc.length > 0);
    if (n === undefined) return undefined;
    return withJson(req, deleteAt(req.json, n.loc), `drop ${pointer(n.loc)}`);
  } },
  { label: 'extra-property', apply: (req, rng) => {
    const n = pickNode(req, rng, (x) => x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value));
    if (n === undefined) return undefined;
    const key = rng.pick(['zzz', '__proto__', 'constructor', 'prototype', '', ' ', 'type', 'value', 'statusCode', 'a'.repeat(1000)]);
    const target = structuredClone(n.value) as Record<string, unknown>;
    Object.defineProperty(target, key, { value: rng.pick<unknown>([1, 'x', null, { polluted: true }, []]), enumerable: true, configurable: true, writable: true });
    return withJson(req, setAt(req.json, n.loc, target), `extra property ${JSON.stringify(key.slice(0, 20))} at ${pointer(n.loc)}`);
  } },
  { label: 'huge-string', apply: (req, rng) => {
    if (!hasBody(req)) return undefined;
    const n = pickNode(req, rng, (x) => typeof x.value === 'string' || (x.loc.length > 0 && rng.chance(0.3)));
    if (n === undefined) return undefined;
    const size = rng.weighted([[3, rng.int(300, 70_000)], [2, rng.int(64 * 1024, 1024 * 1024)], [1, 1024 * 1024 + rng.int(0, 100)]]);
    const unit = hostLike(n.loc) ? 'a' : rng.pick(['A', 'é', '😀', '\u0000', 'ab\\"']);
    const s = unit.repeat(Math.ceil(size / unit.length)).slice(0, Math.max(size, 254));
    return withJson(req, setAt(req.json, n.loc, s), `huge string (${s.length} chars of ${JSON.stringify(unit)}) at ${pointer(n.loc)}`);
  } },
  { label: 'deep-nesting', apply: (req, rng) => {
    if (!hasBody(req)) return undefined;
    const all = nodes(req.json);
    const last = (loc: Loc) => String(loc[loc.length - 1]);
    const typePlaces = all.filter((x) => last(x.loc) === 'type' && !x.loc.includes('value'));
    const valuePlaces = all.filter((x) => last(x.loc) === 'value');
    const n = typePlaces.length > 0 && rng.chance(0.75) ? rng.pick(typePlaces) : valuePlaces.length > 0 && rng.chance(0.5) ? rng.pick(valuePlaces) : { loc: [] as Loc, value: req.json };
    const depth = rng.weighted([[3, rng.int(1500, 3000)], [2, 3000], [1, rng.int(3000, 12000)], [1, rng.int(100, 1500)]]);
    const d = deep(rng, depth, last(n.loc) === 'type');
    return withBytes(req, spliceValue(setAt(req.json ?? {}, n.loc, MARK), d.text!), `deep nesting ${d.what} at ${pointer(n.loc)}`);
  } },
  { label: 'control-chars', apply: (req, rng) => {
    const n = pickNode(req, rng, (x) => typeof x.value === 'string' || x.loc.length > 0);
    if (n === undefined) return undefined;
    const s = hostileString(rng, n.loc);
    return withJson(req, setAt(req.json, n.loc, s), `string ${JSON.stringify(s).slice(0, 40)} at ${pointer(n.loc)}`);
  } },
  { label: 'invalid-utf8', apply: (req, rng) => {
    // Inside a string the document allows (mostly), so that only the bytes are wrong.
    const strings = nodes(req.json).filter((x) => !hostLike(x.loc) && typeof x.value === 'string');
    const n = strings.length > 0 && rng.chance(0.85) ? rng.pick(strings) : pickNode(req, rng, (x) => !hostLike(x.loc) && x.loc.length > 0);
    if (n === undefined && req.json !== undefined) return undefined;
    const bytes = rng.pick([[0xff, 0xfe, 0xc0, 0xaf], [0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc3]]);
    const json = n === undefined ? MARK : setAt(req.json, n.loc, typeof n.value === 'string' ? `${n.value.slice(0, 8)}${MARK}${n.value.slice(8)}` : `ab${MARK}cd`);
    const body = spliceInString(json, Buffer.from(bytes));
    return withBytes(req, body, `invalid UTF-8 ${Buffer.from(bytes).toString('hex')} in a string at ${n === undefined ? '(root)' : pointer(n.loc)}`);
  } },
  { label: 'number-limits', apply: (req, rng) => {
    const n = pickNode(req, rng, (x) => typeof x.value === 'number' || (x.loc.length > 0 && !hostLike(x.loc) && rng.chance(0.2)));
    if (n === undefined) return undefined;
    const raw = rng.pick(['-1', '0', '-0', '1.5', '65536', '65535', '4294967296', '4294967295', '2147483648', '-2147483649', '9007199254740993', '18446744073709551616',
      '1e308', '-1e308', '1e400', '-1e400', '5e-324', '1e-400', '123456789012345678901234567890', '0.1e1', '1E2', '1e1000000000']);
    return withBytes(req, spliceValue(setAt(req.json, n.loc, MARK), raw), `number ${raw} at ${pointer(n.loc)}`);
  } },
  { label: 'huge-array', apply: (req, rng) => {
    const n = pickNode(req, rng, (x) => Array.isArray(x.value) || (x.loc.length > 0 && !hostLike(x.loc)));
    if (n === undefined) return undefined;
    const len = rng.weighted([[2, 10_001], [2, rng.int(1000, 50_000)], [1, 200_000]]);
    const item = Array.isArray(n.value) && n.value.length > 0 ? n.value[0] : rng.pick<unknown>([0, 'x', null, {}]);
    const text = `[${Array(len).fill(JSON.stringify(item)).join(',')}]`;
    if (text.length > 3 * 1024 * 1024) return undefined;
    return withBytes(req, spliceValue(setAt(req.json, n.loc, MARK), text), `array of ${len} at ${pointer(n.loc)}`);
  } },
];

// Deep nesting found the most serious failures (issue 10, point 12): drawn twice as often.
BODY_MUTATIONS.push(BODY_MUTATIONS.find((m) => m.label === 'deep-nesting')!);

export const BYTES_MUTATIONS: Mutation[] = [
  { label: 'empty-body', apply: (req, rng) => withBytes(req, Buffer.alloc(0), 'empty body, JSON content type', rng.pick(['application/json', 'application/json; charset=utf-8'])) },
  { label: 'json-scalar', apply: (req, rng) => {
    const t = rng.pick(['null', '[]', '""', '0', 'true', '[{}]', '"{}"', '{}', ' {} ', '\n\t{}\r\n', '{"":""}']);
    return withBytes(req, Buffer.from(t), `body ${JSON.stringify(t)}`);
  } },
  { label: 'malformed-json', apply: (req, rng) => {
    const s = JSON.stringify(req.json ?? {});
    const t = rng.pick([
      s.slice(0, Math.max(1, rng.int(0, s.length - 1))), `${s},`, `${s}}`, `${s} x`, `\ufeff${s}`, s.replace(/"/g, "'"), `/*c*/${s}`,
      '{"a":NaN}', '{"a":Infinity}', '{"a":undefined}', '{a:1}', '{"a":1,}', '[1,]', '{"a":"\\x41"}', '{"a":"\\u12"}', '{"a":"tab\there"}',
      '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', `{"kind":"stream","kind":"datagram"}`, s + '\u0000',
    ]);
    return withBytes(req, Buffer.from(t), `malformed or tricky JSON ${JSON.stringify(t.slice(0, 60))}`);
  } },
  { label: 'oversized-body', apply: (req, rng, ctx) => {
    const json = req.json !== null && typeof req.json === 'object' && !Array.isArray(req.json) ? { ...req.json, pad: 'x'.repeat(rng.int(2 * 1024 * 1024, 2 * 1024 * 1024 + 4096)) } : { pad: 'x'.repeat(2 * 1024 * 1024 + 10) };
    void ctx;
    return withBytes(req, Buffer.from(JSON.stringify(json)), 'body past the body limit');
  } },
  { label: 'large-valid-ish', apply: (req, rng) => {
    // Past 1 MiB the gateway parses with its large-body path (long strings cut out).
    const n = pickNode(req, rng, (x) => typeof x.value === 'string' && !hostLike(x.loc));
    if (n === undefined) return undefined;
    const s = 'QUJD'.repeat(rng.int(262_144, 420_000));
    return withJson(req, setAt(req.json, n.loc, s), `string of ${s.length} base64-like chars at ${pointer(n.loc)} (large-body parser)`);
  } },
  { label: 'chunked', apply: (req, rng) => {
    if (req.body === undefined || !Buffer.isBuffer(req.body)) return undefined;
    const whole = req.body;
    const cut = rng.int(0, whole.length);
    async function* parts() {
      yield whole.subarray(0, cut);
      await new Promise((r) => setTimeout(r, rng.int(0, 20)));
      yield whole.subarray(cut);
    }
    return { ...req, body: parts(), bodyPreview: `${whole.toString('utf8').slice(0, 300)} (sent chunked, split at ${cut})`, label: 'same body, chunked without a length', valid: req.valid };
  } },
  { label: 'wrong-content-type', apply: (req, rng) => {
    const t = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16',
      'application/json;charset=latin1', 'APPLICATION/JSON', 'application/jsonx', 'application/json-patch+json', 'application/yaml', '*/*', 'application/octet-stream', ' ', 'application/json, text/plain', null]);
    return withBytes(req, req.body !== undefined && Buffer.isBuffer(req.body) ? req.body : Buffer.from('{}'), `content type ${JSON.stringify(t)}`, t);
  } },
  { label: 'utf16-body', apply: (req) => withBytes(req, Buffer.from(JSON.stringify(req.json ?? {}), 'utf16le'), 'body in UTF-16LE', 'application/json; charset=utf-16le') },
];

/** For operations without a body: a body anyway, or a content type without one. */
export const BODYLESS_MUTATIONS: Mutation[] = [
  { label: 'body-on-bodyless', apply: (req, rng) => withBytes(req, Buffer.from(rng.pick(['{}', '{"a":1}', 'x', '[]'])), 'a JSON body on an operation without one', rng.pick(['application/json', 'text/plain'])) },
  { label: 'content-type-no-body', apply: (req, rng) => {
    const ct = rng.pick(['application/json', 'text/plain', 'application/yaml']);
    return { ...req, headers: { ...req.headers, 'content-type': ct }, label: req.body === undefined ? `content type ${ct} without a body` : `content type ${ct} (same body)`, valid: false };
  } },
];

const HOSTILE_SEGMENTS: (string | ((rng: Rng) => string))[] = [
  '.', '..', '%2e', '%2e%2e', '.%2e', '%ff', '%zz', '%', '%0', '%00', 'a%00b', '%2F', 'a%2Fb', '%5C', '%20', '%09', '%0d%0a', '~', '-', '_',
  '%F0%9F%98%80', 'caf%C3%A9', '%C0%AF', '%ED%A0%80', 'fx-created%00', '%25', '%2525', 'CON', 'a;b', 'a,b', 'a@b', "a'b", 'a"b', 'a<b', '%3Cscript%3E',
  (r) => 'x'.repeat(r.pick([64, 65, 100, 101, 4096, 20_000])),
  (r) => 'x'.repeat(r.pick([1024 * 1024, 65_536])),
  (r) => '%41'.repeat(r.int(30, 40)),
  '',
];

export const PATH_MUTATIONS: Mutation[] = [
  { label: 'path-param', apply: (req, rng) => {
    const names = [...req.op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    if (names.length === 0) return undefined;
    const which = rng.pick(names);
    const seg = rng.pick(HOSTILE_SEGMENTS);
    const value = typeof seg === 'function' ? seg(rng) : seg;
    const values: Record<string, string> = {};
    const current = /\/sessions\/([^/?]+)/.exec(req.path)?.[1];
    for (const n of names) values[n] = n === which ? value : decodeURIComponent(current ?? 'fx-created');
    const path = fillPath(req.op.template, values, { [which]: true }) + (req.path.includes('?') ? req.path.slice(req.path.indexOf('?')) : '');
    const routed = value !== '' && !value.includes('/');
    return { ...req, path, label: `path parameter ${which} = ${JSON.stringify(value.length > 40 ? `${value.slice(0, 12)}…(${value.length} chars)` : value)}`, valid: false, routed, session: req.op.template.startsWith('/sessions/') && which === 'name' ? value : req.session };
  } },
  { label: 'query', apply: (req, rng) => {
    const q = rng.pick(['timeoutMs=99999999', 'x=%ff', 'x=%zz', '__proto__[polluted]=1', 'constructor[prototype][polluted]=1', 'a=1&'.repeat(3000), 'form=lossless', 'ticket=x', `q=${'y'.repeat(8000)}`, '%ff=1', '=', '&&', 'a[]=1&a[]=2']);
    return { ...req, path: `${req.path}${req.path.includes('?') ? '&' : '?'}${q}`, label: `query ${JSON.stringify(q.slice(0, 40))}`, valid: false };
  } },
  { label: 'trailing-slash', apply: (req) => ({ ...req, path: req.path.replace(/(\?|$)/, '/$1'), label: 'trailing slash', valid: false, routed: false }) },
  { label: 'double-slash', apply: (req) => ({ ...req, path: req.path.replace(/^\//, '//'), label: 'double leading slash', valid: false, routed: false }) },
];

export const AUTH_MUTATIONS: Mutation[] = [
  { label: 'bad-auth', apply: (req, rng, ctx) => {
    const headers = { ...req.headers };
    const variant = rng.pick<[string, string | undefined]>([
      ['no token', undefined], ['wrong token', 'Bearer wrong'], ['token with a suffix', `Bearer ${ctx.token}x`], ['token prefix', `Bearer ${ctx.token.slice(0, -1)}`],
      ['Basic scheme', `Basic ${Buffer.from(ctx.token).toString('base64')}`], ['bare token', ctx.token], ['empty bearer', 'Bearer '], ['token twice', `Bearer ${ctx.token}, Bearer ${ctx.token}`],
      ['long token', `Bearer ${'t'.repeat(10_000)}`],
    ]);
    if (variant[1] === undefined) delete headers.authorization;
    else headers.authorization = variant[1];
    return { ...req, headers, label: `auth: ${variant[0]}`, badAuth: true };
  } },
];
