/**
 * `npm run bench:large` — large payloads (SPEC 7): a `CByteArray` of 1, 8 and 64 MiB
 *   - through the gateway: `store` on a session (the peer, this process, reads the bytes off its
 *     socket) and `load` (the peer writes the archive in 64 KiB chunks, each handed to the kernel
 *     before the next);
 *   - through the CLI decoder (`cat in.bin | archway decode --type CByteArray > out.json`: stdin
 *     is an OS pipe, which delivers the bytes in 64 KiB chunks).
 * Prints the time per MiB of each size (target: within 2× of each other, i.e. linear; the fixed
 * cost of a request, timed on a one-byte array, is taken out, and the CLI's modules are loaded
 * before its clock starts) and the peak memory above the process's idle level, for store and load
 * separately (target: under 4× the payload). Each gateway figure comes from three runs after a
 * warm-up: the median time and the highest peak; each CLI figure from nine fresh processes, each
 * run right after a one-byte one: the median of the time differences, and the median peak. A peak is the kernel's VmHWM, reset
 * before each run, over the resident set after a forced collection (the gateway runs with
 * gc-on-signal.ts preloaded), so garbage an earlier run left behind is not counted against the next.
 *
 * Options: `--sizes 1,8,64` (MiB), `--no-save`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { TypeRegistry } from '../src/archive/index.js';
import { median } from './lib/measure.js';
import { MiB, processMemory, resetPeak } from './lib/process-memory.js';
import { printColumns, printMachine, repoRoot, writeResults } from './lib/report.js';
import { gatewayPort, startServerProcess } from './lib/server-process.js';

const { values: opts } = parseArgs({ options: { sizes: { type: 'string', default: '1,8,64' }, 'no-save': { type: 'boolean', default: false } } });
const sizes = opts.sizes.split(',').map(Number);
const CHUNK = 64 * 1024;
/** Runs of the CLI decoder per size, each paired with a one-byte run (odd: the median is one of them). */
const CLI_RUNS = 9;

const codec = new TypeRegistry({ maxMessageBytes: 256 * MiB, maxArrayLength: 256 * MiB }).codecFor('CByteArray');

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, headersTimeout: 600_000, bodyTimeout: 600_000 });
  return { status: res.statusCode, text: await res.body.text() };
}

async function ok(url: string, body: unknown): Promise<unknown> {
  const r = await post(url, JSON.stringify(body));
  if (r.status >= 300) throw new Error(`${url}: ${r.status} ${r.text.slice(0, 300)}`);
  return JSON.parse(r.text);
}

/** Writes `bytes` in 64 KiB chunks, each accepted by the socket before the next. */
async function writeChunked(sock: net.Socket, bytes: Buffer): Promise<void> {
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const chunk = bytes.subarray(i, i + CHUNK);
    await new Promise<void>((resolve, reject) => sock.write(chunk, (err) => (err ? reject(err) : resolve())));
  }
}

/**
 * Runs the CLI decoder (`main(['decode', …])`, what bin/archway.js runs) as a user's shell would:
 * `cat in.bin | node … > out.json`, so stdin is an OS pipe that delivers 64 KiB at a time and
 * stdout a file, at every size alike (a socket pair to this process would hold a whole 1 MiB input
 * or answer in its buffers, and time this process's event loop too). The child's modules are
 * loaded before its clock starts, so `ms` is reading stdin, decoding and writing stdout; `maxRss`
 * is its peak resident memory (VmHWM).
 */
function cliDecode(input: Buffer): Promise<{ ms: number; maxRss: number; outBytes: number }> {
  const root = repoRoot();
  const code = `
    import { main } from ${JSON.stringify(`${root}/dist/src/cli/main.js`)};
    await import(${JSON.stringify(`${root}/dist/src/cli/commands/decode.js`)});
    await import(${JSON.stringify(`${root}/dist/src/archive/index.js`)});
    await import("typebox/compile");
    const t0 = performance.now();
    const status = await main(['decode', '--types', 'types/demo.json', '--type', 'CByteArray']);
    const ms = performance.now() - t0;
    // VmHWM, not resourceUsage().maxRSS: Linux carries the parent's resident set at fork into a
    // child's maxRSS, so that figure would be the bench's own memory, payloads and all.
    const { processMemory } = await import(${JSON.stringify(`${root}/dist/bench/lib/process-memory.js`)});
    process.stderr.write('\\n' + JSON.stringify({ ms, maxRss: processMemory(process.pid).peakRss }) + '\\n');
    process.exitCode = status;
  `;
  // Inside the repository, so that the script resolves the project's packages.
  const dir = mkdtempSync(join(root, 'bench', 'results', 'cli-'));
  const [script, inFile, outFile] = ['decode.mjs', 'in.bin', 'out.json'].map((f) => join(dir, f)) as [string, string, string];
  writeFileSync(script, code);
  writeFileSync(inFile, input);
  const sh = `cat "${inFile}" | "${process.execPath}" "${script}" > "${outFile}"`;
  return new Promise<{ ms: number; maxRss: number; outBytes: number }>((resolve, reject) => {
    const child = spawn('sh', ['-c', sh], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (status) => {
      const line = err.trim().split('\n').pop() ?? '';
      if (status !== 0) return reject(new Error(`archway decode exited ${status}: ${err}`));
      const { ms, maxRss } = JSON.parse(line) as { ms: number; maxRss: number };
      resolve({ ms, maxRss, outBytes: statSync(outFile).size });
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/**
 * The gateway's resident memory once the garbage of earlier steps is collected (SIGWINCH, see
 * gc-on-signal.ts): the idle level a step's peak is measured from.
 */
async function settle(pid: number): Promise<number> {
  process.kill(pid, 'SIGWINCH');
  await new Promise((r) => setTimeout(r, 500));
  return processMemory(pid).rss;
}

interface SizeResult {
  mib: number;
  storeMsPerMiB: number;
  loadMsPerMiB: number;
  cliMsPerMiB: number;
  storePeakOverPayload: number;
  loadPeakOverPayload: number;
  cliPeakOverPayload: number;
}

async function main(): Promise<void> {
  console.log('Large payloads: CByteArray through the gateway (store, load) and the CLI decoder, 64 KiB chunks');
  printMachine();
  const maxMiB = Math.max(...sizes);
  const gateway = await startServerProcess(['bin/archway.js', 'serve', '--port', '0', '--log-level', 'info'], gatewayPort, {
    cwd: repoRoot(),
    nodeArgs: ['--expose-gc', '--import', `${repoRoot()}/dist/bench/lib/gc-on-signal.js`],
    env: { ARCHWAY_BODY_LIMIT: String(Math.ceil(maxMiB * 1.4 + 1) * MiB), ARCHWAY_MAX_MESSAGE_BYTES: String((maxMiB + 1) * MiB), ARCHWAY_MAX_ARRAY_LENGTH: String((maxMiB + 1) * MiB), ARCHWAY_MAX_TIMEOUT_MS: '600000' },
  });
  const gw = `http://127.0.0.1:${gateway.port}`;
  // The peer of the gateway session: a raw socket here, standing in for the MFC service.
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  await ok(`${gw}/sessions`, { kind: 'stream', name: 'big' });
  await ok(`${gw}/sessions/big/connect`, { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
  const peer = await accepted;
  let received = 0;
  let onBytes: (() => void) | undefined;
  peer.on('data', (c: Buffer) => {
    received += c.length;
    onBytes?.();
  });
  /** store: JSON in, archive bytes out to the peer; ms until the peer has them all. */
  const store = async (b64: string, archive: Buffer): Promise<number> => {
    received = 0;
    const allIn = new Promise<void>((resolve) => (onBytes = () => received >= archive.length && resolve()));
    const t = performance.now();
    await ok(`${gw}/sessions/big/store`, { type: 'CByteArray', value: b64 });
    await allIn;
    return performance.now() - t;
  };
  /** load: the peer writes 64 KiB chunks, the gateway decodes and answers JSON; checked. */
  const load = async (b64: string, archive: Buffer): Promise<number> => {
    const t = performance.now();
    const loading = post(`${gw}/sessions/big/load`, JSON.stringify({ type: 'CByteArray', timeoutMs: 600_000 }));
    await writeChunked(peer, archive);
    const loaded = await loading;
    const ms = performance.now() - t;
    if (loaded.status !== 200 || (JSON.parse(loaded.text) as { value: string }).value !== b64) throw new Error(`load of ${archive.length} bytes answered wrong: ${loaded.status}`);
    return ms;
  };
  // One-byte decodes give the CLI's fixed cost (start-up of `main`, loading the type file) and its
  // idle memory: the median of CLI_RUNS. That cost (~30 ms) is larger than a 1 MiB decode's work and
  // drifts by ±10 ms, so each sized run below is paired with a one-byte run of its own.
  const cliTiny: { ms: number; maxRss: number }[] = [];
  const oneByte = codec.encode(Buffer.alloc(1).toString('base64'));
  for (let i = 0; i < CLI_RUNS; i++) cliTiny.push(await cliDecode(oneByte));
  const cliIdle = { ms: median(cliTiny.map((r) => r.ms)), maxRss: median(cliTiny.map((r) => r.maxRss)) };
  const results: SizeResult[] = [];
  try {
    // The fixed cost of one store and one load (HTTP, scheduling), from a one-byte array (median of
    // 5 after a warm-up), is taken out of each size's time: what remains is the per-byte work.
    const tiny = Buffer.alloc(1).toString('base64');
    const tinyArchive = codec.encode(tiny);
    const fixedRuns: { store: number; load: number }[] = [];
    for (let i = 0; i < 6; i++) fixedRuns.push({ store: await store(tiny, tinyArchive), load: await load(tiny, tinyArchive) });
    const fixed = { store: median(fixedRuns.slice(1).map((r) => r.store)), load: median(fixedRuns.slice(1).map((r) => r.load)) };
    console.log(`fixed cost of one store ${fixed.store.toFixed(1)} ms, of one load ${fixed.load.toFixed(1)} ms, of one CLI decode ${cliIdle.ms.toFixed(1)} ms (taken out below; for the CLI, each run's own one-byte run)`);
    // A warm-up at the smallest size: its first run would time the compiler, not the work.
    const warm = randomBytes(Math.min(...sizes) * MiB).toString('base64');
    const warmArchive = codec.encode(warm);
    await store(warm, warmArchive);
    await load(warm, warmArchive);
    await cliDecode(warmArchive);
    for (const size of sizes) {
      const payload = randomBytes(size * MiB);
      const b64 = payload.toString('base64');
      const archive = codec.encode(b64);
      // Three runs of each, every one from a collected idle level: the median time, the highest peak.
      const measure = async (op: (b64: string, archive: Buffer) => Promise<number>): Promise<{ ms: number; peak: number }> => {
        const runs: { ms: number; peak: number }[] = [];
        for (let i = 0; i < 3; i++) {
          const idle = await settle(gateway.pid);
          const canReset = resetPeak(gateway.pid);
          const ms = await op(b64, archive);
          runs.push({ ms, peak: canReset ? processMemory(gateway.pid).peakRss - idle : Number.NaN });
        }
        return { ms: median(runs.map((r) => r.ms)), peak: Math.max(...runs.map((r) => r.peak)) };
      };
      const stored = await measure(store);
      const loaded = await measure(load);

      // CLI_RUNS runs, each a fresh process right after a one-byte one: the median of the time
      // differences (a start-up that drifts by ±10 ms over the bench is taken out pair by pair),
      // and the median peak, as for the one-byte runs (a process's idle peak varies by ±1.5 MiB).
      const runs: Awaited<ReturnType<typeof cliDecode>>[] = [];
      const extraMs: number[] = [];
      for (let i = 0; i < CLI_RUNS; i++) {
        const tiny = await cliDecode(oneByte);
        const run = await cliDecode(archive);
        runs.push(run);
        extraMs.push(run.ms - tiny.ms);
      }
      if (runs.some((r) => r.outBytes < b64.length)) throw new Error(`archway decode printed too few bytes for ${b64.length} of base64`);
      const cli = { ms: median(extraMs), maxRss: median(runs.map((r) => r.maxRss)) };
      results.push({
        mib: size,
        storeMsPerMiB: (stored.ms - fixed.store) / size,
        loadMsPerMiB: (loaded.ms - fixed.load) / size,
        cliMsPerMiB: cli.ms / size,
        storePeakOverPayload: stored.peak / payload.length,
        loadPeakOverPayload: loaded.peak / payload.length,
        cliPeakOverPayload: (cli.maxRss - cliIdle.maxRss) / payload.length,
      });
    }
  } finally {
    peer.destroy();
    server.close();
    await gateway.stop();
  }
  report(results);
}

function report(results: SizeResult[]): void {
  const row = (r: SizeResult) => [
    `${r.mib} MiB`,
    r.storeMsPerMiB.toFixed(1),
    r.loadMsPerMiB.toFixed(1),
    r.cliMsPerMiB.toFixed(1),
    Number.isNaN(r.storePeakOverPayload) ? 'n/a' : `${r.storePeakOverPayload.toFixed(2)}×`,
    Number.isNaN(r.loadPeakOverPayload) ? 'n/a' : `${r.loadPeakOverPayload.toFixed(2)}×`,
    `${r.cliPeakOverPayload.toFixed(2)}×`,
  ];
  console.log('');
  printColumns(['payload', 'store ms/MiB', 'load ms/MiB', 'CLI decode ms/MiB', 'store peak', 'load peak', 'CLI peak'], results.map(row), new Set([1, 2, 3, 4, 5, 6]));
  const spread = (f: (r: SizeResult) => number) => Math.max(...results.map(f)) / Math.min(...results.map(f));
  const linear = { store: spread((r) => r.storeMsPerMiB), load: spread((r) => r.loadMsPerMiB), cli: spread((r) => r.cliMsPerMiB) };
  const largest = results[results.length - 1]!;
  console.log(`\ntime per MiB, slowest size ÷ fastest: store ${linear.store.toFixed(2)}×, load ${linear.load.toFixed(2)}×, CLI ${linear.cli.toFixed(2)}× (target ≤ 2×: ${Math.max(linear.store, linear.load, linear.cli) <= 2 ? 'PASS' : 'FAIL'})`);
  // The target is judged where the payload dwarfs a process's fixed overheads (V8's young
  // generation alone grows by a few MiB under load); a smaller size above 4× is named beside it.
  const largestPeak = Math.max(largest.storePeakOverPayload, largest.loadPeakOverPayload, largest.cliPeakOverPayload);
  const over = results.flatMap((r) =>
    (['store', 'load', 'CLI'] as const)
      .map((what) => [what, { store: r.storePeakOverPayload, load: r.loadPeakOverPayload, CLI: r.cliPeakOverPayload }[what]] as const)
      .filter(([, v]) => v >= 4)
      .map(([what, v]) => `${what} ${v.toFixed(2)}× at ${r.mib} MiB`),
  );
  console.log(
    `peak memory at ${largest.mib} MiB: gateway store ${largest.storePeakOverPayload.toFixed(2)}×, load ${largest.loadPeakOverPayload.toFixed(2)}×, CLI ${largest.cliPeakOverPayload.toFixed(2)}× the payload (target < 4×: ${largestPeak < 4 ? 'PASS' : 'FAIL'})${over.length > 0 ? `; 4× or more at a smaller size: ${over.join(', ')}` : ''}`,
  );
  if (!opts['no-save']) console.log(`results: ${writeResults('large', { rows: [], sizes: results, linear })}`);
}

await main();
