/**
 * `npm run bench:ws` — Order messages per second through a session's WebSocket (SPEC §7), in one
 * run, against a bare `ws` server relaying the same frames to the same TCP echo service (the demo
 * service in echo mode, another process; bench/lib/bare-ws-relay-child.ts):
 *   json:   the gateway decodes each echoed Order (`?send=Order&receive=Order`) and pushes it as
 *           `{"type","value"}`; the relay sends each echoed line back as it is;
 *   binary: the Order's archive bytes both ways (`?mode=binary`), the relay forwarding chunks.
 * Every connection keeps `--window` messages in flight; every JSON answer is checked (its id), every
 * binary byte counted. Rounds interleave the cases, ratios are per round, then the median. Then the
 * memory per open WebSocket session: `--sockets` sessions connected and idle, then a JSON-mode
 * WebSocket on each, the gateway's resident set and heap read after each step.
 * Targets (SPEC §7): json ≥ 0.5× the relay, binary ≥ 0.8×.
 *
 * Options: `--seconds N` per case and round (default 5), `--rounds N` (default 3), `--connections N`
 * WebSockets per case (default 8), `--window N` messages in flight per WebSocket (default 32),
 * `--sockets N` for the memory figure (default 500), `--no-save`.
 */
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { WebSocket } from 'ws';
import { TypeRegistry } from '../src/archive/index.js';
import { DEMO_TYPES, referenceOrder } from '../src/demo/index.js';
import { startDemoProcess } from './lib/demo-process.js';
import { median } from './lib/measure.js';
import { cpuSince } from './lib/process-cpu.js';
import { processMemory } from './lib/process-memory.js';
import { printColumns, printMachine, repoRoot, writeResults, type Row } from './lib/report.js';
import { gatewayPort, jsonPort, startServerProcess } from './lib/server-process.js';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '8' },
    window: { type: 'string', default: '32' },
    sockets: { type: 'string', default: '500' },
    'no-save': { type: 'boolean', default: false },
  },
});
const seconds = Number(opts.seconds);
const rounds = Number(opts.rounds);
const connections = Number(opts.connections);
const window = Number(opts.window);
const sockets = Number(opts.sockets);
const TARGETS = { json: 0.5, binary: 0.8 } as const;
type Mode = keyof typeof TARGETS;

const types = new TypeRegistry();
types.add(DEMO_TYPES);
const orderCodec = types.get('Order');
/** Distinct Orders, as text and as archive bytes (encoded once: the client's cost is not measured). */
const ORDERS = Array.from({ length: 256 }, (_, i) => referenceOrder(i + 1));
const TEXTS = ORDERS.map((o) => JSON.stringify(o));
const BYTES = ORDERS.map((o) => orderCodec.encode(o));
const ORDER_SIZE = BYTES[0]!.length;
if (BYTES.some((b) => b.length !== ORDER_SIZE)) throw new Error('the reference Orders must all encode to the same size');

interface CaseRun {
  messages: number;
  perSecond: number;
  wrong: number;
  cpu: Record<string, number>;
}

/** One WebSocket keeping `window` Orders in flight until `stop()`; counts answers (checked). */
function driver(url: string, mode: Mode): Promise<{ done(): number; wrong(): number; stop(): void; close(): Promise<void> }> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let sent = 0;
  let answered = 0;
  let bytes = 0;
  let wrong = 0;
  let sending = true;
  const send = () => {
    const i = sent++ % ORDERS.length;
    ws.send(mode === 'json' ? TEXTS[i]! : BYTES[i]!, { binary: mode === 'binary' });
  };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    let now: number;
    if (mode === 'binary') {
      bytes += data.length;
      now = Math.floor(bytes / ORDER_SIZE) - answered;
    } else {
      // Either shape: the relay's bare Order, the gateway's {"type","value"}.
      const v = JSON.parse(data.toString()) as { id?: number; value?: { id: number } };
      const id = v.value?.id ?? v.id;
      if (isBinary || id !== (answered % ORDERS.length) + 1) wrong++;
      now = 1;
    }
    answered += now;
    if (sending) for (let k = 0; k < now; k++) send();
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      for (let k = 0; k < window; k++) send();
      resolve({
        done: () => answered,
        wrong: () => wrong,
        stop: () => {
          sending = false;
        },
        close: () => new Promise<void>((r) => {
          ws.once('close', () => r());
          ws.close();
        }),
      });
    });
  });
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${text}`);
}

async function metric(base: string, name: string): Promise<number> {
  const res = await request(`${base}/metrics`);
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(await res.body.text());
  if (m === null) throw new Error(`/metrics has no ${name}`);
  return Number(m[1]);
}

async function main(): Promise<void> {
  const root = repoRoot();
  console.log(`WebSocket bench: Order messages/s through GET /sessions/{name}/ws vs a bare ws relay to the same echo service (SPEC 7: json ≥ ${TARGETS.json}×, binary ≥ ${TARGETS.binary}×)`);
  printMachine();
  console.log(`${connections} WebSockets × ${window} Orders in flight, ${seconds} s per case, ${rounds} interleaved rounds; an Order is ${ORDER_SIZE} bytes archived, ${TEXTS[0]!.length} as JSON\n`);
  const echo = await startDemoProcess({ mode: 'echo' });
  const gateway = await startServerProcess(['bin/archway.js', 'serve', '--port', '0', '--types', 'types/demo.json', '--log-level', 'info', '--max-sessions', String(Math.max(1000, sockets + connections * 2))], gatewayPort, { cwd: root });
  const relay = await startServerProcess(['dist/bench/lib/bare-ws-relay-child.js', String(echo.port)], jsonPort, { cwd: root });
  const gw = `http://127.0.0.1:${gateway.port}`;
  const wsBase = gw.replace('http', 'ws');
  try {
    let sessionNo = 0;
    /** Fresh sessions connected to the echo service, one per WebSocket of the case. */
    const sessionsFor = async (n: number) => {
      const names: string[] = [];
      for (let i = 0; i < n; i++) {
        const name = `ws${sessionNo++}`;
        await post(`${gw}/sessions`, { kind: 'stream', name });
        await post(`${gw}/sessions/${name}/connect`, { host: '127.0.0.1', port: echo.port });
        names.push(name);
      }
      return names;
    };
    const cases: Record<string, { mode: Mode; urls: () => Promise<string[]>; pids: Record<string, number> }> = {
      'relay json': { mode: 'json', urls: async () => Array.from({ length: connections }, () => `ws://127.0.0.1:${relay.port}/?mode=json`), pids: { server: relay.pid } },
      'gateway json': { mode: 'json', urls: async () => (await sessionsFor(connections)).map((n) => `${wsBase}/sessions/${n}/ws?send=Order&receive=Order`), pids: { server: gateway.pid } },
      'relay binary': { mode: 'binary', urls: async () => Array.from({ length: connections }, () => `ws://127.0.0.1:${relay.port}/?mode=binary`), pids: { server: relay.pid } },
      'gateway binary': { mode: 'binary', urls: async () => (await sessionsFor(connections)).map((n) => `${wsBase}/sessions/${n}/ws?mode=binary`), pids: { server: gateway.pid } },
    };
    const run = async (name: string, duration: number): Promise<CaseRun> => {
      const c = cases[name]!;
      const drivers = await Promise.all((await c.urls()).map((u) => driver(u, c.mode)));
      const count = () => drivers.reduce((n, d) => n + d.done(), 0);
      // Measured from the first answers on, so that connection set-up is not counted.
      await new Promise((r) => setTimeout(r, 200));
      const cpu = cpuSince({ client: process.pid, ...c.pids, echo: echo.pid });
      const start = count();
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, duration * 1000));
      const messages = count() - start;
      const elapsed = (performance.now() - t0) / 1000;
      const used = cpu();
      for (const d of drivers) d.stop();
      await Promise.all(drivers.map((d) => d.close()));
      return {
        messages,
        perSecond: messages / elapsed,
        wrong: drivers.reduce((n, d) => n + d.wrong(), 0),
        cpu: Object.fromEntries(Object.entries(used).map(([k, us]) => [k, us / Math.max(1, messages)])),
      };
    };
    for (const name of Object.keys(cases)) await run(name, Math.min(1, seconds)); // warm-up, unmeasured
    const runs: Record<string, CaseRun[]> = {};
    for (let round = 0; round < rounds; round++) {
      for (const name of Object.keys(cases)) {
        if (process.stdout.isTTY) console.log(`round ${round + 1}/${rounds}: ${name}`);
        (runs[name] ??= []).push(await run(name, seconds));
      }
    }
    const memory = await memoryPerWebSocket(gw, gateway.pid, echo.port);
    report(runs, memory);
  } finally {
    await Promise.all([gateway.stop(), relay.stop(), echo.stop()]);
  }
}

interface Memory {
  sockets: number;
  sessionRssBytes: number;
  webSocketRssBytes: number;
  webSocketHeapBytes: number;
}

/** Gateway RSS and heap per idle session, then per JSON-mode WebSocket opened on each. */
async function memoryPerWebSocket(gw: string, pid: number, echoPort: number): Promise<Memory> {
  const settle = async () => {
    let rss = Infinity;
    let heap = Infinity;
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 400));
      rss = Math.min(rss, processMemory(pid).rss);
      heap = Math.min(heap, await metric(gw, 'archway_nodejs_heap_size_used_bytes'));
    }
    return { rss, heap };
  };
  const base = await settle();
  const names = Array.from({ length: sockets }, (_, i) => `mem${i}`);
  for (let i = 0; i < names.length; i += 16) {
    await Promise.all(names.slice(i, i + 16).map(async (name) => {
      await post(`${gw}/sessions`, { kind: 'stream', name });
      await post(`${gw}/sessions/${name}/connect`, { host: '127.0.0.1', port: echoPort });
    }));
  }
  const idle = await settle();
  const open: WebSocket[] = [];
  for (const name of names) {
    const ws = new WebSocket(`${gw.replace('http', 'ws')}/sessions/${name}/ws?send=Order&receive=Order`, { perMessageDeflate: false });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    open.push(ws);
  }
  const withWs = await settle();
  await Promise.all(open.map((ws) => new Promise<void>((r) => {
    ws.once('close', () => r());
    ws.close();
  })));
  return {
    sockets,
    sessionRssBytes: (idle.rss - base.rss) / sockets,
    webSocketRssBytes: (withWs.rss - idle.rss) / sockets,
    webSocketHeapBytes: (withWs.heap - idle.heap) / sockets,
  };
}

function report(runs: Record<string, CaseRun[]>, memory: Memory): void {
  const rows: Row[] = [];
  const table: string[][] = [];
  const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  for (const [name, r] of Object.entries(runs)) {
    const mode: Mode = name.endsWith('json') ? 'json' : 'binary';
    const baseline = runs[`relay ${mode}`]!;
    const ratios = r.map((x, i) => x.perSecond / baseline[i]!.perSecond);
    const ratio = median(ratios);
    const gatewayCase = name.startsWith('gateway');
    const pass = ratio >= TARGETS[mode];
    const cpu = Object.fromEntries(Object.keys(r[0]!.cpu).map((k) => [k, median(r.map((x) => x.cpu[k] ?? 0))]));
    table.push([
      name,
      Math.round(median(r.map((x) => x.perSecond))).toLocaleString('en-US'),
      gatewayCase ? `${ratio.toFixed(2)}×` : '1.00×',
      gatewayCase ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : '',
      `${(cpu.server ?? 0).toFixed(1)} µs`,
      `${(cpu.echo ?? 0).toFixed(1)} µs`,
      `${(cpu.client ?? 0).toFixed(1)} µs`,
      String(r.reduce((n, x) => n + x.wrong, 0)),
      gatewayCase ? `${pass ? 'PASS' : 'FAIL'} (≥ ${TARGETS[mode]}×)` : '',
    ]);
    rows.push({
      name,
      group: mode,
      opsPerSec: median(r.map((x) => x.perSecond)),
      samples: r.map((x) => x.perSecond),
      min: Math.min(...r.map((x) => x.perSecond)),
      max: Math.max(...r.map((x) => x.perSecond)),
      madPct: 0,
      ops: r.reduce((n, x) => n + x.messages, 0),
      seconds: seconds * r.length,
      batch: 1,
      ratio: { baseline: `relay ${mode}`, median: ratio, min: Math.min(...ratios), max: Math.max(...ratios) },
      ...(gatewayCase ? { target: { minRatio: TARGETS[mode], pass } } : {}),
      wrong: r.reduce((n, x) => n + x.wrong, 0),
      cpuMicrosPerMessage: cpu,
    } as Row & Record<string, unknown>);
  }
  printColumns(['case', 'msg/s', '× relay', 'range', 'server CPU/msg', 'echo CPU/msg', 'client CPU/msg', 'wrong', 'target'], table, new Set([1, 2, 3, 4, 5, 6, 7]));
  console.log(`\nmemory (${memory.sockets} sessions): ${kib(memory.sessionRssBytes)} RSS per connected idle session; a JSON-mode WebSocket on it adds ${kib(memory.webSocketRssBytes)} RSS (${kib(memory.webSocketHeapBytes)} heap)`);
  if (!opts['no-save']) console.log(`\nresults: ${writeResults('ws', { rows, connections, window, seconds, rounds, memory })}`);
}

await main();
