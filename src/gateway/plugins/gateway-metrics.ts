/**
 * Prometheus metrics of one gateway instance (its own prom-client Registry: two instances in one
 * process never mix their figures). Session gauges and byte counters are read from the sessions
 * when scraped, so the hot path pays only for the message counter and the latency histogram.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SessionRegistry } from '../sessions/session-registry.js';

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly messages: Counter<'op'>;
  readonly errors: Counter<'code'>;
  readonly latency: Histogram<'route'>;

  constructor(sessions: SessionRegistry) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'archway_' });
    new Gauge({
      name: 'archway_sessions',
      help: 'Sessions held, by kind and state',
      labelNames: ['kind', 'state'] as const,
      registers,
      collect() {
        this.reset();
        for (const s of sessions.all()) this.inc({ kind: s.kind, state: s.state });
      },
    });
    let lastIn = 0;
    let lastOut = 0;
    new Counter({
      name: 'archway_socket_bytes_total',
      help: 'Bytes received from and sent to peers by sessions',
      labelNames: ['direction'] as const,
      registers,
      collect() {
        let bytesIn = sessions.totals.closedBytesIn;
        let bytesOut = sessions.totals.closedBytesOut;
        for (const s of sessions.all()) {
          bytesIn += s.socket.bytesIn;
          bytesOut += s.socket.bytesOut;
        }
        if (bytesIn > lastIn) this.inc({ direction: 'in' }, bytesIn - lastIn);
        if (bytesOut > lastOut) this.inc({ direction: 'out' }, bytesOut - lastOut);
        lastIn = Math.max(lastIn, bytesIn);
        lastOut = Math.max(lastOut, bytesOut);
      },
    });
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
}
