/**
 * One autocannon run of Orders through a server (a gateway, a balancer, a baseline): each
 * connection keeps to the path `path(client)` gives it (a session of a pool, lock-step), every
 * request carries a fresh id, and every answer is checked against its request — a fast wrong
 * answer is an error: nothing may be lost or crossed between sessions. With `servers`, the CPU
 * time per request of those processes is measured beside this one's (autocannon's).
 */
import autocannon, { type Request, type Result } from 'autocannon';
import { cpuSince, faultsSince } from './process-cpu.js';

export interface LoadRun {
  rps: number;
  /** Latencies of the 2xx answers, in ms (fractions kept): percentiles, and all of them sorted. */
  p50: number;
  p99: number;
  max: number;
  latencies: Float64Array;
  /** Transport errors, timeouts and wrong answers. */
  errors: number;
  non2xx: number;
  wrong: number;
  timeouts: number;
  requests: number;
  /** CPU time per request (µs) of each process measured: `autocannon` and the `servers`. */
  cpu: Record<string, number>;
  /** Minor page faults per request of each process. */
  faults: Record<string, number>;
}

export interface LoadOptions {
  base: string;
  /** The URL path of connection `client`. */
  path(client: number): string;
  /** The request body carrying Order `id`. */
  body(id: number): string;
  /** True when `answer` is the right answer to the request that carried `id`. */
  answers(answer: string, id: number): boolean;
  connections: number;
  seconds: number;
  servers?: Record<string, number>;
}

export async function orderLoad(o: LoadOptions): Promise<LoadRun> {
  let nextId = 1;
  let clients = 0;
  let wrong = 0;
  const req: Request = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    setupRequest(r, context) {
      context.client ??= clients++;
      const id = nextId++;
      context.id = id;
      r.path = o.path(context.client as number);
      r.body = o.body(id);
      return r;
    },
    onResponse(status, body, context) {
      if (status !== 200) return;
      try {
        if (!o.answers(body, context.id as number)) wrong++;
      } catch {
        wrong++;
      }
    },
  };
  const cpuUsed = cpuSince({ autocannon: process.pid, ...o.servers });
  const faulted = faultsSince({ autocannon: process.pid, ...o.servers });
  const instance = autocannon({ url: o.base, connections: o.connections, duration: o.seconds, requests: [req], timeout: 10 });
  // autocannon's latency histogram keeps whole milliseconds: at p99s of 15–25 ms a step of 4–7 %,
  // more than the differences a target compares. The run keeps each 2xx answer's time itself.
  const times: number[] = [];
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) times.push(ms);
  });
  autocannon.track(instance, { renderProgressBar: process.stdout.isTTY === true, renderResultsTable: false, renderLatencyTable: false });
  const r: Result = await instance;
  const sorted = Float64Array.from(times).sort();
  const requests = r.requests.total ?? Math.round(r.requests.average * o.seconds);
  const cpu = Object.fromEntries(Object.entries(cpuUsed()).map(([name, us]) => [name, us / Math.max(1, requests)]));
  const faults = Object.fromEntries(Object.entries(faulted()).map(([name, n]) => [name, n / Math.max(1, requests)]));
  return {
    rps: r.requests.average,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
    latencies: sorted,
    errors: r.errors + r.timeouts + wrong,
    non2xx: r.non2xx,
    wrong,
    timeouts: r.timeouts,
    requests,
    cpu,
    faults,
  };
}

/** The smallest time that `p` % of the answers did not exceed (HdrHistogram's definition), in ms. */
export function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
