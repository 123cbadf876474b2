/**
 * `npm run bench:sessions` — 10,000 idle connected sessions (SPEC 7: ≤ 16 KiB of gateway memory
 * each). The gateway (`archway serve`) and the demo archive service run in their own processes;
 * this process opens the sessions over HTTP (create + connect, 32 at a time), holds them, and reads
 * the gateway's RSS from /proc and its V8 heap from its own /metrics, against the baseline taken
 * before the first session. Then it closes them all.
 *
 * Each session holds one socket in the gateway and one in the demo service, so both need more
 * open files than the usual 1024: raise the limit in the shell first, e.g. `ulimit -n 20000`
 * (the hard limit caps it; see README). The bench refuses to start below what it needs.
 *
 * Options: `--sessions N` (default 10000), `--concurrency N` (default 32), `--no-save`.
 */
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startDemoProcess } from './lib/demo-process.js';
import { fileLimit, mib, processMemory } from './lib/process-memory.js';
import { printMachine, repoRoot, writeResults } from './lib/report.js';
import { gatewayPort, startServerProcess } from './lib/server-process.js';

const { values: opts } = parseArgs({
  options: {
    sessions: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    'no-save': { type: 'boolean', default: false },
  },
});
const N = Number(opts.sessions);
const concurrency = Number(opts.concurrency);
const TARGET_BYTES = 16 * 1024;
const dispatcher = new Agent({ connections: concurrency, pipelining: 1 });

async function post(url: string, body: unknown): Promise<void> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), dispatcher });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${text}`);
}

async function metric(base: string, name: string): Promise<number> {
  const res = await request(`${base}/metrics`, { dispatcher });
  const text = await res.body.text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
  if (m === null) throw new Error(`/metrics has no ${name}`);
  return Number(m[1]);
}

/** Lets the gateway settle (timers, GC) and takes the lowest of a few readings. */
async function settle(base: string, pid: number): Promise<{ rss: number; heap: number }> {
  let rss = Infinity;
  let heap = Infinity;
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 400));
    rss = Math.min(rss, processMemory(pid).rss);
    heap = Math.min(heap, await metric(base, 'archway_nodejs_heap_size_used_bytes'));
  }
  return { rss, heap };
}

async function main(): Promise<void> {
  const limit = await fileLimit();
  const need = N + 200;
  if (limit < need) {
    console.error(`open-file limit is ${limit}, ${need} are needed: run \`ulimit -n ${Math.max(need, 20000)}\` first (at most the hard limit, \`ulimit -Hn\`)`);
    process.exit(2);
  }
  console.log(`Sessions bench: ${N.toLocaleString('en-US')} connected idle sessions, target ≤ ${TARGET_BYTES / 1024} KiB of gateway memory each`);
  printMachine();
  console.log(`open-file limit ${limit}, ${concurrency} sessions opened at a time\n`);

  const demo = await startDemoProcess({ mode: 'order' });
  const gateway = await startServerProcess(['bin/archway.js', 'serve', '--port', '0', '--types', 'types/demo.json'], gatewayPort, {
    cwd: repoRoot(),
    env: { ARCHWAY_MAX_SESSIONS: String(N + 10), ARCHWAY_LOG_LEVEL: 'info' },
  });
  const base = `http://127.0.0.1:${gateway.port}`;
  try {
    // One session first, so that code paths and pools are warm in the baseline.
    await post(`${base}/sessions`, { kind: 'stream', name: 'warm' });
    await post(`${base}/sessions/warm/connect`, { host: '127.0.0.1', port: demo.port });
    const before = await settle(base, gateway.pid);

    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < N; i = next++) {
          await post(`${base}/sessions`, { kind: 'stream', name: `s${i}` });
          await post(`${base}/sessions/s${i}/connect`, { host: '127.0.0.1', port: demo.port });
        }
      }),
    );
    const openMs = performance.now() - started;
    const held = await metric(base, 'archway_sessions');
    const after = await settle(base, gateway.pid);

    const rssPer = (after.rss - before.rss) / N;
    const heapPer = (after.heap - before.heap) / N;
    const pass = rssPer <= TARGET_BYTES;
    console.log(`opened ${N.toLocaleString('en-US')} sessions in ${(openMs / 1000).toFixed(2)} s (${Math.round(N / (openMs / 1000)).toLocaleString('en-US')} sessions/s); its archway_sessions gauge (stream, connected) shows ${held}`);
    console.log(`gateway RSS   ${mib(before.rss)} → ${mib(after.rss)}: ${(rssPer / 1024).toFixed(2)} KiB per session  ${pass ? 'PASS' : 'FAIL'} (≤ ${TARGET_BYTES / 1024} KiB)`);
    console.log(`gateway heap  ${mib(before.heap)} → ${mib(after.heap)}: ${(heapPer / 1024).toFixed(2)} KiB per session`);
    if (!opts['no-save']) {
      const file = writeResults('sessions', {
        rows: [],
        sessions: N,
        openSeconds: openMs / 1000,
        rssBefore: before.rss,
        rssAfter: after.rss,
        heapBefore: before.heap,
        heapAfter: after.heap,
        rssPerSession: rssPer,
        heapPerSession: heapPer,
        target: { maxBytesPerSession: TARGET_BYTES, pass },
      });
      console.log(`results: ${file}`);
    }
  } finally {
    await Promise.all([gateway.stop(30_000), demo.stop()]);
    await dispatcher.close();
  }
}

await main();
