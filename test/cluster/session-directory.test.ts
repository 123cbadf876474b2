/**
 * The session directory against a real Redis (redis-server on loopback, started here; SPEC §8):
 * names unique under concurrent claims, free again when their owner's lease runs out, and what
 * happens when Redis goes away and comes back empty — refused (503), never guessed.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../../scripts/cluster/redis-server.js';
import { SessionDirectory } from '../../src/gateway/cluster/session-directory.js';
import { EPOCH_KEY, KEY_PREFIX } from '../../src/gateway/cluster/directory-scripts.js';
import { until } from '../support/until.js';

const LEASE_MS = 500;
let redis: RedisServer;
const open: SessionDirectory[] = [];

beforeAll(async () => {
  redis = await startRedis({ newDirectory: true });
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.stop()));
});

/** A started directory holding the names in `held` (what its gateway would hold). */
async function directory(instance: string, held = new Set<string>(), evicted: string[] = [], timing = { heartbeatMs: 100, leaseMs: LEASE_MS }): Promise<SessionDirectory> {
  const d = new SessionDirectory({ redisUrl: redis.url, instance, ...timing });
  open.push(d);
  await d.connect();
  await d.start(`http://127.0.0.1:1/${instance}`, { names: () => held.values(), evict: (name) => evicted.push(name) }, { info: () => undefined, warn: () => undefined });
  return d;
}

const code = (p: Promise<unknown>) => p.then(() => 'OK', (err: { code?: string }) => err.code);

describe('the session directory', () => {
  it('gives a name to one claimer of many racing for it', async () => {
    const ds = await Promise.all(['a', 'b', 'c'].map((i) => directory(i)));
    for (let n = 0; n < 20; n++) {
      const results = await Promise.all(ds.map((d) => code(d.claim(`race-${n}`))));
      expect(results.filter((r) => r === 'OK'), results.join()).toHaveLength(1);
      expect(results.filter((r) => r === 'SESSION_EXISTS')).toHaveLength(2);
    }
  });

  it('looks a name up to its owner; a released name is free', async () => {
    const [a, b] = await Promise.all([directory('a'), directory('b')]);
    await a.claim('look');
    expect(await b.lookup('look')).toEqual({ kind: 'up', owner: a.id, url: 'http://127.0.0.1:1/a' });
    a.release('look');
    await until(async () => (await b.lookup('look')).kind === 'none', 'the release reached Redis');
    await b.claim('look');
  });

  it("frees a crashed owner's names when its lease runs out; until then they are taken", async () => {
    const [a, b] = await Promise.all([directory('a'), directory('b')]);
    await a.claim('crash-1');
    await a.stop({ leave: false });
    expect(await code(b.claim('crash-1'))).toBe('SESSION_EXISTS');
    const crashed = Date.now();
    await until(async () => (await b.lookup('crash-1')).kind === 'down', 'the owner is down in the directory', 2 * LEASE_MS + 500);
    expect(Date.now() - crashed).toBeLessThanOrEqual(LEASE_MS + 200);
    expect(await b.lookup('crash-1')).toEqual({ kind: 'down', owner: a.id });
    await b.claim('crash-1');
    expect(await b.lookup('crash-1')).toMatchObject({ kind: 'up', owner: b.id });
  });

  it('Redis down: calls fail fast with DIRECTORY_UNAVAILABLE and the lease runs out; back empty: names re-registered, none handed out for one lease', async () => {
    const held = new Set(['kept-1', 'kept-2']);
    const a = await directory('a', held);
    const b = await directory('b');
    for (const name of held) await a.claim(name);
    expect(a.holdsLease).toBe(true);
    await redis.kill();
    const started = Date.now();
    expect(await code(b.lookup('kept-1'))).toBe('DIRECTORY_UNAVAILABLE');
    expect(await code(b.claim('other'))).toBe('DIRECTORY_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(2500);
    await until(() => !a.holdsLease, "a's lease ran out in its own view", LEASE_MS + 1000);
    await redis.start();
    // Back, empty: the epoch is gone, so this is a rebuilt dataset
    await until(async () => (await b.lookup('kept-1').catch(() => ({ kind: 'error' }))).kind === 'up', 'a registered its names again', 5000);
    expect(await b.lookup('kept-2')).toMatchObject({ kind: 'up', owner: a.id });
    expect(a.holdsLease).toBe(true);
    const probe = new Redis(redis.url);
    const epoch = Number(await probe.get(EPOCH_KEY));
    probe.disconnect();
    // Until one lease after the dataset began, an unknown name is neither handed out nor "not found"
    const answers = await Promise.all([code(b.claim('new-name')), code(b.lookup('nobody'))]);
    if (Date.now() - epoch < LEASE_MS - 50) expect(answers).toEqual(['DIRECTORY_UNAVAILABLE', 'DIRECTORY_UNAVAILABLE']);
    await until(async () => (await code(b.claim('new-name'))) === 'OK', 'the rebuilding window closed', 2 * LEASE_MS);
    expect(await b.lookup('nobody')).toEqual({ kind: 'none' });
  });

  it('a name another instance took while this one had no lease is closed here when it comes back', async () => {
    const held = new Set(['both']);
    const evicted: string[] = [];
    const a = await directory('a', held, evicted);
    await a.claim('both');
    const b = await directory('b');
    // a's lease runs out while it cannot reach Redis, and b takes the name: in one transaction
    // here, so that no heartbeat of a's comes in between
    const admin = new Redis(redis.url);
    await admin.multi().del(`archway:lease:${a.id}`).set('archway:session:both', b.id).sadd(`archway:names:${b.id}`, 'both').exec();
    admin.disconnect();
    await until(() => evicted.includes('both'), 'a closed its session of the name b now holds');
    expect(await b.lookup('both')).toMatchObject({ kind: 'up', owner: b.id });
  });

  it('a release that failed in a Redis blip is not retried over the same name claimed here again', async () => {
    const admin = new Redis(redis.url);
    await admin.set(EPOCH_KEY, '0'); // no rebuilding window left from the restart above
    // No heartbeat during the test: the only retry of the release is the next release's.
    const a = await directory('a', new Set(), [], { heartbeatMs: 60_000, leaseMs: 120_000 });
    const b = await directory('b');
    await a.claim('blip');
    await a.claim('other');
    await admin.call('CLIENT', 'PAUSE', '1500', 'WRITE');
    a.release('blip'); // times out within the pause: kept, to be retried
    await admin.set(`${KEY_PREFIX}test-probe`, '1'); // a write: answered once the pause is over
    admin.disconnect();
    await a.claim('blip'); // the session is made here again
    a.release('other'); // which retries what is kept
    await until(async () => (await b.lookup('other')).kind === 'none', 'the later release reached Redis');
    expect(await b.lookup('blip')).toMatchObject({ kind: 'up', owner: a.id });
  });

  it('a claim whose answer was lost in a Redis blip is released: the name is not left to an instance without its session', async () => {
    const admin = new Redis(redis.url);
    await admin.set(EPOCH_KEY, '0');
    const a = await directory('a', new Set(), [], { heartbeatMs: 60_000, leaseMs: 120_000 });
    const b = await directory('b');
    await admin.call('CLIENT', 'PAUSE', '1500', 'WRITE');
    // Refused in time (REDIS_CALL_MS), though Redis runs the claim once the pause is over.
    expect(await code(a.claim('lost'))).toBe('DIRECTORY_UNAVAILABLE');
    await admin.set(`${KEY_PREFIX}test-probe`, '1');
    admin.disconnect();
    await until(async () => (await code(b.claim('lost'))) === 'OK', 'the name came free for another instance');
  });

  it('a re-registration that failed partway is tried again at the next heartbeat, though the lease is back by then', async () => {
    const admin = new Redis(redis.url);
    await admin.set(EPOCH_KEY, '0');
    const key = (name: string) => `${KEY_PREFIX}session:${name}`;
    const held = new Set(['rr-1', 'rr-2']);
    const a = await directory('a', held);
    for (const name of held) await a.claim(name);
    // The lease is gone (the heartbeat makes it anew and registers the names again), and rr-1's
    // entry is of a type the re-registration cannot read: it fails at the first name.
    await admin.multi().del(`${KEY_PREFIX}lease:${a.id}`, key('rr-1'), key('rr-2')).lpush(key('rr-1'), 'not a name').exec();
    await until(async () => (await admin.exists(`${KEY_PREFIX}lease:${a.id}`)) === 1, 'a heartbeat made the lease anew');
    const beat = Number(await admin.zscore(`${KEY_PREFIX}owners`, a.id));
    await until(async () => Number(await admin.zscore(`${KEY_PREFIX}owners`, a.id)) > beat, 'the next heartbeat, with the lease there');
    await admin.del(key('rr-1'));
    await until(async () => (await admin.get(key('rr-1'))) === a.id, 'rr-1 registered again');
    expect(await admin.get(key('rr-2'))).toBe(a.id);
    admin.disconnect();
  });
});
