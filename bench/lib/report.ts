/**
 * Turning measurements into what a bench prints and keeps: ratios to a named baseline (taken round
 * by round, then the median — see `measure.ts`), targets checked against those ratios, a plain
 * text table, and the same results as JSON in bench/results/<bench>-<timestamp>.json together with
 * the facts of the machine they were measured on.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type CaseResult } from './measure.js';

export interface Ratio {
  /** The baseline case this ratio is relative to (same group). */
  baseline: string;
  /** Median over rounds of (this case's ops/s ÷ the baseline's ops/s in the same round). */
  median: number;
  min: number;
  max: number;
}

/** A minimum ratio to a baseline that a case should reach (e.g. SPEC 7: archway ≥ 1.0× avsc). */
export interface Target {
  name: string;
  /** Only in this group; every group when absent. */
  group?: string;
  minRatio: number;
}

export interface Row extends CaseResult {
  ratio?: Ratio;
  target?: { minRatio: number; pass: boolean };
}

/** The ratio of every case to the case named `baseline` in its own group. */
export function withRatios(results: readonly CaseResult[], baseline: string, targets: readonly Target[] = []): Row[] {
  return results.map((r) => {
    const row: Row = { ...r };
    const base = results.find((b) => b.group === r.group && b.name === baseline);
    if (base !== undefined) {
      const n = Math.min(r.samples.length, base.samples.length);
      const perRound = Array.from({ length: n }, (_, i) => r.samples[i] / base.samples[i]);
      row.ratio = { baseline, median: median(perRound), min: Math.min(...perRound), max: Math.max(...perRound) };
    }
    const t = targets.find((x) => x.name === r.name && (x.group === undefined || x.group === r.group));
    if (t !== undefined && row.ratio !== undefined) {
      row.target = { minRatio: t.minRatio, pass: row.ratio.median >= t.minRatio };
    }
    return row;
  });
}

export function formatOps(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.round(v).toLocaleString('en-US');
}

/** A latency in ms, to a tenth. */
export function formatMs(v: number): string {
  return `${v.toFixed(1)} ms`;
}

function pad(s: string, width: number, right: boolean): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

/** Prints columns with a header, numbers right-aligned (columns listed in `numeric`). */
export function printColumns(header: readonly string[], rows: readonly string[][], numeric: ReadonlySet<number>): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => pad(c, widths[i], numeric.has(i))).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** The results as a table: ops/s, spread, ratio to the baseline (with its range) and targets. */
export function printTable(rows: readonly Row[], title?: string): void {
  if (title !== undefined) console.log(`\n${title}`);
  const baseline = rows.find((r) => r.ratio !== undefined)?.ratio?.baseline ?? 'baseline';
  const hasTargets = rows.some((r) => r.target !== undefined);
  const header = ['op', 'case', 'ops/s', '±mad', `× ${baseline}`, 'range', ...(hasTargets ? ['target'] : [])];
  const body = rows.map((r) => [
    r.group,
    r.name,
    formatOps(r.opsPerSec),
    `${r.madPct.toFixed(1)}%`,
    r.ratio === undefined ? '' : `${r.ratio.median.toFixed(2)}×`,
    r.ratio === undefined ? '' : `${r.ratio.min.toFixed(2)}–${r.ratio.max.toFixed(2)}`,
    ...(hasTargets
      ? [r.target === undefined ? '' : `${r.target.pass ? 'PASS' : 'FAIL'} (≥ ${r.target.minRatio.toFixed(1)}×)`]
      : []),
  ]);
  printColumns(header, body, new Set([2, 3, 4, 5]));
}

export interface MachineFacts {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cores: number;
  availableParallelism: number;
  totalMemMiB: number;
  loadavg: number[];
  hostname: string;
}

export function machineFacts(): MachineFacts {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    totalMemMiB: Math.round(os.totalmem() / 2 ** 20),
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    hostname: os.hostname(),
  };
}

export function printMachine(m: MachineFacts = machineFacts()): void {
  console.log(`node ${m.node} (V8 ${m.v8}), ${m.platform} ${m.arch}`);
  console.log(`${m.cpuModel}, ${m.cores} cores (${m.availableParallelism} available), load ${m.loadavg.join(' ')}`);
}

/** The directory holding package.json, searched upwards from this file (src or dist alike). */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('bench: no package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The installed version of a dependency (read from its package.json, which may not be exported). */
export function packageVersion(name: string): string {
  try {
    const file = path.join(repoRoot(), 'node_modules', name, 'package.json');
    const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof json === 'object' && json !== null && 'version' in json && typeof json.version === 'string') {
      return json.version;
    }
  } catch {
    // Not installed where expected: say so below.
  }
  return 'unknown';
}

/**
 * Writes `bench/results/<bench>-<timestamp>.json` (git-ignored): the given results and details,
 * with the time and the machine's facts. Returns the path written.
 */
export function writeResults(bench: string, data: { rows: readonly Row[]; [key: string]: unknown }): string {
  const dir = path.join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const when = new Date();
  const stamp = when.toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  const file = path.join(dir, `${bench}-${stamp}.json`);
  const doc = { bench, date: when.toISOString(), machine: machineFacts(), ...data };
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  return file;
}
