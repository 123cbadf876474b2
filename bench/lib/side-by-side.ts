/**
 * `bench:gateway --side-by-side`: a case and the hand-rolled proxy under load at the same time, each
 * with its own half of the connections, round after round. Interleaved rounds run the servers
 * seconds apart, and this machine's speed moves by 10–20 % within seconds; side by side, both meet
 * the same machine state, so their CPU per request and req/s compare directly. The pair starts in
 * alternating order from round to round (whichever load starts first gets a head start). Not
 * free of bias either: the kernel shares the cores between threads, and a process with more busy
 * threads (a gateway's garbage collector helpers) gets more of them; read it beside the rounds.
 */
import { median } from './measure.js';
import type { LoadRun } from './order-load.js';
import { printColumns } from './report.js';

/** Runs a case's load for `seconds` with `connections`. */
export type Load = (seconds: number, connections: number) => Promise<LoadRun>;

export interface PairRounds {
  /** Per round: the case's req/s, server CPU per request and p99 over the baseline's. */
  rps: number[];
  cpu: number[];
  p99: number[];
}

/** `connections` each: the caller splits its total between the two. */
export async function sideBySide(baseline: Load, other: Load, rounds: number, seconds: number, connections: number): Promise<PairRounds> {
  const out: PairRounds = { rps: [], cpu: [], p99: [] };
  for (let round = 0; round < rounds; round++) {
    const [b, o] = round % 2 === 0
      ? await Promise.all([baseline(seconds, connections), other(seconds, connections)])
      : await Promise.all([other(seconds, connections), baseline(seconds, connections)]).then(([x, y]) => [y, x] as const);
    const show = (r: LoadRun) => `${Math.round(r.rps).toLocaleString('en-US')} req/s, ${(r.cpu.server ?? Number.NaN).toFixed(1)} µs server CPU, p99 ${r.p99} ms`;
    console.log(`round ${round + 1}/${rounds}: baseline ${show(b)} | case ${show(o)}`);
    out.rps.push(o.rps / b.rps);
    out.cpu.push((o.cpu.server ?? Number.NaN) / (b.cpu.server ?? Number.NaN));
    out.p99.push(o.p99 - b.p99);
  }
  return out;
}

/** One line per case: medians and ranges of the rounds' ratios against the baseline. */
export function printSideBySide(results: Record<string, PairRounds>, baselineName: string): void {
  const range = (v: number[], f: (x: number) => string) => `${f(Math.min(...v))}…${f(Math.max(...v))}`;
  const x = (n: number) => `${n.toFixed(2)}×`;
  const ms = (n: number) => `${n > 0 ? '+' : ''}${n} ms`;
  const rows = Object.entries(results).map(([name, r]) => [
    name,
    x(median(r.rps)),
    range(r.rps, x),
    x(median(r.cpu)),
    range(r.cpu, x),
    ms(median(r.p99)),
    range(r.p99, ms),
  ]);
  console.log(`\nSide by side with ${baselineName} (the same machine state; ratios per round, then the median):`);
  printColumns(['case', 'req/s ×', 'range', 'server CPU/req ×', 'range', 'p99 vs', 'range'], rows, new Set([1, 2, 3, 4, 5, 6]));
}
