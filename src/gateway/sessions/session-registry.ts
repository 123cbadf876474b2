/**
 * The sessions of one gateway instance, by name (SPEC §3). Nothing here is process-global, so
 * several instances can run side by side (SPEC §8); generated names carry the instance prefix.
 * Caps the number of sessions (a name is reserved before any await, so concurrent creates cannot
 * overshoot) and closes sessions idle longer than the policy allows.
 */
import { randomBytes } from 'node:crypto';
import { ByteBudget, ERR_OVERLOADED } from '../../core/index.js';
import { codePageExists, ERR_VALIDATION, type TypeRegistry } from '../../archive/index.js';
import type { ArchiveLifetime } from '../../archive-io/index.js';
import { DatagramSocket, StreamSocket, type CloseResult } from '../../sockets/index.js';
import type { Config } from '../config.js';
import { ERR_SESSION_EXISTS, ERR_SESSION_NOT_FOUND, ERR_SHUTTING_DOWN, ERR_TOO_MANY_SESSIONS } from '../errors.js';
import { Session, type ByteCounter, type SessionInfoJson, type SessionLimits, type SessionOptions } from './session.js';
import type { TargetPolicy } from './target-policy.js';

export interface CreateSession {
  name?: string;
  kind: 'stream' | 'datagram';
  port?: number;
  address?: string;
  pipeline?: number;
  archiveLifetime?: ArchiveLifetime;
  profile?: SessionOptions['wire']['profile'];
  codePage?: number;
}

const RESERVED = Symbol('reserved');

/**
 * Where names are made unique beyond this instance (several gateways: the session directory,
 * SPEC §8): a name is claimed before its socket is created and released when the session closes.
 */
export interface NameClaims {
  claim(name: string): Promise<void>;
  release(name: string): void;
}

export interface RegistryOptions {
  /** Counts the bytes the sessions move (the metrics). */
  counter?: ByteCounter;
  /** Several gateways: the session directory. */
  claims?: NameClaims;
  /** True for a session held open by a client other than HTTP requests (a WebSocket, an event stream): never idle. */
  heldOpen?: (s: Session) => boolean;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session | typeof RESERVED>();
  private readonly config: Config;
  private readonly policy: TargetPolicy;
  private readonly types: TypeRegistry;
  private sweeper: NodeJS.Timeout | undefined;
  private closing = false;
  /** Bytes held for all sessions' peers: received and unread, queued and unsent (SPEC §5). */
  readonly budget: ByteBudget;
  private readonly limits: SessionLimits;
  private readonly heldOpen: (s: Session) => boolean;
  private readonly claims: NameClaims | undefined;

  constructor(config: Config, policy: TargetPolicy, types: TypeRegistry, options: RegistryOptions = {}) {
    this.config = config;
    this.claims = options.claims;
    this.heldOpen = options.heldOpen ?? (() => false);
    this.policy = policy;
    this.types = types;
    this.budget = new ByteBudget(config.maxMemoryBytes);
    this.limits = { maxBufferedBytes: config.maxBufferedBytes, maxQueuedBytes: config.maxQueuedBytes, budget: this.budget, counter: options.counter };
    if (config.idleTimeoutMs > 0) {
      this.sweeper = setInterval(() => this.sweep(), Math.min(30_000, Math.max(100, config.idleTimeoutMs / 4)));
      this.sweeper.unref();
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Live sessions (not the names reserved by creates in progress). */
  *all(): IterableIterator<Session> {
    for (const s of this.sessions.values()) if (s !== RESERVED) yield s;
  }

  /** What `GET /sessions` lists of this instance: every live session's info. */
  list(): SessionInfoJson[] {
    return [...this.all()].map((s) => s.info());
  }

  /** Every name held here: live sessions and those being created. */
  names(): IterableIterator<string> {
    return this.sessions.keys();
  }

  /** A session of that name is here, live or being created. */
  has(name: string): boolean {
    return this.sessions.has(name);
  }

  get(name: string): Session {
    const s = this.sessions.get(name);
    if (s === undefined || s === RESERVED) throw new ERR_SESSION_NOT_FOUND(name);
    s.lastUsed = Date.now();
    return s;
  }

  /** Reserves a name under the cap; `fill` builds the session, or the reservation is dropped. */
  async register(name: string | undefined, fill: (name: string) => Promise<Session>): Promise<Session> {
    if (this.closing) throw new ERR_SHUTTING_DOWN();
    if (this.sessions.size >= this.config.maxSessions) throw new ERR_TOO_MANY_SESSIONS(this.config.maxSessions);
    if (this.budget.over) {
      throw new ERR_OVERLOADED(`the gateway holds ${this.budget.held} bytes for its peers, its limit (ARCHWAY_MAX_MEMORY_BYTES): no new session until peers read or sessions close`)
        .with({ held: this.budget.held, limit: this.budget.limit });
    }
    const chosen = name ?? this.generateName();
    if (this.sessions.has(chosen)) throw new ERR_SESSION_EXISTS(chosen);
    this.sessions.set(chosen, RESERVED);
    let claimed = false;
    try {
      if (this.claims !== undefined) {
        await this.claims.claim(chosen);
        claimed = true;
      }
      const session = await fill(chosen);
      if (this.closing) {
        await session.close(this.config.closeTimeoutMs);
        throw new ERR_SHUTTING_DOWN();
      }
      this.sessions.set(chosen, session);
      return session;
    } catch (err) {
      this.sessions.delete(chosen);
      if (claimed) this.claims?.release(chosen);
      throw err;
    }
  }

  /** `POST /sessions`: binds the socket as MFC's Create does (after the policy allows it). */
  create(req: CreateSession): Promise<Session> {
    const port = req.port ?? 0;
    const listenAddress = this.policy.defaultBindAddress;
    if (req.address !== undefined || port !== 0) this.policy.checkBind(req.address ?? listenAddress, port);
    const options = this.sessionOptions(req);
    return this.register(req.name, async (name) => {
      const socket =
        req.kind === 'stream'
          ? await StreamSocket.create({ port, address: req.address, listenAddress, maxBufferedBytes: this.config.maxBufferedBytes })
          : await DatagramSocket.create({ port, address: req.address ?? listenAddress, maxQueuedBytes: this.config.maxBufferedBytes });
      return new Session(name, socket, options, this.types, this.limits);
    });
  }

  /** The session object of a connection accepted on `from` (register it with `register`). */
  accepted(name: string, socket: StreamSocket, from: Session, overrides: Partial<CreateSession> = {}): Session {
    const base = from.options;
    const options: SessionOptions = {
      pipeline: overrides.pipeline ?? base.pipeline,
      archiveLifetime: overrides.archiveLifetime ?? base.archiveLifetime,
      wire: base.wire,
    };
    return new Session(name, socket, options, this.types, this.limits);
  }

  sessionOptions(req: Partial<CreateSession>): SessionOptions {
    const wire: SessionOptions['wire'] = {};
    if (req.profile !== undefined) wire.profile = req.profile;
    if (req.codePage !== undefined) {
      // Refused here, not at the first store: a session whose strings cannot be encoded is no use.
      if (!codePageExists(req.codePage)) throw new ERR_VALIDATION(`code page ${req.codePage} is not supported; use one iconv-lite knows (1252, 932, 936, 949, 950, 125x, 437, 850…)`).with({ in: 'body', path: '/codePage' });
      wire.codePage = req.codePage;
    }
    return { pipeline: req.pipeline ?? 1, archiveLifetime: req.archiveLifetime ?? 'connection', wire };
  }

  /**
   * Closes a session and forgets it: its store archive flushes within ARCHWAY_CLOSE_TIMEOUT_MS, then
   * the connection is dropped whatever is left; the result says what did not go out.
   */
  async remove(name: string): Promise<{ session: Session; result: CloseResult }> {
    const s = this.get(name);
    this.sessions.delete(name);
    this.claims?.release(name);
    const result = await s.close(this.config.closeTimeoutMs);
    return { session: s, result };
  }

  /** Closes sessions no HTTP client used for `idleTimeoutMs`. */
  sweep(now = Date.now()): string[] {
    const idle: string[] = [];
    for (const s of this.all()) if (now - s.lastUsed >= this.config.idleTimeoutMs && !this.heldOpen(s)) idle.push(s.name);
    for (const name of idle) void this.remove(name).catch(() => undefined);
    return idle;
  }

  /** Shutdown: no new sessions; every session flushed and closed. */
  async closeAll(): Promise<void> {
    this.closing = true;
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    const names = [...this.all()].map((s) => s.name);
    await Promise.allSettled(names.map((n) => this.remove(n)));
  }

  private generateName(): string {
    for (;;) {
      const id = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x');
      const name = this.config.instance === '' ? `s-${id}` : `${this.config.instance}-${id}`;
      if (!this.sessions.has(name)) return name;
    }
  }
}
