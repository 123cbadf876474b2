/**
 * The session directory of several gateways (SPEC §8), in Redis: which instance owns each session
 * name, and where that instance answers. A name is claimed (set-if-absent, directory-scripts.ts)
 * before its socket is created, so names are unique across the cluster; it is released when the
 * session closes; it is free again once its owner's lease runs out (a crash), `leaseMs` after the
 * owner's last heartbeat.
 *
 * Failing closed: every Redis call is bounded (ioredis `commandTimeout`, no offline queue), and a
 * call that fails is DIRECTORY_UNAVAILABLE (503), never a guess. The instance also keeps its own
 * view of its lease, from the moment each successful heartbeat was sent: once it has run out,
 * another instance may have taken over its names, so it stops serving its own sessions (503) until
 * a heartbeat goes through again and its names are re-registered; a name another instance took
 * meanwhile is closed here (`evict`), so one name never reaches two sockets.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { deadline } from '../../core/index.js';
import { ERR_SESSION_EXISTS } from '../errors.js';
import { ERR_DIRECTORY_UNAVAILABLE } from './cluster-errors.js';
import { CLAIM, HEARTBEAT, KEY_PREFIX, LEAVE, LOOKUP, MEMBERS, RECLAIM, RELEASE } from './directory-scripts.js';

/** Longest wait of one Redis call: past it the request is answered 503. */
const REDIS_CALL_MS = 1000;
/** How long a dead owner's names answer SESSION_OWNER_DOWN before they are forgotten (then 404). */
const OWNER_RETENTION_MS = 10 * 60_000;
/** Names sent per re-registration call. */
const RECLAIM_BATCH = 1000;

export interface DirectoryOptions {
  redisUrl: string;
  /** ARCHWAY_INSTANCE: the readable part of the owner id. */
  instance: string;
  heartbeatMs: number;
  leaseMs: number;
}

type Log = Pick<FastifyBaseLogger, 'info' | 'warn'>;
const SILENT: Log = { info: () => undefined, warn: () => undefined };

/** What the directory needs of the instance's own sessions. */
export interface LocalSessions {
  /** Names held here now (live and reserved), re-registered after a lost lease. */
  names(): Iterable<string>;
  /** Closes a session whose name another instance took while this one had no lease. */
  evict(name: string): void;
}

export type Owner = { kind: 'none' } | { kind: 'down'; owner: string } | { kind: 'up'; owner: string; url: string };

export interface Member {
  owner: string;
  url: string;
}

export class SessionDirectory {
  /** This process run's owner id: `<instance>.<random>`. */
  readonly id: string;
  private readonly redis: Redis;
  private readonly options: DirectoryOptions;
  /** The gateway's logger once it has one (the directory is made before the Fastify app). */
  private log: Log = SILENT;
  private url = '';
  private local: LocalSessions | undefined;
  /** performance.now() until which this instance's lease surely holds in Redis. */
  private leaseUntil = 0;
  /** Names closed here whose release did not reach Redis yet (retried at each heartbeat). */
  private readonly unreleased = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** The lease was made anew and this instance's names are not all registered again yet. */
  private needsReregister = false;
  private stopped = false;
  private reachable = true;
  /** Resolves at the first registration: claims and lookups made before it wait for it. */
  private readonly registered: Promise<void>;
  private markRegistered: () => void = () => undefined;

  constructor(options: DirectoryOptions) {
    this.options = options;
    this.id = `${options.instance === '' ? 'gw' : options.instance}.${randomBytes(4).toString('hex')}`;
    this.registered = new Promise((resolve) => (this.markRegistered = resolve));
    this.redis = new Redis(options.redisUrl, {
      lazyConnect: true,
      // Fail fast, never queue: a request waiting on a Redis that is down is answered 503 at once.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: REDIS_CALL_MS,
      connectTimeout: REDIS_CALL_MS,
      // A restarted Redis is found again within a second (ioredis 6's default backs off to 5 s).
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
    // Without a listener an unreachable Redis is an unhandled 'error' event; logged once per outage.
    this.redis.on('error', (err: Error) => {
      if (this.reachable && !this.stopped) this.log.warn({ err: err.message }, 'session directory unreachable');
      this.reachable = false;
    });
    this.redis.on('ready', () => {
      if (!this.reachable) this.log.info('session directory reachable again');
      this.reachable = true;
    });
  }

  /** Connects; start-up fails with a message naming the URL when Redis cannot be reached. */
  async connect(): Promise<void> {
    try {
      await this.redis.connect();
      await this.redis.ping();
    } catch (err) {
      this.redis.disconnect();
      throw new Error(`--redis-url ${this.options.redisUrl}: cannot reach the session directory (${(err as Error).message})`);
    }
  }

  /** Registers this instance under `url` (its internal address) and starts the heartbeat. */
  async start(url: string, local: LocalSessions, log: Log): Promise<void> {
    this.log = log;
    this.url = url;
    this.local = local;
    await this.beat();
  }

  /** This instance may serve its own sessions: its lease holds (SPEC §8: never two owners). */
  get holdsLease(): boolean {
    return performance.now() < this.leaseUntil;
  }

  /** Claims `name` for this instance, or SESSION_EXISTS (any instance holds it) or a 503. */
  async claim(name: string): Promise<void> {
    // A release of an earlier session of this name still waiting for Redis must not undo this claim.
    this.unreleased.delete(name);
    await this.firstRegistration();
    const answer = await this.call('claim', () => CLAIM.run(this.redis, [KEY_PREFIX, this.id, name, this.options.leaseMs])).catch((err: unknown) => {
      // Redis may have run the claim and only its answer been lost: released, or the name stays this instance's.
      this.release(name);
      throw err;
    });
    if (answer === 'OK') return;
    if (answer === 'TAKEN') throw new ERR_SESSION_EXISTS(name);
    if (answer === 'NO_LEASE') this.leaseUntil = 0;
    throw new ERR_DIRECTORY_UNAVAILABLE(answer === 'REBUILDING' ? 'Redis restarted; the instances are registering their sessions again' : "this instance's lease ran out; it is registering again");
  }

  /** Forgets `name` (closed here); retried at each heartbeat until Redis has it. */
  release(name: string): void {
    this.unreleased.add(name);
    void this.flushReleases();
  }

  /** Who owns `name`, as the directory says now. */
  async lookup(name: string): Promise<Owner> {
    await this.firstRegistration();
    const answer = (await this.call('lookup', () => LOOKUP.run(this.redis, [KEY_PREFIX, name, this.options.leaseMs]))) as string[];
    switch (answer[0]) {
      case 'UP':
        return { kind: 'up', owner: answer[1]!, url: answer[2]! };
      case 'DOWN':
        return { kind: 'down', owner: answer[1]! };
      case 'NONE':
        return { kind: 'none' };
      default:
        throw new ERR_DIRECTORY_UNAVAILABLE('Redis restarted; the instances are registering their sessions again');
    }
  }

  /** The live instances (this one included), for a listing of the whole cluster. */
  async members(): Promise<Member[]> {
    await this.firstRegistration();
    const flat = (await this.call('members', () => MEMBERS.run(this.redis, [KEY_PREFIX, this.options.leaseMs]))) as string[];
    if (flat[0] === 'REBUILDING') throw new ERR_DIRECTORY_UNAVAILABLE('Redis restarted; the instances are registering again');
    const out: Member[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ owner: flat[i]!, url: flat[i + 1]! });
    return out;
  }

  /**
   * A clean stop (after every session closed): the lease and whatever names are left go at once.
   * `{ leave: false }` leaves them as a crash would (the lease runs out by itself).
   */
  async stop({ leave = true } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.leaseUntil = 0;
    try {
      if (leave && this.url !== '') await LEAVE.run(this.redis, [KEY_PREFIX, this.id]);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not leave the session directory: its names free themselves when the lease runs out');
    }
    this.redis.disconnect();
  }

  /**
   * One heartbeat: renews the lease (made anew when Redis lost it: then every name held here is
   * registered again, at each heartbeat until that succeeds, and a name another instance took
   * meanwhile is closed here), retries releases, then schedules the next. The lease counts from
   * when the heartbeat was sent.
   */
  private async beat(): Promise<void> {
    if (this.stopped) return;
    const sent = performance.now();
    try {
      const had = await HEARTBEAT.run(this.redis, [KEY_PREFIX, this.id, this.url, this.options.leaseMs, Math.max(OWNER_RETENTION_MS, 10 * this.options.leaseMs)]);
      // Until a re-registration completes: the next heartbeat finds the lease it made and would skip it.
      if (had === 0) this.needsReregister = true;
      if (this.needsReregister) {
        await this.reregister();
        this.needsReregister = false;
      }
      this.leaseUntil = sent + this.options.leaseMs;
      this.markRegistered();
      await this.flushReleases();
    } catch (err) {
      if (this.reachable) this.log.warn({ err: (err as Error).message }, 'session directory heartbeat failed');
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.beat(), Math.max(0, this.options.heartbeatMs - (performance.now() - sent)));
    this.timer.unref();
  }

  private async reregister(): Promise<void> {
    const names = [...(this.local?.names() ?? [])];
    if (names.length > 0) this.log.info({ sessions: names.length }, 'session directory lost this instance: registering its sessions again');
    for (let i = 0; i < names.length; i += RECLAIM_BATCH) {
      const lost = (await RECLAIM.run(this.redis, [KEY_PREFIX, this.id, ...names.slice(i, i + RECLAIM_BATCH)])) as string[];
      for (const name of lost) {
        this.log.warn({ session: name }, 'another instance took this session name while this one had no lease: closing it here');
        this.local?.evict(name);
      }
    }
  }

  private async flushReleases(): Promise<void> {
    if (this.unreleased.size === 0 || !this.reachable) return;
    const names = [...this.unreleased];
    try {
      await RELEASE.run(this.redis, [KEY_PREFIX, this.id, ...names]);
      for (const name of names) this.unreleased.delete(name);
    } catch {
      // kept for the next heartbeat
    }
  }

  private async firstRegistration(): Promise<void> {
    if (this.leaseUntil > 0 || this.stopped) return;
    try {
      await deadline({ timeoutMs: REDIS_CALL_MS }, 'the first registration').race(this.registered);
    } catch {
      throw new ERR_DIRECTORY_UNAVAILABLE('this instance has not registered yet');
    }
  }

  /** A Redis call whose failure is DIRECTORY_UNAVAILABLE, naming what failed. */
  private async call(what: string, fn: () => Promise<unknown>): Promise<unknown> {
    try {
      return await fn();
    } catch (err) {
      throw new ERR_DIRECTORY_UNAVAILABLE(`${what}: ${(err as Error).message}`);
    }
  }
}
