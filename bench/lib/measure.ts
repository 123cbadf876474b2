/**
 * The timing core shared by every bench: synchronous cases measured side by side in one process.
 *
 * These machines are noisy (2 shared cores), so a case is never timed in one block. After a
 * warm-up, the measured time is cut into rounds and every round runs every case once for an equal
 * slice: A B C, B C A, C A B, … (interleaved, and rotated each round so that no case always runs
 * just after the same neighbour and pays for its garbage). A burst of noise then lands on all
 * cases alike, and the ratio of two cases is taken round by round (see `report.ts`), so drift in
 * the machine's speed cancels out of it.
 *
 * Each case runs in its own generated loop function (as Benchmark.js does): one shared loop would
 * see every case's function at one call site, go megamorphic and stop inlining them — which would
 * slow the cases differently from how real callers see them.
 */

export interface BenchCase {
  /** Shown in tables; unique within its group. */
  name: string;
  /** What is measured (`encode`, `decode`, `round trip`…); ratios compare cases of one group. */
  group?: string;
  /** One operation. Its result is kept (see `sink`) so that the work cannot be optimised away. */
  fn: () => unknown;
}

export interface MeasureOptions {
  /** Measured seconds per case, spread over the rounds (warm-up not included). Default 2. */
  seconds?: number;
  /** Rounds the measured time is cut into. Default 10. */
  rounds?: number;
  /** Warm-up seconds per case, before any measurement. Default 0.5. */
  warmupSeconds?: number;
  /** Target duration of one timed batch of calls, in milliseconds. Default 5. */
  batchMs?: number;
  /** Called after each round (progress output). */
  onRound?: (round: number, rounds: number) => void;
}

export interface CaseResult {
  name: string;
  group: string;
  /** ops/s of each round, in round order (index i of every case is the same round). */
  samples: number[];
  /** Median of `samples`. */
  opsPerSec: number;
  min: number;
  max: number;
  /** Median absolute deviation of the samples, as a percentage of the median. */
  madPct: number;
  /** Calls made while measuring, and the seconds they took. */
  ops: number;
  seconds: number;
  /** Calls per timed batch, as calibrated during the warm-up. */
  batch: number;
}

/** The last result of every case's loop: read by nobody, it keeps the calls' results alive. */
export let sink: unknown;

type Loop = (fn: () => unknown, n: number) => unknown;

let loopId = 0;

/** A fresh loop function per case: unique source, so V8 shares neither code nor feedback. */
function makeLoop(label: string): Loop {
  const id = ++loopId;
  const source = [
    `// bench loop ${id}: ${label.replace(/[\r\n]/g, ' ')}`,
    'let r;',
    'for (let i = 0; i < n; i++) r = fn();',
    'return r;',
  ].join('\n');
  return new Function('fn', 'n', source) as Loop;
}

function nowNs(): number {
  return Number(process.hrtime.bigint());
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

interface Running {
  c: BenchCase;
  loop: Loop;
  batch: number;
  samples: number[];
  ops: number;
  ns: number;
}

/** Runs batches of `r` for at least `ms` milliseconds; returns [calls, nanoseconds]. */
function runFor(r: Running, ms: number): [number, number] {
  const budget = ms * 1e6;
  let calls = 0;
  const start = nowNs();
  let elapsed = 0;
  do {
    sink = r.loop(r.c.fn, r.batch);
    calls += r.batch;
    elapsed = nowNs() - start;
  } while (elapsed < budget);
  return [calls, elapsed];
}

/** Grows the batch until one takes about `batchMs` (run during the warm-up, so it also warms). */
function calibrate(r: Running, batchMs: number): void {
  const target = batchMs * 1e6;
  for (let i = 0; i < 40; i++) {
    const start = nowNs();
    sink = r.loop(r.c.fn, r.batch);
    const ns = nowNs() - start;
    if (ns >= target) break;
    const factor = ns <= 0 ? 10 : Math.min(10, Math.max(1.5, target / ns));
    r.batch = Math.max(r.batch + 1, Math.ceil(r.batch * factor));
  }
}

/** The run's settings with their defaults, after checking them and that no case is named twice. */
export function runSettings(
  cases: readonly { name: string; group?: string }[],
  options: { seconds?: number; rounds?: number; warmupSeconds?: number },
): { seconds: number; rounds: number; warmupSeconds: number } {
  const seconds = options.seconds ?? 2;
  if (!(seconds > 0)) throw new RangeError(`seconds must be positive, got ${seconds}`);
  const keys = new Set<string>();
  for (const c of cases) {
    const key = `${c.group ?? ''}\u0000${c.name}`;
    if (keys.has(key)) throw new Error(`bench case "${c.name}" appears twice in group "${c.group ?? ''}"`);
    keys.add(key);
  }
  return { seconds, rounds: Math.max(1, Math.floor(options.rounds ?? 10)), warmupSeconds: options.warmupSeconds ?? 0.5 };
}

/** Measures all `cases` side by side (see the top of this file); results in the order given. */
export function measureInterleaved(cases: readonly BenchCase[], options: MeasureOptions = {}): CaseResult[] {
  const { seconds, rounds, warmupSeconds } = runSettings(cases, options);
  const batchMs = options.batchMs ?? 5;

  const running: Running[] = cases.map((c) => ({
    c,
    loop: makeLoop(`${c.group ?? ''} ${c.name}`),
    batch: 1,
    samples: [],
    ops: 0,
    ns: 0,
  }));

  // Warm-up: calibrate, then run each case in two interleaved passes so all of them reach their
  // optimised code (and the heap its steady size) before anything is timed.
  for (const r of running) calibrate(r, batchMs);
  for (let pass = 0; pass < 2; pass++) {
    for (const r of running) runFor(r, (warmupSeconds * 1000) / 2);
  }

  const sliceMs = (seconds * 1000) / rounds;
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < running.length; k++) {
      const r = running[(round + k) % running.length];
      const [calls, ns] = runFor(r, sliceMs);
      r.samples.push((calls * 1e9) / ns);
      r.ops += calls;
      r.ns += ns;
    }
    options.onRound?.(round + 1, rounds);
  }

  return running.map((r) => summarize(r.c.name, r.c.group, r.samples, r.ops, r.ns, r.batch));
}

/** The result of one case from its per-round samples (shared with the async harness). */
export function summarize(name: string, group: string | undefined, samples: number[], ops: number, ns: number, batch: number): CaseResult {
  const m = median(samples);
  return {
    name,
    group: group ?? '',
    samples,
    opsPerSec: m,
    min: Math.min(...samples),
    max: Math.max(...samples),
    madPct: (mad(samples) / m) * 100,
    ops,
    seconds: ns / 1e9,
    batch,
  };
}

/** One case alone (for a bench with a single subject; prefer `measureInterleaved` for comparisons). */
export function measure(name: string, fn: () => unknown, options: MeasureOptions & { group?: string } = {}): CaseResult {
  const [result] = measureInterleaved([{ name, group: options.group, fn }], options);
  return result;
}
