/**
 * `npm run bench:gateway` — the gateway's hot path under load (SPEC 7), with autocannon's
 * programmatic API, 100 connections, in one run:
 *   (a) ceiling:      a bare Fastify route that validates the same Order JSON and echoes it;
 *   (h) hand-rolled:  the baseline of SPEC 7's target — a Fastify route with the same JSON schema,
 *                     8 pooled `net` sockets used lock-step, the Order in hand-written Buffer code,
 *                     to the same service;
 *   (b) exchange:     the gateway's `exchange` of Order through to the demo archive service (echo
 *                     mode, another process) over a pool of sessions, lock-step;
 *   (t) typed:        the gateway's typed operation `…/ops/echoOrder` over the same pool;
 *   (c) pipeline:     `exchange` over one session with `pipeline` 64.
 * Every server runs in its own process; autocannon runs here. Rounds interleave the cases so that
 * the machine's drift hits all alike; ratios are per round, then the median. Many short rounds:
 * this machine's speed moves by 10–20 % within seconds (autocannon's own CPU per request, the same
 * work in every case, moves with it), so many 2-s rounds give a steadier median than a few 5-s ones;
 * twenty, because a round's ratio to (h) still moves by ~12 % (one standard deviation), and the
 * median of ten by ~5 %, more than the gateway's margin.
 * In each round (h) runs between (b) and (t), so that a ratio of the target compares neighbours;
 * every other round runs backwards, so that no case always follows the same one. Every answer is
 * checked against its request during the run: a fast wrong answer counts as an error.
 * Targets: (t) and (b) at ≥ 1.0× (h), p99 no higher: the req/s ratio is taken round by round,
 * then the median; p50 and p99 are those of the whole run, all rounds' answers together (see
 * report()). Latencies are kept to the µs (order-load.ts).
 *
 * Options: `--seconds N` per case and round (default 2), `--rounds N` (default 20), `--connections N`
 * (default 100), `--pool N` sessions (and the proxy's sockets, default 8), `--cases h,b,t` (which to
 * run beside (a); `--cases t --cpu-prof` profiles (t) alone in the gateway), `--cpu-prof` (profile
 * the gateway and the demo service: a .cpuprofile each lands in bench/results/), `--node-options
 * "…"` (Node options for every server process alike, e.g. `--no-allocation-site-pretenuring`), `--no-save`, `--side-by-side` (instead of the interleaved rounds: (b) and (t) each under load at
 * the same time as (h), half of the connections each, `--rounds` rounds: bench/lib/side-by-side.ts).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { referenceOrder } from '../src/demo/index.js';
import { startDemoProcess } from './lib/demo-process.js';
import { median } from './lib/measure.js';
import { orderLoad, percentile, type LoadRun } from './lib/order-load.js';
import { formatMs, printColumns, printMachine, repoRoot, writeResults, type Row } from './lib/report.js';
import { gatewayPort, jsonPort, startServerProcess } from './lib/server-process.js';
import { printSideBySide, sideBySide, type PairRounds } from './lib/side-by-side.js';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '100' },
    pool: { type: 'string', default: '8' },
    'cpu-prof': { type: 'boolean', default: false },
    cases: { type: 'string', default: 'a,h,b,t,c' },
    'no-save': { type: 'boolean', default: false },
    'node-options': { type: 'string', default: '' },
    'side-by-side': { type: 'boolean', default: false },
  },
});
const caseLetters = opts.cases.split(',').map((c) => c.trim());
const seconds = Number(opts.seconds);
const rounds = Number(opts.rounds);
const connections = Number(opts.connections);
const poolSize = Number(opts.pool);
/** (t) and (b) against (h), the hand-rolled proxy (SPEC 7). */
const TARGET = 1.0;

const order = referenceOrder;

type CaseRun = LoadRun;

/** How a case's requests carry the Order: inside an `exchange` body, or as the body itself. */
type Shape = 'exchange' | 'bare';

const bodyOf: Record<Shape, (id: number) => string> = {
  exchange: (id) => `{"request":{"type":"Order","value":${JSON.stringify(order(id))}},"response":{"type":"Order"}}`,
  bare: (id) => JSON.stringify(order(id)),
};
const answerOf: Record<Shape, (body: string) => { id: number; lines: unknown[] }> = {
  exchange: (body) => (JSON.parse(body) as { value: { id: number; lines: unknown[] } }).value,
  bare: (body) => JSON.parse(body) as { id: number; lines: unknown[] },
};

/** One run of a case: the demo service echoes the Order, which must come back whole. */
function load(base: string, pathOf: (n: number) => string, servers: Record<string, number>, duration = seconds, shape: Shape = 'exchange', conns = connections): Promise<CaseRun> {
  const answers = (body: string, id: number) => {
    const v = answerOf[shape](body);
    return v.id === id && v.lines.length === 5;
  };
  return orderLoad({ base, path: pathOf, body: bodyOf[shape], answers, connections: conns, seconds: duration, servers });
}

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.body.json();
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${JSON.stringify(json)}`);
  return json;
}

async function main(): Promise<void> {
  const root = repoRoot();
  console.log(`Gateway bench: Order through the gateway vs a hand-rolled proxy and a bare Fastify echo (SPEC 7 target (t), (b) ≥ ${TARGET}× (h), p99 no higher)`);
  printMachine();
  console.log(`autocannon ${connections} connections, ${seconds} s per case, ${rounds} interleaved rounds; pool of ${poolSize} sessions for (b)\n`);

  // The same Node options for every server process, the hand-rolled proxy's included.
  const nodeOptions = opts['node-options'].split(' ').filter((o) => o !== '');
  if (nodeOptions.length > 0) console.log(`every server process runs with node ${nodeOptions.join(' ')}\n`);
  const profile = [...nodeOptions, ...(opts['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${root}/bench/results`] : [])];
  const demo = await startDemoProcess({ mode: 'echo', nodeArgs: profile });
  const gateway = await startServerProcess(['bin/archway.js', 'serve', '--port', '0', '--types', 'types/demo.json,bench/types/echo-operation.json', '--log-level', 'info'], gatewayPort, {
    cwd: root,
    nodeArgs: profile,
  });
  const bare = await startServerProcess(['dist/bench/lib/bare-echo-child.js'], jsonPort, { cwd: root, nodeArgs: nodeOptions });
  const hand = await startServerProcess(['dist/bench/lib/hand-proxy-child.js', String(demo.port), String(poolSize)], jsonPort, { cwd: root, nodeArgs: profile });
  const gw = `http://127.0.0.1:${gateway.port}`;
  try {
    const names: string[] = [];
    for (let i = 0; i < poolSize; i++) {
      names.push(`pool${i}`);
      await post(`${gw}/sessions`, { kind: 'stream', name: `pool${i}` });
      await post(`${gw}/sessions/pool${i}/connect`, { host: '127.0.0.1', port: demo.port });
    }
    await post(`${gw}/sessions`, { kind: 'stream', name: 'piped', pipeline: 64 });
    await post(`${gw}/sessions/piped/connect`, { host: '127.0.0.1', port: demo.port });
    const check = (await post(`${gw}/sessions/piped/exchange`, { request: { type: 'Order', value: order(7) }, response: { type: 'Order' } })) as { value: unknown };
    if (JSON.stringify(check.value) !== JSON.stringify(order(7))) throw new Error(`the gateway's echo differs: ${JSON.stringify(check.value)}`);

    const behind = { server: gateway.pid, demo: demo.pid };
    let turn = 0;
    const cases = {
      'a bare Fastify echo': (d?: number) => load(`http://127.0.0.1:${bare.port}`, () => '/echo', { server: bare.pid }, d),
      'h hand-rolled proxy': (d?: number, c?: number) => load(`http://127.0.0.1:${hand.port}`, () => '/orders', { server: hand.pid, demo: demo.pid }, d, 'bare', c),
      // Requests take the pool's sessions in turn, as the proxy's take its sockets: 100 connections
      // fixed to 8 sessions would give half of them 13 clients and half 12, and their queues a
      // longer tail than the proxy's.
      'b gateway exchange, pool': (d?: number, c?: number) => load(gw, () => `/sessions/${names[turn++ % poolSize]}/exchange`, behind, d, 'exchange', c),
      't gateway typed op, pool': (d?: number, c?: number) => load(gw, () => `/sessions/${names[turn++ % poolSize]}/ops/echoOrder`, behind, d, 'bare', c),
      'c gateway, pipeline 64': (d?: number) => load(gw, () => '/sessions/piped/exchange', behind, d),
    };
    if (opts['side-by-side']) {
      const targeted = Object.entries(cases).filter(([name]) => (name.startsWith('b') || name.startsWith('t')) && caseLetters.includes(name[0]!));
      const half = Math.max(1, Math.floor(connections / 2));
      for (const [, run] of targeted) await Promise.all([cases['h hand-rolled proxy'](2, half), run(2, half)]);
      const results: Record<string, PairRounds> = {};
      for (const [name, run] of targeted) results[name] = await sideBySide(cases['h hand-rolled proxy'], run, rounds, seconds, half);
      printSideBySide(results, '(h), each with half of the connections');
      return;
    }
    // (a) always runs: it is the baseline of every ratio.
    const chosen = Object.entries(cases).filter(([name]) => name.startsWith('a') || caseLetters.includes(name[0]!));
    // The hand-rolled proxy runs between (b) and (t), so that each ratio of the target compares two
    // runs next to each other; every other round runs backwards, so that no case always follows
    // the same one.
    const sequence = [...'abhtc'].flatMap((letter) => chosen.filter(([name]) => name.startsWith(letter)));
    const runs: Record<string, CaseRun[]> = Object.fromEntries(chosen.map(([name]) => [name, []]));
    // Warm-up (JIT, connection pools), unmeasured.
    for (const [, run] of chosen) await run(Math.min(2, seconds));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? sequence : [...sequence].reverse();
      for (const [name, run] of order) {
        if (process.stdout.isTTY) console.log(`round ${round + 1}/${rounds}: ${name}`);
        runs[name]!.push(await run());
      }
    }
    report(runs);
  } finally {
    await Promise.all([gateway.stop(), bare.stop(), hand.stop(), demo.stop()]);
  }
}

function report(runs: Record<string, CaseRun[]>): void {
  const names = Object.keys(runs);
  const base = runs[names[0]!]!;
  const handName = names.find((n) => n.startsWith('h'));
  const hand = handName === undefined ? undefined : runs[handName];
  const rows: Row[] = [];
  const table: string[][] = [];
  for (const name of names) {
    const r = runs[name]!;
    const ratios = r.map((x, i) => x.rps / base[i]!.rps);
    const med = (f: (x: CaseRun) => number) => median(r.map(f));
    const sum = (f: (x: CaseRun) => number) => r.reduce((n, x) => n + f(x), 0);
    const ratio = median(ratios);
    // The target is against the hand-rolled proxy: req/s round by round, then the median.
    const handRatios = hand === undefined ? [] : r.map((x, i) => x.rps / hand[i]!.rps);
    const vsHand = hand === undefined ? undefined : median(handRatios);
    // The p99 of the whole run, every round's answers together. A round's p99 rests on the two or
    // three worst stalls of its 2 s (the machine's, or a process's), each of which delays every
    // request then in flight: round by round it moved by 0.5–1.6× (h)'s, far more than the gap to
    // measure. Every case ran through the same stretch of time, round by round.
    const all = pooled(r);
    const p99 = percentile(all, 99);
    const p99Ratio = hand === undefined ? 1 : p99 / percentile(pooled(hand), 99);
    const p99Ok = p99Ratio <= 1;
    const targeted = name.startsWith('b') || name.startsWith('t');
    const target = !targeted || vsHand === undefined ? '' : `${ratioText(vsHand)} (h) (${Math.min(...handRatios).toFixed(2)}–${Math.max(...handRatios).toFixed(2)}), p99 ${ratioText(p99Ratio)}: ${vsHand >= TARGET && p99Ok ? 'PASS' : 'FAIL'} (≥ ${TARGET}× (h))`;
    table.push([
      name,
      Math.round(med((x) => x.rps)).toLocaleString('en-US'),
      formatMs(percentile(all, 50)),
      formatMs(p99),
      formatMs(all.at(-1) ?? 0),
      String(sum((x) => x.errors)),
      String(sum((x) => x.non2xx)),
      `${ratio.toFixed(2)}×`,
      `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
      target,
    ]);
    rows.push({
      name,
      group: 'http',
      opsPerSec: med((x) => x.rps),
      samples: r.map((x) => x.rps),
      min: Math.min(...r.map((x) => x.rps)),
      max: Math.max(...r.map((x) => x.rps)),
      madPct: 0,
      ops: sum((x) => x.requests),
      seconds: seconds * r.length,
      batch: 1,
      ratio: { baseline: names[0]!, median: ratio, min: Math.min(...ratios), max: Math.max(...ratios) },
      ...(vsHand === undefined || !targeted ? {} : { target: { baseline: handName, minRatio: TARGET, ratio: vsHand, p99Ratio, p99NoHigher: p99Ok, pass: vsHand >= TARGET && p99Ok } }),
      latency: { p50: percentile(all, 50), p99, max: all.at(-1) ?? 0, roundP99s: r.map((x) => x.p99) },
      errors: sum((x) => x.errors),
      non2xx: sum((x) => x.non2xx),
      wrong: sum((x) => x.wrong),
      timeouts: sum((x) => x.timeouts),
      cpuMicrosPerRequest: cpuOf(r),
      minorFaultsPerRequest: median(r.map((x) => x.faults.server ?? 0)),
    } as Row & Record<string, unknown>);
  }
  printColumns(['case', 'req/s', 'p50', 'p99', 'max', 'errors', 'non-2xx', '× (a)', 'range', 'target'], table, new Set([1, 2, 3, 4, 5, 6, 7]));
  printCpu(runs);
  if (!opts['no-save']) console.log(`\nresults: ${writeResults('gateway', { rows, connections, seconds, rounds, pool: poolSize, nodeOptions: opts['node-options'] })}`);
}

await main();

/** Every latency of a case's rounds, sorted. */
function pooled(r: readonly CaseRun[]): Float64Array {
  const all = new Float64Array(r.reduce((n, x) => n + x.latencies.length, 0));
  let at = 0;
  for (const x of r) {
    all.set(x.latencies, at);
    at += x.latencies.length;
  }
  return all.sort();
}

/** A ratio to two decimals, or three when two would show 1.00 for a verdict either way. */
function ratioText(v: number): string {
  return `${v.toFixed(Math.abs(v - 1) < 0.005 ? 3 : 2)}×`;
}

/** Median CPU µs per request of each process over a case's runs. */
function cpuOf(r: readonly CaseRun[]): Record<string, number> {
  const names = Object.keys(r[0]!.cpu);
  return Object.fromEntries(names.map((n) => [n, median(r.map((x) => x.cpu[n] ?? 0))]));
}

/**
 * Where the cores went: CPU per request of the load generator, the server and the demo service,
 * all on this machine's cores. Cores ÷ that total is the most requests/s the machine could give
 * the case; "cores busy" near 100 % means the case was bound by the machine's CPU, not by waiting.
 */
function printCpu(runs: Record<string, CaseRun[]>): void {
  const cores = availableParallelism();
  const µs = (v: number | undefined) => (v === undefined ? '–' : `${Math.round(v)} µs`);
  const table = Object.entries(runs).map(([name, r]) => {
    const cpu = cpuOf(r);
    const total = Object.values(cpu).reduce((a, b) => a + b, 0);
    const ceiling = (cores * 1e6) / total;
    const rps = median(r.map((x) => x.rps));
    const faults = median(r.map((x) => x.faults.server ?? 0));
    return [name, µs(cpu.autocannon), µs(cpu.server), µs(cpu.demo), µs(total), Math.round(ceiling).toLocaleString('en-US'), `${Math.round((100 * rps) / ceiling)} %`, faults.toFixed(2)];
  });
  console.log(`\nCPU per request (${cores} cores shared by all):`);
  printColumns(['case', 'autocannon', 'server', 'demo', 'total', 'CPU-bound req/s', 'cores busy', 'server faults'], table, new Set([1, 2, 3, 4, 5, 6, 7]));
  const faulting = Object.entries(runs).filter(([, r]) => median(r.map((x) => x.faults.server ?? 0)) >= 0.3).map(([name]) => name[0]);
  if (faulting.length > 0) {
    console.log(`\nserver faults of ${faulting.join(', ')}: about one minor page fault per request, 20-25 µs of CPU each on this project's benchmark machine; in a Node process that pretenures per-request allocation sites, which varies from start to start (README, "V8 pretenuring"; archway serve turns it off): rerun, or compare with --node-options=--no-allocation-site-pretenuring`);
  }
}
