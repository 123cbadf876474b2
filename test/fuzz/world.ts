/**
 * What the fuzz knows about the live gateway, so that generated requests reach deep code: session
 * fixtures in each state (created, listening, a connected pair made through a listener, sessions
 * connected to the demo service, to an echo, to peers that send garbage, close, or never read,
 * datagram sessions), the loopback ports worth aiming at, and the message types with the JSON
 * Schema of their values (learned from the gateway itself: GET /types/{name}, and a probe type file
 * that declares one field per primitive and per ad-hoc construct).
 */
import type { Peers } from './peers.js';
import type { Rng } from './prng.js';
import { asArray, asObject, asSchema, field, isObject, strings, type Schema } from './json.js';
import { pointerGet } from './openapi-model.js';

export interface CallResult {
  status: number;
  /** The parsed JSON answer (the text when it is not JSON). */
  body: unknown;
}
export type Call = (method: string, path: string, body?: unknown, timeoutMs?: number) => Promise<CallResult>;

export interface TypeEntry {
  expr: unknown;
  /** JSON Schema of the value, with `root` for its `$ref`s; undefined when unknown. */
  schema?: Schema;
  root?: unknown;
  origin: 'declared' | 'primitive' | 'construct' | 'probe';
}

/** The type names of SPEC §2 (primitives, MFC collections, geometry), to learn their value schemas. */
export const BUILTIN_NAMES = [
  'BYTE', 'char', 'bool', 'BOOL', 'WORD', 'short', 'wchar_t', 'DWORD', 'UINT', 'LONG', 'int', 'LONGLONG', 'ULONGLONG',
  'float', 'double', 'CString', 'CStringA', 'CStringW', 'CTime', 'CTimeSpan', 'COleDateTime', 'COleDateTimeSpan',
  'COleCurrency', 'COleVariant', 'CPoint', 'CSize', 'CRect', 'GUID', 'CByteArray', 'CWordArray', 'CDWordArray',
  'CStringArray', 'CStringList', 'CObArray', 'CObList', 'CMapStringToString', 'CMapStringToOb', 'CMapWordToOb',
];
/** Names the grammar refuses (not serializable, templates). */
export const REFUSED_NAMES = ['CUIntArray', 'CPtrArray', 'CMapPtrToPtr', 'CArray', 'CList', 'CMap', 'CObject', 'CTypedPtrArray'];

/** The sessions a GET /sessions answer lists (a setup call that must answer with a list). */
export function sessionsOf(r: CallResult): { name: string; state: unknown }[] {
  const list = asArray(field(r.body, 'sessions'));
  if (list === undefined) throw new Error(`GET /sessions answered ${r.status} without a list of sessions`);
  return list.filter(isObject).map((s) => ({ name: String(s.name), state: s.state }));
}

/** The port a listen or a datagram create answered with (`local.port`). */
function localPort(r: CallResult | undefined): number | undefined {
  const port = field(field(r?.body, 'local'), 'port');
  return typeof port === 'number' ? port : undefined;
}

export interface Fixture {
  name: string;
  label: string;
}

export class World {
  types: TypeEntry[] = [];
  declared: string[] = [];
  fixtures: Fixture[] = [];
  tcpPorts: number[] = [];
  udpPorts: number[] = [];
  /** Names created by fuzzed requests in this round (201 answers). */
  created: string[] = [];
  setupErrors = new Map<string, number>();
  /** Types stored towards a session and not loaded yet (so that loads find what was stored). */
  inbound = new Map<string, unknown[]>();
  probePrefix: string;
  private fresh = 0;
  private keepSilent = false;

  constructor(readonly peers: Peers, readonly gatewayPort: number, seed: number) {
    this.probePrefix = `Fz${seed.toString(36)}`;
  }

  /** The session that receives what `name` stores: its pair, or itself through the echo peer. */
  receiverOf(name: string): string | undefined {
    return ({ 'fx-cli': 'fx-peer', 'fx-peer': 'fx-cli', 'fx-echo': 'fx-echo' } as Record<string, string>)[name];
  }

  stored(name: string, types: unknown[]): void {
    const to = this.receiverOf(name);
    if (to === undefined) return;
    const q = this.inbound.get(to) ?? [];
    q.push(...types);
    this.inbound.set(to, q.slice(-32));
  }

  label(name: string): string {
    return this.fixtures.find((f) => f.name === name)?.label ?? (this.created.includes(name) ? 'created by the fuzz' : 'no such session');
  }

  /** A session name never used in this run. */
  freshName(rng: Rng): string {
    return `n${(this.fresh++).toString(36)}${rng.weighted([[3, ''], [1, '.x'], [1, '~-_']])}`;
  }

  private setupError(what: string, r: CallResult | Error): void {
    const shown = r instanceof Error ? r.message : `${r.status} ${JSON.stringify(r.body).slice(0, 200)}`;
    const k = `${what}: ${shown}`;
    this.setupErrors.set(k, (this.setupErrors.get(k) ?? 0) + 1);
  }

  /** Learns the message types: declared ones from GET /types, builtins and constructs from a probe file. */
  async learnTypes(call: Call): Promise<void> {
    const list = await call('GET', '/types');
    const listed = list.status === 200 ? asArray(field(list.body, 'types')) : [];
    if (listed === undefined) throw new Error('GET /types answered 200 without a list of types');
    this.declared = strings(listed.map((t) => field(t, 'name')));
    for (const name of this.declared) {
      const r = await call('GET', `/types/${encodeURIComponent(name)}`);
      if (r.status === 200) this.types.push({ expr: name, schema: asSchema(field(r.body, 'schema')), root: field(r.body, 'schema'), origin: 'declared' });
      else this.setupError(`GET /types/${name}`, r);
    }
    const P = this.probePrefix;
    const node = `${P}Node`;
    const leaf = `${P}Leaf`;
    const declared = this.declared.filter((n) => !n.startsWith(P));
    const constructs: unknown[] = [
      { list: 'DWORD' }, { list: 'CString' }, { list: { list: 'BYTE' } }, { fixed: 'WORD', length: 3 }, { fixed: 'CString', length: 2 },
      { fixed: 'BYTE', length: 0 }, { map: ['CString', 'DWORD'] }, { map: ['WORD', 'CString'] }, { map: ['DWORD', { list: 'double' }] },
      { object: node }, { object: [node, leaf] }, { list: { object: leaf } },
      ...declared.slice(0, 4).flatMap((d) => [{ list: d }, { fixed: d, length: 1 }]),
    ];
    let fields = [
      ...BUILTIN_NAMES.map((t, i) => ({ name: `b${i}`, type: t as unknown })),
      ...constructs.map((t, i) => ({ name: `c${i}`, type: t })),
    ];
    const file = () => ({
      types: {
        [leaf]: { class: `C${leaf}`, fields: [{ name: 'v', type: 'DWORD' }] },
        [node]: { class: `C${node}`, schema: 2, fields: [{ name: 'id', type: 'LONG' }, { name: 'next', type: { object: node } }, { name: 'leaf', type: { object: leaf } }] },
        [`${P}Probe`]: { fields },
      },
    });
    let added: CallResult | undefined;
    for (let attempt = 0; attempt < 16; attempt++) {
      added = await call('POST', '/types', file());
      if (added.status === 201) break;
      const m = /^\/types\/[^/]+\/fields\/(\d+)/.exec(String(field(added.body, 'path') ?? ''));
      if (m === null) break;
      fields = fields.filter((_, i) => i !== Number(m[1]));
    }
    if (added?.status !== 201) {
      this.setupError('POST /types (probe)', added!);
      return;
    }
    const probe = await call('GET', `/types/${P}Probe`);
    if (probe.status !== 200) return this.setupError('GET probe type', probe);
    const schema = field(probe.body, 'schema');
    if (!isObject(schema)) throw new Error(`GET /types/${P}Probe answered 200 without a schema`);
    const top = typeof schema.$ref === 'string' ? pointerGet(schema, schema.$ref) : schema;
    const props = asObject(field(top, 'properties'));
    for (const f of fields) {
      const s = asSchema(props[f.name]);
      if (s === undefined) continue;
      this.types.push({ expr: f.type, schema: s, root: schema, origin: typeof f.type === 'string' ? 'primitive' : 'construct' });
    }
    for (const n of [node, leaf]) {
      const r = await call('GET', `/types/${n}`);
      if (r.status === 200) this.types.push({ expr: n, schema: asSchema(field(r.body, 'schema')), root: field(r.body, 'schema'), origin: 'probe' });
    }
  }

  /**
   * Closes every session and builds the fixtures again (between rounds). A DELETE that does not
   * answer within `hangMs` is reported through `onHang` (a close must be bounded).
   */
  async reset(call: Call, hangMs = 8000, onHang: (name: string, label: string, err: Error) => void = () => undefined): Promise<void> {
    const labels = new Map(this.fixtures.map((f) => [f.name, f.label]));
    this.created = [];
    this.inbound.clear();
    const list = await call('GET', '/sessions');
    if (list.status === 200) {
      // The session whose peer never reads lives from round to round while it stays connected, so
      // that what is written to it piles up: the kernel's buffers fill and the gateway's bounded
      // waits and queues are what answers (issue 10, points 5, 6 and 9).
      const sessions = sessionsOf(list);
      const keep = sessions.find((s) => s.name === 'fx-silent' && s.state === 'connected');
      this.keepSilent = keep !== undefined;
      await Promise.all(sessions.filter((s) => s !== keep).map(async (s) => {
        try {
          const r = await call('DELETE', `/sessions/${encodeURIComponent(s.name)}`, undefined, hangMs);
          if (r.status !== 200 && r.status !== 404) this.setupError('DELETE between rounds', r);
        } catch (err) {
          if (/timed out/.test((err as Error).message)) onHang(s.name, labels.get(s.name) ?? 'created by the fuzz', err as Error);
          else this.setupError(`DELETE between rounds`, err as Error);
        }
      }));
    }
    const fixtures: Fixture[] = [];
    const ok = async (what: string, p: Promise<CallResult>, expect: number[]): Promise<CallResult | undefined> => {
      try {
        const r = await p;
        if (!expect.includes(r.status)) {
          this.setupError(what, r);
          return undefined;
        }
        return r;
      } catch (err) {
        this.setupError(what, err as Error);
        return undefined;
      }
    };
    const create = async (name: string, label: string, body: Record<string, unknown> = {}) => {
      const r = await ok(`create ${name}`, call('POST', '/sessions', { kind: 'stream', name, ...body }), [201]);
      if (r !== undefined) fixtures.push({ name, label });
      return r;
    };
    const connect = async (name: string, port: number, label: string, body: Record<string, unknown> = {}) => {
      if ((await create(name, label, body)) === undefined) return;
      await ok(`connect ${name}`, call('POST', `/sessions/${name}/connect`, { host: '127.0.0.1', port, timeoutMs: 1000 }), [200]);
    };
    const listenPorts: number[] = [];
    await create('fx-created', 'stream, created (not connected)');
    if (await create('fx-listen', 'stream, listening')) {
      const l = await ok('listen fx-listen', call('POST', '/sessions/fx-listen/listen', { backlog: 2 }), [200]);
      const port = localPort(l);
      if (port !== undefined) listenPorts.push(port);
    }
    if (await create('fx-srv', 'stream, listening (pair)')) {
      const l = await ok('listen fx-srv', call('POST', '/sessions/fx-srv/listen', {}), [200]);
      const port = localPort(l);
      if (port !== undefined) {
        listenPorts.push(port);
        await connect('fx-cli', port, 'stream, connected to fx-peer (pair)');
        const a = await ok('accept fx-peer', call('POST', '/sessions/fx-srv/accept', { as: 'fx-peer', timeoutMs: 2000 }), [201]);
        if (a !== undefined) fixtures.push({ name: 'fx-peer', label: 'stream, accepted from fx-cli (pair)' });
      }
    }
    await connect('fx-order', this.peers.order.port, 'stream, connected to the demo order service (pipeline 4)', { pipeline: 4 });
    await connect('fx-echo', this.peers.echo.port, 'stream, connected to an echo peer (archiveLifetime message)', { archiveLifetime: 'message' });
    await connect('fx-garbage', this.peers.garbage, 'stream, connected to a peer sending random bytes');
    await connect('fx-closed', this.peers.closer, 'stream, connected to a peer that closed or reset at once');
    if (this.keepSilent) fixtures.push({ name: 'fx-silent', label: 'stream, connected to a peer that never reads (kept across rounds)' });
    else await connect('fx-silent', this.peers.silent, 'stream, connected to a peer that never reads (kept across rounds)');
    const udp: number[] = [];
    for (const [name, label] of [['fx-dgram', 'datagram, bound'], ['fx-dgram2', 'datagram, bound (second)']] as const) {
      const r = await ok(`create ${name}`, call('POST', '/sessions', { kind: 'datagram', name }), [201]);
      if (r !== undefined) {
        fixtures.push({ name, label });
        const port = localPort(r);
        if (port !== undefined) udp.push(port);
      }
    }
    if (await ok('create fx-dconn', call('POST', '/sessions', { kind: 'datagram', name: 'fx-dconn' }), [201])) {
      fixtures.push({ name: 'fx-dconn', label: 'datagram, connected to the demo UDP echo' });
      await ok('connect fx-dconn', call('POST', '/sessions/fx-dconn/connect', { host: '127.0.0.1', port: this.peers.order.udpPort }), [200]);
    }
    // Something for the order service to answer, and for loads on the pair to find.
    this.fixtures = fixtures;
    const p = this.peers;
    this.tcpPorts = [p.order.port, p.echo.port, p.garbage, p.closer, p.silent, p.closedTcp, ...listenPorts, this.gatewayPort, 1, 65535];
    this.udpPorts = [p.order.udpPort!, p.echo.udpPort!, ...udp, p.closedUdp, 9, 65535].filter((x) => x !== undefined);
  }
}
