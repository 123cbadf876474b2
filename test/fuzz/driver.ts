/**
 * The HTTP-level fuzz of the gateway (issue 10): reads the gateway's own OpenAPI document, and for
 * every operation sends generated valid requests and mutated invalid ones with undici to a real
 * gateway on loopback, with sessions in every state behind them; every answer is checked against
 * the document (documented status, media type, schema of the body, error codes, no 500, no stack
 * trace, no hang). Used by http-fuzz.test.ts (bounded) and by `npm run fuzz:http` (long).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../support/until.js';
import { answerChecker } from './answer-check.js';
import { Findings, showAnswer, showRequest, type Finding } from './findings.js';
import { startFuzzGateway, type FuzzGateway } from './gateway.js';
import { createHttpClient, noAnswer } from './http-client.js';
import { isObject } from './json.js';
import { guardWorks, installLookupGuard, lookups } from './lookup-guard.js';
import { AUTH_MUTATIONS, BODY_MUTATIONS, BODYLESS_MUTATIONS, BYTES_MUTATIONS, PATH_MUTATIONS, type Mutation } from './mutate.js';
import { ApiModel, type Operation } from './openapi-model.js';
import { startPeers } from './peers.js';
import { forRequest } from './prng.js';
import { summarize, type MemorySample, type OperationStats } from './report-text.js';
import { validRequest, type BuildContext, type FuzzRequest } from './requests.js';
import { assertSafeBody } from './targets.js';
import { sessionsOf, World } from './world.js';

export type { Finding } from './findings.js';

export interface FuzzConfig {
  seed: number;
  requests: number;
  concurrency?: number;
  /** Requests between two resets of the session fixtures. */
  roundSize?: number;
  /** Stop sending new requests after this long (the bounded form's guard); 0: no limit. */
  timeBudgetMs?: number;
  /** An answer later than this is a hang. */
  hangMs?: number;
  log?: (line: string) => void;
  /**
   * Where to append each request before it is sent and its status once answered (the long form's
   * --journal): a gateway that hangs its own process writes no report, and this shows the suspects.
   */
  journal?: string;
  /** Where to write the full report (default: the OS temp directory). */
  reportFile?: string;
  /** Log every request whose operation key matches (e.g. /store$/) with its answer. */
  trace?: RegExp;
}

export interface FuzzReport {
  sent: number;
  durationMs: number;
  perOperation: Map<string, OperationStats>;
  findings: Finding[];
  notes: Finding[];
  text: string;
  reportFile: string;
  safetyViolations: string[];
}

const TOKEN = 'fuzz-token-0123456789';
const LIMITS = {
  bodyLimit: 2 * 1024 * 1024,
  defaultTimeoutMs: 200,
  maxTimeoutMs: 2000,
  connectTimeoutMs: 1000,
  maxMessageBytes: 4 * 1024 * 1024,
  maxBufferedBytes: 256 * 1024,
  maxSessions: 300,
};

export async function runHttpFuzz(cfg: FuzzConfig): Promise<FuzzReport> {
  const log = cfg.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const concurrency = cfg.concurrency ?? 8;
  const roundSize = cfg.roundSize ?? 150;
  const hangMs = cfg.hangMs ?? 8000;
  const t0 = Date.now();
  installLookupGuard();
  const guardOk = await guardWorks();
  if (!guardOk) throw new Error('fuzz safety: the lookup guard does not see lookups made through node:dns; refusing to run');

  const peers = await startPeers(cfg.seed);
  const gw: FuzzGateway = await startFuzzGateway({
    token: TOKEN,
    allowTargets: ['127.0.0.0/8', '::1/128'],
    idleTimeoutMs: 0,
    ...LIMITS,
  });
  const origin = gw.base;
  const gatewayPort = gw.port;
  const client = createHttpClient({ origin, connections: concurrency * 4, hangMs, token: TOKEN });
  const { send, call } = client;

  // The document, as clients see it.
  const docAnswer = await call('GET', '/openapi.json');
  if (docAnswer.status !== 200) throw new Error(`GET /openapi.json answered ${docAnswer.status}`);
  if (!isObject(docAnswer.body)) throw new Error('GET /openapi.json answered 200 without a JSON object');
  const model = new ApiModel(docAnswer.body);
  const world = new World(peers, gatewayPort, cfg.seed);
  await world.learnTypes(call);
  log(`http-fuzz: seed ${cfg.seed}, ${cfg.requests} requests, ${model.operations.length} operations, ${world.types.length} type expressions with known values, concurrency ${concurrency}`);

  const findings = new Findings(world);
  const notes = new Findings(world);
  const perOperation = new Map<string, OperationStats>();
  for (const op of model.operations) perOperation.set(op.key, { sent: 0, valid: 0, statuses: new Map() });
  const memory: MemorySample[] = [];
  const health: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  const sampleMemory = (at: number, collect = false) => {
    if (collect) gc?.();
    const m = process.memoryUsage();
    memory.push({ at, rss: m.rss, heap: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers });
  };
  sampleMemory(0, true);

  const check = answerChecker({ model, hangMs, bodyLimit: LIMITS.bodyLimit, gatewayErrors: gw.errors, findings, notes });

  const mutationGroups = (op: Operation): [number, Mutation[]][] => [
    [op.body !== undefined ? 26 : 0, BODY_MUTATIONS],
    [op.body !== undefined ? 14 : 0, BYTES_MUTATIONS],
    [op.body === undefined ? 8 : 1, BODYLESS_MUTATIONS],
    [12, PATH_MUTATIONS],
    [4, AUTH_MUTATIONS],
  ];

  const build = (index: number): FuzzRequest => {
    const rng = forRequest(cfg.seed, index);
    const op = rng.pick(model.operations);
    const ctx: BuildContext = { model, world, token: TOKEN, maxTimeoutMs: LIMITS.maxTimeoutMs, maxMessageBytes: LIMITS.maxMessageBytes, index };
    let req = validRequest(op, ctx, rng);
    if (rng.chance(0.58)) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const group = rng.weighted(mutationGroups(op).filter(([w]) => w > 0));
        const m = rng.pick(group);
        const out = m.apply(req, rng, ctx);
        if (out !== undefined) {
          req = out;
          break;
        }
      }
    }
    // The fuzz's own safety net: no host-like field outside the loopback pool, in JSON or in bytes.
    assertSafeBody(req.json);
    if (Buffer.isBuffer(req.body) && req.body.length < 4 * 1024 * 1024) {
      try {
        assertSafeBody(JSON.parse(req.body.toString('utf8')));
      } catch (err) {
        if (/fuzz safety/.test((err as Error).message)) throw err;
      }
    }
    return req;
  };

  const hangFinding = (name: string, err: Error, label: string) => {
    const op = model.operations.find((o) => o.key === 'DELETE /sessions/{name}') ?? model.operations[0]!;
    const req: FuzzRequest = { index: -1, op, method: 'DELETE', path: `/sessions/${encodeURIComponent(name)}`, headers: {}, label, valid: true, routed: true, badAuth: false, session: name, waitMs: 0 };
    findings.record('hang', req, noAnswer(hangMs, err.message), `DELETE of a session did not answer within ${hangMs} ms`);
  };
  /** Failures of the fuzz itself (a generator or a check that threw), with a request index. */
  const harnessErrors = new Map<string, number>();
  let sent = 0;
  let round = 0;
  const budget = cfg.timeBudgetMs ?? 0;
  const sseOps = new Set(model.operations.filter((o) => [...o.answers.values()].some((a) => a.media.has('text/event-stream'))).map((o) => o.key));
  while (sent < cfg.requests && (budget === 0 || Date.now() - t0 < budget)) {
    await world.reset(call, hangMs, (name, _label, err) => hangFinding(name, err, 'clean-up between rounds'));
    const end = Math.min(sent + roundSize, cfg.requests);
    let next = sent;
    const worker = async () => {
      while (next < end && (budget === 0 || Date.now() - t0 < budget)) {
        const index = next++;
        let req: FuzzRequest;
        try {
          req = build(index);
        } catch (err) {
          if (/fuzz safety/.test((err as Error).message)) throw err;
          harnessErrors.set(`build: ${(err as Error).message}`.slice(0, 200), index);
          continue;
        }
        const stats = perOperation.get(req.op.key)!;
        stats.sent++;
        if (req.valid) stats.valid++;
        if (cfg.journal !== undefined) appendFileSync(cfg.journal, `#${index} ${showRequest(req, world)}\n`);
        const a = await send(req.method, req.path, req.headers, req.body, sseOps.has(req.op.key));
        if (cfg.journal !== undefined) appendFileSync(cfg.journal, `#${index} answered ${a.status}\n`);
        sent++;
        stats.statuses.set(a.status, (stats.statuses.get(a.status) ?? 0) + 1);
        if (a.status === 201) {
          try {
            const name = JSON.parse(a.body.toString('utf8')).name;
            if (typeof name === 'string') world.created.push(name);
          } catch {
            // not a session
          }
        }
        if (a.status === 200 && req.op.template.endsWith('/store') && req.session !== undefined && req.json !== null && typeof req.json === 'object') {
          const j = req.json as { type?: unknown; values?: { type: unknown }[] };
          world.stored(req.session, j.values !== undefined ? j.values.map((v) => v.type) : [j.type]);
        }
        if (cfg.trace?.test(req.op.key)) log(`${showRequest(req, world)}\n  → ${showAnswer(a).slice(0, 300)}`);
        try {
          check(req, a);
        } catch (err) {
          harnessErrors.set(`check: ${(err as Error).stack ?? err}`.slice(0, 400), index);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    round++;
    sampleMemory(sent);
    const h0 = performance.now();
    const h = await send('GET', '/health', {}, undefined);
    health.push(h.error === undefined ? performance.now() - h0 : hangMs);
    if (round % 10 === 0) log(`  … ${sent} requests in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${findings.size} distinct findings, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  }
  const durationMs = Date.now() - t0;

  // Closing: sessions, then the gateway and the peers, each bounded.
  const typesAnswer = await send('GET', '/types', { authorization: `Bearer ${TOKEN}` }, undefined);
  const typesSize = typesAnswer.body.length;
  let typesCount = -1;
  try {
    typesCount = JSON.parse(typesAnswer.body.toString('utf8')).types.length;
  } catch {
    // reported as -1
  }
  try {
    const list = await call('GET', '/sessions', undefined, hangMs);
    await Promise.all(sessionsOf(list).map(async (s) => {
      try {
        await call('DELETE', `/sessions/${encodeURIComponent(s.name)}`, undefined, hangMs);
      } catch (err) {
        if (/timed out/.test((err as Error).message)) hangFinding(s.name, err as Error, 'clean-up at the end');
      }
    }));
  } catch {
    // reported by the close below if it matters
  }
  // A session may still be closing after its DELETE: poll until none is listed, for 5 s at most;
  // the count last seen is reported (-1: GET /sessions itself failed).
  let sessionsLeft = -1;
  const noSessionLeft = async () => {
    try {
      sessionsLeft = sessionsOf(await call('GET', '/sessions', undefined, 5000)).length;
    } catch {
      sessionsLeft = -1;
    }
    return sessionsLeft === 0;
  };
  await until(noSessionLeft, 'GET /sessions lists no session', 5000).catch(() => undefined);
  const gatewayState = `the gateway lists ${typesCount} types (GET /types) and ${sessionsLeft} sessions after the clean-up`;
  sampleMemory(sent, true);
  if (process.env.FUZZ_HEAPSNAPSHOT !== undefined) {
    const { writeHeapSnapshot } = await import('node:v8');
    log(`heap snapshot: ${writeHeapSnapshot(process.env.FUZZ_HEAPSNAPSHOT)}`);
  }
  const closed = await Promise.race([gw.close().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), hangMs))]);
  await client.close();
  await peers.close();
  const closeNote = closed ? '' : `the gateway did not close within ${hangMs} ms (app.close() waits on a session close that never ends?)`;

  const safetyViolations = [...lookups.violations.entries()].map(([n, c]) => `${n} ×${c}`);
  const text = summarize({ gatewayState, harnessErrors, seed: cfg.seed, sent, durationMs, perOperation, findings: findings.list(), notes: notes.list(), memory, health, typesSize, closeNote, world, safetyViolations, model });
  const reportFile = cfg.reportFile ?? join(tmpdir(), `archway-http-fuzz-seed${cfg.seed}-${cfg.requests}.txt`);
  writeFileSync(reportFile, text);
  const all = findings.list();
  if (!closed) all.push({ kind: 'close-hang', op: '(gateway)', detail: closeNote, count: 1, labels: new Set(), example: { index: -1, request: 'app.close() (as SIGTERM does)', answer: `none within ${hangMs} ms` } });
  for (const [e, i] of harnessErrors) all.push({ kind: 'fuzz-error', op: '(fuzz)', detail: e, count: 1, labels: new Set(), example: { index: i, request: '', answer: '' } });
  return { sent, durationMs, perOperation, findings: all, notes: notes.list(), text, reportFile, safetyViolations };
}
