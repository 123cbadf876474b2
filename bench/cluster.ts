/**
 * `npm run bench:cluster` — several gateways (SPEC §8) against one, in one run, at the same load
 * (autocannon, Order → OrderAck exchanges to one shared demo service, lock-step sessions):
 *   (s) single:     one gateway alone (no Redis, no balancer), a pool of sessions;
 *   (l) balanced:   three gateways behind HAProxy (npm run cluster's layout), the same pool made
 *                   with PUT through the balancer, so every request reaches its owner directly;
 *   (d) direct:     one instance of the cluster, asked directly for sessions it owns;
 *   (f) forwarded:  another instance asked for the same sessions: every request takes one hop.
 * (l) ÷ (s) is what the balancer and the directory cost on this machine (every process shares its
 * cores: the cluster cannot be faster here); (f) against (d) is the cost of a forwarded hop, in
 * requests/s and p99. Every answer is checked: a wrong, failed or non-2xx answer is counted.
 * Rounds interleave the cases; ratios are per round, then the median.
 *
 * Options: `--seconds N` per case and round (default 5), `--rounds N` (default 3), `--connections N`
 * (default 48), `--pool N` sessions per case (default 12), `--no-save`.
 */
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { startCluster } from '../scripts/cluster/local-cluster.js';
import { referenceOrder } from '../src/demo/index.js';
import { orderLoad, type LoadRun } from './lib/order-load.js';
import { median } from './lib/measure.js';
import { formatMs, printColumns, printMachine, repoRoot, writeResults, type Row } from './lib/report.js';
import { gatewayPort, startServerProcess } from './lib/server-process.js';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '48' },
    pool: { type: 'string', default: '12' },
    'no-save': { type: 'boolean', default: false },
  },
});
const seconds = Number(opts.seconds);
const rounds = Number(opts.rounds);
const connections = Number(opts.connections);
const poolSize = Number(opts.pool);

async function call(base: string, method: string, path: string, body: unknown): Promise<{ status: number; instance: string }> {
  const res = await request(base + path, { method: method as 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${base}${path}: ${res.statusCode} ${text}`);
  return { status: res.statusCode, instance: String(res.headers['x-archway-instance'] ?? '').split('.')[0]! };
}

/** `count` sessions named `prefix-i`, made with PUT at `base`, connected to the demo service. */
async function pool(base: string, prefix: string, count: number, demoPort: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  for (const name of names) {
    await call(base, 'PUT', `/sessions/${name}`, { kind: 'stream' });
    await call(base, 'POST', `/sessions/${name}/connect`, { host: '127.0.0.1', port: demoPort });
    const check = await request(`${base}/sessions/${name}/exchange`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request: { type: 'Order', value: referenceOrder(1) }, response: { type: 'OrderAck' } }) });
    if (check.statusCode !== 200) throw new Error(`${name}: exchange answered ${check.statusCode} ${await check.body.text()}`);
    await check.body.dump();
  }
  return names;
}

/** Order → OrderAck exchanges (the demo service in order mode), connection n on `sessions[n % length]`. */
function exchangeLoad(base: string, sessions: readonly string[], duration: number): Promise<LoadRun> {
  return orderLoad({
    base,
    path: (client) => `/sessions/${sessions[client % sessions.length]}/exchange`,
    body: (id) => `{"request":{"type":"Order","value":${JSON.stringify(referenceOrder(id))}},"response":{"type":"OrderAck"}}`,
    answers: (answer, id) => (JSON.parse(answer) as { value: { id: number } }).value.id === id,
    connections,
    seconds: duration,
  });
}

async function main(): Promise<void> {
  const root = repoRoot();
  console.log('Cluster bench: three gateways behind HAProxy vs one gateway, and the cost of a forwarded hop (SPEC §8)');
  printMachine();
  console.log(`autocannon ${connections} connections, ${seconds} s per case, ${rounds} interleaved rounds; ${poolSize} lock-step sessions per case\n`);
  const cluster = await startCluster({});
  const single = await startServerProcess(['bin/archway.js', 'serve', '--port', '0', '--types', 'types/demo.json', '--log-level', 'info'], gatewayPort, { cwd: root });
  const alone = `http://127.0.0.1:${single.port}`;
  try {
    const g1 = cluster.gateways[0]!;
    const g2 = cluster.gateways[1]!;
    const spread = await pool(cluster.url, 'lb', poolSize, cluster.demoPort);
    const onG1 = await pool(g1.url, 'g1own', poolSize, cluster.demoPort);
    const solo = await pool(alone, 'solo', poolSize, cluster.demoPort);
    const owners = new Map<string, number>();
    for (const name of spread) {
      const res = await request(`${cluster.url}/sessions/${name}`);
      await res.body.dump();
      const instance = String(res.headers['x-archway-instance']).split('.')[0]!;
      owners.set(instance, (owners.get(instance) ?? 0) + 1);
    }
    console.log(`(l)'s sessions by owner: ${[...owners].map(([g, n]) => `${g} ${n}`).join(', ')}\n`);
    const cases: Record<string, (d?: number) => Promise<LoadRun>> = {
      's single gateway': (d = seconds) => exchangeLoad(alone, solo, d),
      'l 3 gateways + HAProxy': (d = seconds) => exchangeLoad(cluster.url, spread, d),
      'd instance, direct': (d = seconds) => exchangeLoad(g1.url, onG1, d),
      'f instance, forwarded': (d = seconds) => exchangeLoad(g2.url, onG1, d),
    };
    const runs: Record<string, LoadRun[]> = {};
    // Warm-up (JIT, connection pools), unmeasured.
    for (const run of Object.values(cases)) await run(Math.min(2, seconds));
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of Object.entries(cases)) {
        if (process.stdout.isTTY) console.log(`round ${round + 1}/${rounds}: ${name}`);
        (runs[name] ??= []).push(await run());
      }
    }
    report(runs);
  } finally {
    await Promise.all([cluster.stop(), single.stop()]);
  }
}

function report(runs: Record<string, LoadRun[]>): void {
  const [single, balanced, direct, forwarded] = Object.values(runs) as [LoadRun[], LoadRun[], LoadRun[], LoadRun[]];
  const ratio = (a: LoadRun[], b: LoadRun[]) => a.map((x, i) => x.rps / b[i]!.rps);
  const table = Object.entries(runs).map(([name, r]) => {
    const versus = name.startsWith('l') ? ratio(r, single) : name.startsWith('f') ? ratio(r, direct) : undefined;
    return [
      name,
      Math.round(median(r.map((x) => x.rps))).toLocaleString('en-US'),
      formatMs(median(r.map((x) => x.p50))),
      formatMs(median(r.map((x) => x.p99))),
      formatMs(Math.max(...r.map((x) => x.max))),
      String(r.reduce((n, x) => n + x.errors, 0)),
      String(r.reduce((n, x) => n + x.non2xx, 0)),
      versus === undefined ? '' : `${median(versus).toFixed(2)}× (${name.startsWith('l') ? 's' : 'd'}), ${Math.min(...versus).toFixed(2)}–${Math.max(...versus).toFixed(2)}`,
    ];
  });
  printColumns(['case', 'req/s', 'p50', 'p99', 'max', 'errors', 'non-2xx', 'ratio, range'], table, new Set([1, 2, 3, 4, 5, 6]));
  const hopP99 = median(forwarded.map((x) => x.p99)) - median(direct.map((x) => x.p99));
  console.log(`\na forwarded hop: ${median(ratio(forwarded, direct)).toFixed(2)}× the requests/s of a direct request, p99 ${hopP99 >= 0 ? '+' : ''}${hopP99.toFixed(1)} ms`);
  console.log(`three gateways behind HAProxy: ${median(ratio(balanced, single)).toFixed(2)}× one gateway alone on this machine`);
  if (!opts['no-save']) {
    const rows: Row[] = Object.entries(runs).map(([name, r]) => {
      const base = name.startsWith('l') ? { name: 's single gateway', runs: single } : name.startsWith('f') ? { name: 'd instance, direct', runs: direct } : undefined;
      const ratios = base === undefined ? undefined : ratio(r, base.runs);
      return {
        name, group: 'http', opsPerSec: median(r.map((x) => x.rps)), samples: r.map((x) => x.rps), min: Math.min(...r.map((x) => x.rps)), max: Math.max(...r.map((x) => x.rps)),
        madPct: 0, ops: r.reduce((n, x) => n + x.requests, 0), seconds: seconds * r.length, batch: 1,
        ...(ratios === undefined || base === undefined ? {} : { ratio: { baseline: base.name, median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) } }),
        latency: { p50: median(r.map((x) => x.p50)), p99: median(r.map((x) => x.p99)), max: Math.max(...r.map((x) => x.max)) },
        errors: r.reduce((n, x) => n + x.errors, 0), non2xx: r.reduce((n, x) => n + x.non2xx, 0),
      } as Row;
    });
    console.log(`\nresults: ${writeResults('cluster', { rows, connections, seconds, rounds, pool: poolSize })}`);
  }
}

await main();
