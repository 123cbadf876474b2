/**
 * The gateway's logger: pino, whose children are made on first use. Fastify makes a child for
 * every request (with the request's id); per-request lines are off below debug level
 * (build-gateway.ts), so most requests never log, and pino's `child` was 1.3k of the typed
 * operation's 198k instructions and 320 bytes of its allocation (callgrind and a sampling heap
 * profile, under load). The laziness sits in `child()` of the logger Fastify is given, not in a
 * `childLoggerFactory`: Fastify checks every logger a factory makes, method by method, at every
 * request (1.3k instructions of the typed operation's 185.5k, callgrind).
 */
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import { pino, type Bindings, type ChildLoggerOptions, type Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
type Level = (typeof LEVELS)[number];

type LogMethod = (...args: unknown[]) => void;

class LazyLogger implements FastifyBaseLogger {
  // On the prototype (below): per-instance closures would cost what the child did.
  declare readonly fatal: LogMethod;
  declare readonly error: LogMethod;
  declare readonly warn: LogMethod;
  declare readonly info: LogMethod;
  declare readonly debug: LogMethod;
  declare readonly trace: LogMethod;

  private constructor(
    private readonly parent: LazyLogger | undefined,
    private made: FastifyBaseLogger | undefined,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions | undefined,
  ) {}

  /** `logger` itself, with children made on first use. */
  static over(logger: Logger): LazyLogger {
    return new LazyLogger(undefined, logger, {}, undefined);
  }

  /** The real logger, made on first use. */
  logger(): FastifyBaseLogger {
    return (this.made ??= this.parent!.logger().child(this.bindings, this.options));
  }

  get level(): string {
    return this.made?.level ?? this.options?.level ?? this.parent!.level;
  }

  set level(level: string) {
    this.logger().level = level;
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    // The pino logger's own children are made at once: Fastify's logger is one of them, made once
    // at start, and Fastify changes the options it gave once the call returns. Theirs (one a
    // request) wait for their first line.
    if (this.parent === undefined) return new LazyLogger(this, this.logger().child(bindings, options), bindings, options);
    return new LazyLogger(this, undefined, bindings, options);
  }
}

for (const level of LEVELS) {
  (LazyLogger.prototype as unknown as Record<Level, LogMethod>)[level] = function (this: LazyLogger, ...args: unknown[]) {
    const logger = this.logger();
    (logger[level] as (...a: unknown[]) => void).apply(logger, args);
  };
}

type LoggerOption = FastifyServerOptions['logger'];

/**
 * Fastify's logger settings for a gateway logging per `option` (pino's options with Fastify's
 * `stream` and `file`, `true` for info, `false` for none): pino made here, as Fastify would, and
 * handed over lazy, unless `eager` (every request logs anyway).
 */
export function loggerSettings(option: LoggerOption, eager: boolean): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
  if (option === false || option === undefined) return { logger: false };
  const { stream, file, ...options } = option === true ? {} : (option as { stream?: pino.DestinationStream; file?: string });
  const destination = stream ?? (file === undefined ? stdout() : pino.destination(file));
  // Eager: Fastify makes the logger, with its serializers of requests and replies for their lines.
  if (eager) return { logger: { ...options, stream: destination } };
  return { loggerInstance: LazyLogger.over(pino({ level: 'info', ...options }, destination)) };
}

/**
 * Standard output, written as each line is logged (as the demo service's). pino's default writes it
 * in the background and flushes what is left as the process exits: with the reader of stdout gone
 * (a supervisor's log pipe closed), that flush retried EPIPE for ever (sonic-boom 4's flushSync
 * retries every error), and a SIGTERM never ended the gateway. A write that fails with EPIPE stops
 * the logging instead (pino), and nothing is left to flush. The gateway logs at start and stop, on
 * 5xx and per request only below info: these writes are not on the hot path.
 */
function stdout(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: true });
}
