/**
 * One autocannon run of Order → OrderAck exchanges (the demo service in `order` mode) against a
 * gateway or a balancer: each connection keeps to one session of a pool, lock-step, and every
 * answer is checked against its request (a fast wrong answer is an error: nothing may be lost or
 * crossed between sessions).
 */
import autocannon, { type Request, type Result } from 'autocannon';
import { referenceOrder } from '../../src/demo/index.js';

export interface LoadRun {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Transport errors, timeouts and wrong answers. */
  errors: number;
  non2xx: number;
  wrong: number;
  requests: number;
}

export interface LoadOptions {
  base: string;
  /** The sessions; connection n uses `sessions[n % length]`. */
  sessions: readonly string[];
  connections: number;
  seconds: number;
}

export async function exchangeLoad({ base, sessions, connections, seconds }: LoadOptions): Promise<LoadRun> {
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
      r.path = `/sessions/${sessions[(context.client as number) % sessions.length]}/exchange`;
      r.body = `{"request":{"type":"Order","value":${JSON.stringify(referenceOrder(id))}},"response":{"type":"OrderAck"}}`;
      return r;
    },
    onResponse(status, body, context) {
      if (status !== 200) return;
      try {
        if ((JSON.parse(body) as { value: { id: number } }).value.id !== context.id) wrong++;
      } catch {
        wrong++;
      }
    },
  };
  const instance = autocannon({ url: base, connections, duration: seconds, requests: [req], timeout: 10 });
  autocannon.track(instance, { renderProgressBar: process.stdout.isTTY === true, renderResultsTable: false, renderLatencyTable: false });
  const r: Result = await instance;
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.timeouts + wrong,
    non2xx: r.non2xx,
    wrong,
    requests: r.requests.total ?? Math.round(r.requests.average * seconds),
  };
}
