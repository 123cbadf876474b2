/**
 * Prometheus metrics of one gateway instance (its own prom-client Registry: two instances in one
 * process never mix their figures). Counters count where things happen — bytes as sockets move
 * them, messages and errors as requests end; the sessions gauge is read from the registry when
 * scraped, as prom-client's `collect` is meant for.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ByteCounter } from '../sessions/session.js';
import type { SessionRegistry } from '../sessions/session-registry.js';

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly messages: Counter<'op'>;
  private readonly messageChildren = new Map<string, { inc(n?: number): void }>();
  private readonly latencyChildren = new Map<string, { observe(v: number): void }>();
  readonly errors: Counter<'code'>;
  readonly latency: Histogram<'route'>;
  /** What sessions report the bytes their sockets move to. */
  readonly bytes: ByteCounter;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'archway_' });
    const bytes = new Counter({
      name: 'archway_socket_bytes_total',
      help: 'Bytes received from and sent to peers by sessions',
      labelNames: ['direction'] as const,
      registers,
    });
    // Children bound once: one increment per chunk, no label lookup.
    const received = bytes.labels({ direction: 'in' });
    const sent = bytes.labels({ direction: 'out' });
    this.bytes = { received: (n) => received.inc(n), sent: (n) => sent.inc(n) };
    this.messages = new Counter({
      name: 'archway_messages_total',
      help: 'Archive messages and datagrams handled, by operation',
      labelNames: ['op'] as const,
      registers,
    });
    this.errors = new Counter({
      name: 'archway_errors_total',
      help: 'Error answers, by code',
      labelNames: ['code'] as const,
      registers,
    });
    this.latency = new Histogram({
      name: 'archway_request_duration_seconds',
      help: 'HTTP request latency, by route',
      labelNames: ['route'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }

  /** Counts `n` messages of operation `op` (children bound once per label: no lookup per request). */
  message(op: string, n = 1): void {
    let child = this.messageChildren.get(op);
    if (child === undefined) this.messageChildren.set(op, (child = this.messages.labels({ op })));
    child.inc(n);
  }

  /** Records one request's latency on its route. */
  observe(route: string, seconds: number): void {
    let child = this.latencyChildren.get(route);
    if (child === undefined) this.latencyChildren.set(route, (child = this.latency.labels({ route })));
    child.observe(seconds);
  }

  /** The sessions gauge, read from `sessions` at each scrape. */
  watch(sessions: SessionRegistry): void {
    new Gauge({
      name: 'archway_sessions',
      help: 'Sessions held, by kind and state',
      labelNames: ['kind', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of sessions.all()) this.inc({ kind: s.kind, state: s.state });
      },
    });
  }
}
