/**
 * The asynchronous twin of `measure.ts`, for operations that wait on sockets: the same warm-up,
 * the same interleaved and rotated rounds (A B C, B C A, …) and the same result shape, so
 * `report.ts` computes per-round ratios and targets unchanged.
 *
 * A case is not one call but a driver, `runFor(ms)`: it keeps its operations going for about `ms`
 * milliseconds, then lets those in flight finish, and resolves with how many completed. The time
 * counted is the whole of it, drain included, so a case cannot look faster by leaving work
 * unfinished at the end of its slice. Only one case runs at a time; its connection stays open (and
 * idle) while the others run.
 */
import { runSettings, summarize, type CaseResult } from './measure.js';

export interface AsyncBenchCase {
  /** Shown in tables; unique within its group. */
  name: string;
  /** What is measured; ratios compare cases of one group. */
  group?: string;
  /** Runs operations for about `ms` milliseconds, finishes those in flight, resolves with the count. */
  runFor: (ms: number) => Promise<number>;
}

export interface AsyncMeasureOptions {
  /** Measured seconds per case, spread over the rounds (warm-up not included). Default 2. */
  seconds?: number;
  /** Rounds the measured time is cut into. Default 10. */
  rounds?: number;
  /** Warm-up seconds per case, before any measurement. Default 0.5. */
  warmupSeconds?: number;
  onRound?: (round: number, rounds: number) => void;
}

/** A case's result, plus the CPU time this process spent per operation (the peer's is not in it). */
export interface AsyncCaseResult extends CaseResult {
  /** User + system CPU microseconds of this process per operation, over the measured rounds. */
  cpuUsPerOp: number;
}

function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/** Measures all `cases` side by side (see the top of this file); results in the order given. */
export async function measureInterleavedAsync(cases: readonly AsyncBenchCase[], options: AsyncMeasureOptions = {}): Promise<AsyncCaseResult[]> {
  const { seconds, rounds, warmupSeconds } = runSettings(cases, options);
  const running = cases.map((c) => ({ c, samples: [] as number[], ops: 0, ns: 0, cpuUs: 0 }));

  // Warm-up in two interleaved passes: optimised code, grown socket buffers and a steady heap.
  for (let pass = 0; pass < 2; pass++) {
    for (const r of running) await r.c.runFor((warmupSeconds * 1000) / 2);
  }

  const sliceMs = (seconds * 1000) / rounds;
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < running.length; k++) {
      const r = running[(round + k) % running.length];
      const cpu = process.cpuUsage();
      const start = nowNs();
      const ops = await r.c.runFor(sliceMs);
      const ns = nowNs() - start;
      const used = process.cpuUsage(cpu);
      r.samples.push((ops * 1e9) / ns);
      r.ops += ops;
      r.ns += ns;
      r.cpuUs += used.user + used.system;
    }
    options.onRound?.(round + 1, rounds);
  }

  // No calibrated batch here: the operations completed per round, on average.
  return running.map((r) => ({
    ...summarize(r.c.name, r.c.group, r.samples, r.ops, r.ns, Math.round(r.ops / rounds)),
    cpuUsPerOp: r.cpuUs / r.ops,
  }));
}

/**
 * A `runFor` driver for promise-returning operations: `inFlight` callers each start `op()` again as
 * soon as their last one settled, until `ms` have passed; resolves with the operations completed
 * once all have settled. A rejected operation stops the bench (its error is rethrown).
 */
export async function keepInFlight(inFlight: number, ms: number, op: () => Promise<unknown>): Promise<number> {
  const deadline = nowNs() + ms * 1e6;
  let done = 0;
  const caller = async () => {
    do {
      await op();
      done++;
    } while (nowNs() < deadline);
  };
  await Promise.all(Array.from({ length: inFlight }, caller));
  return done;
}
