/**
 * Builds one fuzzed request for an operation of the document: a valid one (parameters and body
 * generated from the document's schemas, with semantic hooks that aim them at the live fixtures,
 * the loopback peers and the known message types), or a mutated one (see mutate.ts).
 */
import { isObject, type JsonObject } from './json.js';
import type { ApiModel, Operation, Param } from './openapi-model.js';
import type { Rng } from './prng.js';
import { Generator, type Hook } from './schema-gen.js';
import { BIND_ADDRESSES, HOSTS } from './targets.js';
import { REFUSED_NAMES, type TypeEntry, type World } from './world.js';

export interface FuzzRequest {
  index: number;
  op: Operation;
  method: string;
  /** The raw path with its query, as sent. */
  path: string;
  headers: Record<string, string>;
  /** The JSON value sent (valid requests, and mutations that stay JSON). */
  json?: unknown;
  /** The bytes sent, when there is a body. */
  body?: Buffer | AsyncIterable<Buffer>;
  bodyPreview?: string;
  /** 'valid', or the mutation applied. */
  label: string;
  valid: boolean;
  /** Does the path still address this operation's route (same segments)? */
  routed: boolean;
  /** The request carries no or a wrong token: 401 expected where the document gives 401. */
  badAuth: boolean;
  /** The session the path names, and its fixture label. */
  session?: string;
  /** Longest wait the request asked the gateway for (ms). */
  waitMs: number;
  /** Every typed value in the body fits the JSON Schema the gateway publishes for its type. */
  typedFit?: boolean;
  /** The path parameters as generated (decoded), for the check of a mutated path. */
  params?: Record<string, string>;
}

export interface BuildContext {
  model: ApiModel;
  world: World;
  token: string;
  maxTimeoutMs: number;
  maxMessageBytes: number;
  /** Unique per request: names of type files and sessions stay unique. */
  index: number;
  /** Typed values generated for this request, and whether each fits its type's published schema. */
  typed?: { count: number; fit: number };
}

const typeValidators = new WeakMap<TypeEntry, (v: unknown) => boolean>();

/** Does `value` fit the JSON Schema the gateway publishes for the type (GET /types/{name})? */
function fitsTypeSchema(ctx: BuildContext, entry: TypeEntry, value: unknown): boolean {
  let v = typeValidators.get(entry);
  if (v === undefined) {
    try {
      const root = (entry.root ?? {}) as Record<string, unknown>;
      const compiled = ctx.model.standalone({ ...(entry.schema as object), $defs: root.$defs ?? {} });
      v = (x: unknown) => compiled(x) as boolean;
    } catch {
      v = () => false;
    }
    typeValidators.set(entry, v);
  }
  return v(value);
}

const SESSION_NAME_PATTERN = /A-Za-z0-9\._~-|A-Za-z0-9._~-/;

/** A type expression: a known one (declared, builtin, construct), a refused or unknown name, or a random construct. */
export function typeExpr(rng: Rng, world: World, depth = 0): unknown {
  const known = world.types;
  return rng.weighted<() => unknown>([
    [8, () => (known.length > 0 ? rng.pick(known).expr : 'DWORD')],
    [1, () => rng.pick(REFUSED_NAMES)],
    [1, () => rng.pick(['Nope', 'dword', 'CString ', '', 'Order\u0000', 'OrderLine', `${world.probePrefix}Node`, 'x'.repeat(rng.int(1, 300))])],
    [depth < 3 ? 2 : 0, () => ({ list: typeExpr(rng, world, depth + 1) })],
    [depth < 3 ? 1 : 0, () => ({ fixed: typeExpr(rng, world, depth + 1), length: rng.weighted([[6, rng.int(0, 4)], [1, 2147483647], [1, 65536]]) })],
    [depth < 3 ? 1 : 0, () => ({ map: [typeExpr(rng, world, depth + 1), typeExpr(rng, world, depth + 1)] })],
    [depth < 3 ? 1 : 0, () => ({ object: rng.chance(0.5) ? `${world.probePrefix}Node` : [`${world.probePrefix}Leaf`, rng.pick(['Order', '*', `${world.probePrefix}Node`])] })],
  ])();
}

/** The value schema of a type expression, when the fuzz knows it (learned, or composed for list/fixed). */
function entryFor(world: World, expr: unknown): TypeEntry | undefined {
  const key = JSON.stringify(expr);
  const found = world.types.find((t) => JSON.stringify(t.expr) === key);
  if (found !== undefined) return found;
  if (isObject(expr)) {
    const inner = 'list' in expr ? entryFor(world, expr.list) : 'fixed' in expr ? entryFor(world, expr.fixed) : undefined;
    if (inner?.schema !== undefined) {
      const n = 'fixed' in expr ? Number(expr.fixed === undefined ? 0 : expr.length) : undefined;
      if (n !== undefined && !(n >= 0 && n <= 64)) return undefined;
      // The inner schema's own refs point into its root: carry it as the root.
      return { expr, schema: { type: 'array', items: inner.schema, ...(n === undefined ? { maxItems: 4 } : { minItems: n, maxItems: n }) }, root: inner.root, origin: 'construct' };
    }
  }
  return undefined;
}

/** `{type, value}` that fit each other (mostly), for store, exchange and the typed routes. */
export function typedPair(rng: Rng, world: World, ctx?: BuildContext): { type: unknown; value: unknown } {
  const type = rng.chance(0.85) && world.types.length > 0 ? rng.pick(world.types).expr : typeExpr(rng, world);
  const own = entryFor(world, type);
  const entry = rng.chance(0.9) ? own : rng.pick(world.types);
  const value = entry?.schema === undefined ? new Generator(rng, { root: {} }).anyJson() : new Generator(rng, { root: entry.root }).value(entry.schema);
  if (ctx !== undefined) {
    ctx.typed ??= { count: 0, fit: 0 };
    ctx.typed.count++;
    if (own?.schema !== undefined && fitsTypeSchema(ctx, own, value)) ctx.typed.fit++;
  }
  return { type, value };
}

/** A type file for POST /types: mostly well-formed, with names unique to this request. */
function typeFile(rng: Rng, world: World, index: number): unknown {
  const types: Record<string, unknown> = {};
  const n = rng.weighted([[4, 1], [2, 2], [1, 0], [1, 3]]);
  const names: string[] = [];
  for (let k = 0; k < n; k++) {
    const name = rng.chance(0.9) ? `${world.probePrefix}T${index.toString(36)}x${k}` : rng.pick(['Order', 'DWORD', 'CObject', 'CUIntArray', ...names, `${world.probePrefix}Probe`]);
    names.push(name);
    const fields = Array.from({ length: rng.weighted([[4, rng.int(1, 4)], [1, 0], [1, 12]]) }, (_, i) => ({
      name: rng.chance(0.95) ? `f${i}` : rng.pick(['f0', '1bad', 'with space', '']),
      type: rng.chance(0.15) && names.length > 1 ? rng.pick(names) : typeExpr(rng, world, 1),
      ...(rng.chance(0.2) ? { description: rng.pick(['the amount', 'Menge in €', '数量', '']) } : {}),
    }));
    const t: Record<string, unknown> = { fields };
    if (rng.chance(0.3)) t.description = rng.pick(['a message', 'Bestellung (Auftrag)', '注文', 'x'.repeat(300)]);
    if (rng.chance(0.3)) t.class = `C${name}`.slice(0, 63);
    if (rng.chance(0.1)) t.schema = rng.int(0, 65534);
    if (rng.chance(0.1)) t.versionable = true;
    types[name] = t;
  }
  const file: Record<string, unknown> = { types };
  if (rng.chance(0.3)) file.profile = { mfc: rng.pick([4, 6, 7, 8, 14, 14.99]), unicode: rng.chance(0.5), win64: rng.chance(0.5) };
  if (rng.chance(0.2)) file.codePage = rng.pick([1252, 1251, 932, 65001, 437, 1, 65535]);
  return file;
}

function isHostKey(key: unknown): boolean {
  return key === 'host' || key === 'hostname';
}

/** The generator hook: semantic choices for fields the schema alone cannot aim. */
export function hookFor(op: Operation, ctx: BuildContext, rng: Rng): Hook {
  const { world } = ctx;
  return (schema, path) => {
    const key = path[path.length - 1];
    const ref = typeof schema.$ref === 'string' ? schema.$ref : '';
    if (ref.endsWith('/TypeExpr') && rng.chance(0.9)) return { value: typeExpr(rng, world) };
    if (ref.endsWith('/TypeFile') && rng.chance(0.8)) return { value: typeFile(rng, world, ctx.index) };
    const props = schema.properties;
    if (isObject(props) && 'type' in props && 'value' in props && rng.chance(0.9)) {
      const pair = typedPair(rng, world, ctx);
      const out: Record<string, unknown> = { ...pair };
      return { value: out };
    }
    if (typeof key !== 'string') return undefined;
    if (isHostKey(key)) return { value: rng.pick(HOSTS) };
    if (key === 'address' && (schema.type === 'string' || schema.type === undefined)) return { value: rng.pick(BIND_ADDRESSES) };
    if (key === 'port' && (schema.type === 'integer' || schema.type === 'number')) {
      if (/datagram/.test(op.template)) return { value: rng.chance(0.85) ? rng.pick(world.udpPorts) : rng.int(1, 65535) };
      if (/connect/.test(op.template)) return { value: rng.chance(0.85) ? rng.pick([...world.tcpPorts, ...world.udpPorts.slice(0, 2)]) : rng.int(1, 65535) };
      return { value: rng.weighted([[6, 0], [2, rng.pick(world.tcpPorts.concat(world.udpPorts))], [2, rng.int(1024, 65535)], [1, rng.int(1, 1023)]]) };
    }
    if (key === 'timeoutMs' && (schema.type === 'integer' || schema.type === 'number')) {
      return { value: rng.weighted([[10, rng.int(1, 100)], [2, rng.int(101, 400)], [0.3, ctx.maxTimeoutMs], [1, 1]]) };
    }
    if (key === 'bytes' && schema.type === 'integer' && /read/.test(op.template)) {
      return { value: rng.weighted([[6, rng.int(1, 16)], [2, rng.int(17, 4096)], [1, ctx.maxMessageBytes], [1, ctx.maxMessageBytes + 1]]) };
    }
    if ((key === 'name' || key === 'as') && typeof schema.pattern === 'string' && SESSION_NAME_PATTERN.test(schema.pattern)) {
      return { value: rng.weighted<() => string>([[6, () => world.freshName(rng)], [2, () => rng.pick(world.fixtures.map((f) => f.name).concat(['fx-created']))], [1, () => '.'], [1, () => '..']])() };
    }
    return undefined;
  };
}

/** A value for a path parameter: live sessions and types mostly, then anything its schema allows. */
function pathParamValue(p: Param, op: Operation, ctx: BuildContext, rng: Rng): string {
  const { world } = ctx;
  if (op.template.startsWith('/sessions/') && p.name === 'name') {
    // Operations that end or change a session mostly take the fuzz's own sessions, so that the
    // fixtures live through the round.
    const changes = op.method === 'DELETE' || /\/(listen|connect)$/.test(op.template);
    const fixture = () => (world.fixtures.length > 0 ? rng.pick(world.fixtures).name : 'fx-created');
    return rng.weighted<() => string>([
      [changes ? 1 : 12, fixture],
      [changes ? 6 : 2, () => (world.created.length > 0 ? rng.pick(world.created) : world.freshName(rng))],
      [changes ? 2 : 1, () => world.freshName(rng)],
    ])();
  }
  if (op.template.startsWith('/types/')) {
    const names = world.types.filter((t) => typeof t.expr === 'string' && (t.origin === 'declared' || t.origin === 'probe')).map((t) => t.expr as string);
    if (names.length > 0 && rng.chance(0.8)) return rng.pick(names);
  }
  const g = new Generator(rng, { root: ctx.model.doc });
  const v = g.value(p.schema);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function fillPath(template: string, values: Record<string, string>, raw: Record<string, boolean> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, n: string) => (raw[n] ? values[n]! : encodeURIComponent(values[n] ?? '')));
}

/** A request that the document calls valid (the generator's value is checked against the schema). */
export function validRequest(op: Operation, ctx: BuildContext, rng: Rng): FuzzRequest {
  const params: Record<string, string> = {};
  for (const p of op.params.filter((x) => x.in === 'path')) params[p.name] = pathParamValue(p, op, ctx, rng);
  const query: string[] = [];
  let waitMs = 0;
  for (const p of op.params.filter((x) => x.in === 'query')) {
    if (!p.required && rng.chance(0.5)) continue;
    const g = new Generator(rng, { root: ctx.model.doc, hook: hookFor(op, ctx, rng) });
    const v = g.value(p.schema, [p.name]);
    if (p.name === 'timeoutMs' && typeof v === 'number') waitMs = Math.max(waitMs, v);
    query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`);
  }
  const headers: Record<string, string> = { authorization: `Bearer ${ctx.token}` };
  let json: unknown;
  let valid = true;
  if (op.body !== undefined && (op.body.required || rng.chance(0.8))) {
    const media = op.body.media.has('application/json') ? 'application/json' : [...op.body.media.keys()][0]!;
    const pointer = op.body.media.get(media)!;
    const validate = ctx.model.validator(pointer);
    for (let attempt = 0; attempt < 6; attempt++) {
      const g = new Generator(rng, { root: ctx.model.doc, hook: hookFor(op, ctx, rng) });
      json = g.value(ctx.model.schemaAt(pointer));
      if (validate(json)) break;
      if (attempt === 5) valid = false;
    }
    headers['content-type'] = media;
  }
  if (json !== undefined && valid) {
    const tuned = harmonize(op, json, params.name, ctx, rng);
    if (tuned !== json && ctx.model.validator(op.body!.media.get(headers['content-type']!)!)(tuned)) json = tuned;
  }
  const path = fillPath(op.template, params) + (query.length > 0 ? `?${query.join('&')}` : '');
  const t = findTimeout(json);
  return {
    index: ctx.index,
    op,
    method: op.method,
    path,
    headers,
    json,
    body: json === undefined ? undefined : Buffer.from(JSON.stringify(json)),
    label: valid ? 'valid' : 'valid (generator could not satisfy the schema)',
    valid,
    routed: true,
    badAuth: false,
    session: op.template.startsWith('/sessions/') ? params.name : undefined,
    waitMs: Math.max(waitMs, t),
    typedFit: ctx.typed !== undefined && ctx.typed.count > 0 && ctx.typed.fit === ctx.typed.count,
    params,
  };
}

/**
 * Requests that fit the session's story, so that the deep paths answer 200: an exchange whose
 * answer type is what the peer sends back (the demo service answers an Order with an OrderAck, the
 * echo peer and the pair send back what was stored), a load of a type stored towards the session.
 */
function harmonize(op: Operation, json: unknown, session: string | undefined, ctx: BuildContext, rng: Rng): unknown {
  if (!isObject(json) || session === undefined) return json;
  const body: JsonObject = { ...json };
  const { request, response } = body;
  if (op.template.endsWith('/exchange') && isObject(request) && isObject(response) && rng.chance(0.7)) {
    if (session === 'fx-order' && rng.chance(0.8)) {
      const order = ctx.world.types.find((t) => t.expr === 'Order');
      if (order !== undefined) {
        const value = new Generator(rng, { root: order.root }).value(order.schema);
        if (ctx.typed !== undefined && !fitsTypeSchema(ctx, order, value)) ctx.typed.fit--;
        body.request = { type: 'Order', value };
        if (ctx.typed !== undefined) ctx.typed.fit++;
      }
      body.response = { ...response, type: 'OrderAck' };
    } else body.response = { ...response, type: request.type };
    return body;
  }
  // A peer that never reads gets large writes and stores, so that the kernel's buffers fill and
  // the gateway's bounded waits (store and write flushes, the close) are what answers.
  if (session === 'fx-silent' && rng.chance(0.5)) {
    const size = rng.int(900_000, 1_400_000);
    if (op.template.endsWith('/write') && 'data' in body) return { ...body, data: rng.bytes(size).toString('base64') };
    if (op.template.endsWith('/store') && ('type' in body || 'values' in body)) return { type: 'CString', value: 'S'.repeat(size) };
  }
  if (op.template.endsWith('/load') && 'type' in body) {
    const q = ctx.world.inbound.get(session);
    if (q !== undefined && q.length > 0 && rng.chance(0.8)) body.type = q.shift();
    return body;
  }
  return json;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Why the document makes this request invalid (a success answer to it is then a finding), or
 * undefined when it is valid or the document does not say. Checks the content type and charset,
 * the bytes (UTF-8, JSON), the body against its schema, the body limit, and path parameters.
 */
export function invalidByDocument(req: FuzzRequest, ctx: { model: ApiModel; bodyLimit: number }): string | undefined {
  const op = req.op;
  const template = op.template.split('/');
  const segs = req.path.split('?')[0]!.split('/');
  if (template.length === segs.length) {
    for (const [i, part] of template.entries()) {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (m === null) continue;
      const p = op.params.find((x) => x.in === 'path' && x.name === m[1]);
      if (p === undefined) continue;
      let value: string;
      try {
        value = decodeURIComponent(segs[i]!);
      } catch {
        return `path parameter ${p.name} is not a valid percent-encoding`;
      }
      if (!ctx.model.standalone(p.schema)(value)) return `path parameter ${p.name} does not fit its schema`;
    }
  }
  if (op.body === undefined || !Buffer.isBuffer(req.body)) return undefined;
  const ct = (req.headers['content-type'] ?? '').toLowerCase();
  const base = ct.split(';')[0]!.trim();
  if (!op.body.media.has(base)) return `content type ${JSON.stringify(ct)} is not documented`;
  const charset = /charset\s*=\s*"?([^";\s]+)/.exec(ct)?.[1];
  // Bytes that read the same in any ASCII-compatible charset do not count.
  if (charset !== undefined && !/^utf-?8$/.test(charset) && req.body.some((b) => b >= 0x80 || b === 0)) return `charset ${charset}`;
  if (req.body.length > ctx.bodyLimit) return 'the body is past the body limit';
  if (req.body.length === 0) return op.body.required ? 'the body is empty' : undefined;
  if (base !== 'application/json' && !base.endsWith('+json')) return undefined;
  let text: string;
  try {
    text = fatalUtf8.decode(req.body);
  } catch {
    return 'the body is not UTF-8';
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch {
    return 'the body is not JSON';
  }
  const v = ctx.model.validator(op.body.media.get(base)!);
  let fits: boolean;
  try {
    fits = v(value) as boolean;
  } catch {
    return undefined; // nested past what the validator follows: the document does not say
  }
  if (!fits) {
    const e = v.errors![0]!;
    return `the body does not fit its schema (${e.instancePath.replace(/\/\d+(?=\/|$)/g, '/i') || '(root)'} ${e.message ?? e.keyword})`;
  }
  return undefined;
}

function findTimeout(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const o = v as Record<string, unknown>;
  return typeof o.timeoutMs === 'number' ? o.timeoutMs : 0;
}
