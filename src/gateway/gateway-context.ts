/** What the route plugins of one gateway instance share (passed as plugin options, never global). */
import type { TypeRegistry } from '../archive/index.js';
import { ERR_VALIDATION } from '../archive/index.js';
import type { Config } from './config.js';
import type { GatewayMetrics } from './plugins/gateway-metrics.js';
import type { TicketBook } from './plugins/ticket-book.js';
import type { SessionRegistry } from './sessions/session-registry.js';
import type { SessionStreams } from './streams/session-streams.js';
import type { TargetPolicy } from './sessions/target-policy.js';

export interface GatewayContext {
  config: Config;
  sessions: SessionRegistry;
  types: TypeRegistry;
  policy: TargetPolicy;
  metrics: GatewayMetrics;
  /** What browsers stream from sessions: event journals, WebSockets, streams held open. */
  streams: SessionStreams;
  /** Stream tickets for EventSource and WebSocket (POST /tickets). */
  tickets: TicketBook;
  /** The OpenAPI document as it is now (types added at run time included). */
  openapi: () => Record<string, unknown>;
}

/** The wait a request asked for, or the default; above the cap it is refused, not clamped. */
export function waitMs(config: Config, given: number | undefined, path = '/timeoutMs', where: 'body' | 'query' = 'body'): number {
  if (given === undefined) return config.defaultTimeoutMs;
  if (given > config.maxTimeoutMs) {
    throw new ERR_VALIDATION(`${where === 'body' ? 'body' : 'querystring'}${path} ${given} exceeds the longest wait allowed, ${config.maxTimeoutMs} ms (ARCHWAY_MAX_TIMEOUT_MS)`).with({ path, in: where });
  }
  return given;
}
