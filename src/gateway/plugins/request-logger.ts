/**
 * Each request's logger (Fastify's `childLoggerFactory`): the pino child with the request's id is
 * made when the request first logs. Per-request lines are off below debug level (build-gateway.ts),
 * so most requests never log, and pino's `child` was 1.3k of the typed operation's 198k
 * instructions and 320 bytes of its allocation (callgrind and a sampling heap profile, under load).
 */
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
type Level = (typeof LEVELS)[number];

type LogMethod = (...args: unknown[]) => void;

class RequestLogger implements FastifyBaseLogger {
  // On the prototype (below): per-instance closures would cost what the child did.
  declare readonly fatal: LogMethod;
  declare readonly error: LogMethod;
  declare readonly warn: LogMethod;
  declare readonly info: LogMethod;
  declare readonly debug: LogMethod;
  declare readonly trace: LogMethod;
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions | undefined,
  ) {}

  /** The pino child, made on first use. */
  logger(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.made?.level ?? this.options?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger().level = level;
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger().child(bindings, options);
  }
}

for (const level of LEVELS) {
  (RequestLogger.prototype as unknown as Record<Level, LogMethod>)[level] = function (this: RequestLogger, ...args: unknown[]) {
    const logger = this.logger();
    (logger[level] as (...a: unknown[]) => void).apply(logger, args);
  };
}

export const requestLogger: NonNullable<FastifyServerOptions['childLoggerFactory']> = (logger, bindings, options) =>
  new RequestLogger(logger, bindings, options);
