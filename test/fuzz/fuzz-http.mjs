#!/usr/bin/env node
/**
 * The long form of the HTTP fuzz (issue 10): the same driver and test as the bounded run in
 * `npm test`, with more requests, another seed and no time limit.
 *
 *   npm run fuzz:http -- --requests 50000 --seed 7 [--concurrency 8] [--report file] [--trace regexp] [--journal file] [--no-netns]
 *
 * `--journal file` appends every request to the file before it is sent and its status once answered:
 * when the gateway hangs its own process (a synchronous loop), no report is ever written, and the
 * requests without a status are the suspects.
 *
 * Where it can (root, `unshare` and `ip` present), it runs inside a network namespace that has
 * only loopback, so that even a bug of the fuzz or the gateway cannot send a packet off this
 * machine; elsewhere it relies on the fuzz's own guards (loopback-only targets, the lookup guard).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  return args[i].includes('=') ? args[i].slice(args[i].indexOf('=') + 1) : args[i + 1];
};
if (args.includes('--help') || args.includes('-h')) {
  console.log('npm run fuzz:http -- --requests N --seed N [--concurrency N] [--report file] [--trace regexp] [--journal file] [--no-netns]');
  process.exit(0);
}
const requests = Number(opt('requests', '20000'));
const seed = Number(opt('seed', String(Date.now() % 1_000_000)));
const concurrency = Number(opt('concurrency', '8'));
if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(seed) || !Number.isInteger(concurrency) || concurrency < 1) {
  console.error('--requests, --seed and --concurrency take positive integers');
  process.exit(2);
}
const report = opt('report', join(tmpdir(), `archway-http-fuzz-seed${seed}-${requests}.txt`));
const env = {
  ...process.env,
  FUZZ_REQUESTS: String(requests),
  FUZZ_SEED: String(seed),
  FUZZ_CONCURRENCY: String(concurrency),
  FUZZ_BUDGET_MS: '0',
  FUZZ_REPORT: report,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc`.trim(),
};
const trace = opt('trace', undefined);
if (trace !== undefined) env.FUZZ_TRACE = trace;
const journal = opt('journal', undefined);
if (journal !== undefined) env.FUZZ_JOURNAL = journal;

const vitest = ['npx', 'vitest', 'run', 'test/fuzz/http-fuzz.test.ts', '--silent=false'];
const which = (cmd) => ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => existsSync(join(d, cmd)));
const canIsolate = !args.includes('--no-netns') && process.getuid?.() === 0 && which('unshare') && which('ip')
  && spawnSync('unshare', ['--net', 'true']).status === 0;
const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
console.log(`http-fuzz: ${requests} requests, seed ${seed}, concurrency ${concurrency}; report: ${report}`);
console.log(canIsolate ? 'network: a namespace with only loopback (unshare --net)' : 'network: this machine\'s (no namespace: not root, or unshare/ip missing); loopback-only by construction');
const result = canIsolate
  ? spawnSync('unshare', ['--net', 'sh', '-c', `ip link set lo up && exec ${vitest.map(quote).join(' ')}`], { stdio: 'inherit', env })
  : spawnSync(vitest[0], vitest.slice(1), { stdio: 'inherit', env });
console.log(`\nfull report: ${report}`);
process.exit(result.status ?? 1);
