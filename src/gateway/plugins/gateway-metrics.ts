/**
 * Prometheus metrics of one gateway instance (its own prom-client Registry: two instances in one
 * process never mix their figures). What every request touches — bytes moved, messages handled,
 * each route's latency — is tallied in plain numbers and handed to prom-client when scraped, with
 * its `collect`: prom-client's inc and observe rebuild a label hash string at every call, even on
 * a bound child (8k of the typed operation's 215k instructions per request, callgrind). Errors,
 * rare, go to prom-client directly; the sessions gauge is read from the registry when scraped.
 */
import type { FastifyInstance, onResponseHookHandler } from 'fastify';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ByteCounter } from '../sessions/session.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { RouteLatency } from './route-latency.js';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class GatewayMetrics {
  readonly registry = new Registry();
  /** Counted as things happen, handed to prom-client when scraped. */
  private readonly tally = { bytesIn: 0, bytesOut: 0, messages: new Map<string, number>() };
  readonly errors: Counter<'code'>;
  /** Recorded only through `timeRoutes`' recorders (its inherited observe() is not exported). */
  private readonly latency: RouteLatency;
  /** What sessions report the bytes their sockets move to. */
  readonly bytes: ByteCounter;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'archway_' });
    const tally = this.tally;
    this.bytes = { received: (n) => void (tally.bytesIn += n), sent: (n) => void (tally.bytesOut += n) };
    new Counter({
      name: 'archway_socket_bytes_total',
      help: 'Bytes received from and sent to peers by sessions',
      labelNames: ['direction'] as const,
      registers,
      collect() {
        this.reset();
        this.inc({ direction: 'in' }, tally.bytesIn);
        this.inc({ direction: 'out' }, tally.bytesOut);
      },
    });
    new Counter({
      name: 'archway_messages_total',
      help: 'Archive messages and datagrams handled, by operation',
      labelNames: ['op'] as const,
      registers,
      collect() {
        this.reset();
        for (const [op, n] of tally.messages) this.inc({ op }, n);
      },
    });
    this.errors = new Counter({
      name: 'archway_errors_total',
      help: 'Error answers, by code',
      labelNames: ['code'] as const,
      registers,
    });
    this.latency = new RouteLatency('archway_request_duration_seconds', 'HTTP request latency, by route', LATENCY_BUCKETS, registers);
  }

  /** Counts `n` messages of operation `op`. */
  message(op: string, n = 1): void {
    const messages = this.tally.messages;
    messages.set(op, (messages.get(op) ?? 0) + n);
  }

  /**
   * Times every route of `app` registered from now on: each gets an onResponse hook holding its own
   * recorder (a global hook would read `req.routeOptions.url`, an object of twelve fields built at
   * every read). Unmatched URLs are not timed: they are counted as ROUTE_NOT_FOUND errors.
   */
  timeRoutes(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const record = this.latency.recorder(route.url);
      // A callback hook, not an async one: no promise per request for a histogram sample.
      const observe: onResponseHookHandler = (_req, reply, done) => {
        record(reply.elapsedTime / 1000);
        done();
      };
      route.onResponse = [...[route.onResponse ?? []].flat(), observe];
    });
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
