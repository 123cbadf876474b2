/**
 * What a client sees through HAProxy when one gateway dies or Redis restarts (SPEC §8; README
 * "Running several gateways"), on a real local cluster started here (heartbeat 200 ms, lease
 * 1000 ms): the dead instance's sessions answer 503 SESSION_OWNER_DOWN at once and its names are
 * free within the lease, while exchanges on the others go on with no error; a Redis that loses its
 * data costs 503 DIRECTORY_UNAVAILABLE for a moment, never a wrong session. The tests run in order
 * on one cluster, each leaving it as the next expects.
 */
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type LocalCluster } from '../../scripts/cluster/local-cluster.js';
import { referenceOrder } from '../../src/demo/index.js';
import type { Loaded, Reply } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';
import { callAt } from '../support/http-call.js';
import { until } from '../support/until.js';

const LEASE_MS = 1000;
let cluster: LocalCluster;
/** Session names by the instance that owns them (g1, g2, g3), and the other way round. */
const owned = new Map<string, string[]>();
const ownerOf = new Map<string, string>();

beforeAll(async () => {
  cluster = await startCluster({ heartbeatMs: 200, leaseMs: LEASE_MS });
  // Sessions made as clients make them through the balancer, so that each is reached on its owner
  // without a hop: twelve with PUT (the name's hash picks the owner), three with POST (round robin:
  // one on each instance; the generated name carries its prefix), each connected to the demo service.
  const made: Reply<{ name: string }>[] = [];
  for (let i = 0; i < 12; i++) made.push(await callAt(cluster.url, 'PUT', `/sessions/fo-${i}`, { kind: 'stream' }));
  for (let i = 0; i < 3; i++) made.push(await callAt(cluster.url, 'POST', '/sessions', { kind: 'stream' }));
  for (const r of made) {
    expect(r.status).toBe(201);
    owned.set(instanceOf(r), [...(owned.get(instanceOf(r)) ?? []), r.body.name]);
    ownerOf.set(r.body.name, instanceOf(r));
    expect((await callAt(cluster.url, 'POST', `/sessions/${r.body.name}/connect`, { host: '127.0.0.1', port: cluster.demoPort })).status).toBe(200);
  }
  expect([...owned.keys()].sort()).toEqual(['g1', 'g2', 'g3']);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const instanceOf = (r: Reply) => String(r.headers['x-archway-instance']).split('.')[0];

/** One Order → OrderAck exchange on `name` through the balancer; the answer must be this Order's. */
async function exchange(name: string, id: number, dispatcher?: Agent): Promise<Reply<Loaded<{ id: number }>>> {
  const body = { request: { type: 'Order', value: referenceOrder(id) }, response: { type: 'OrderAck' }, timeoutMs: 5000 };
  return callAt<Loaded<{ id: number }>>(cluster.url, 'POST', `/sessions/${name}/exchange`, body, {}, dispatcher);
}

/** Lock-step exchanges on `names` through the balancer until `stop()`; counts what was not right. */
function keepExchanging(names: readonly string[], owners: Map<string, string>) {
  let running = true;
  const counts = { ok: 0, errors: [] as string[] };
  let id = 1;
  // Connections of its own: they only ever carry these sessions, so a gateway that dies under
  // another session's kept-alive connection never closes one of them mid-request.
  const agent = new Agent();
  const loops = names.map(async (name) => {
    while (running) {
      const n = id++;
      const r = await exchange(name, n, agent).catch((err: Error) => ({ status: 0, body: { message: err.message }, headers: {} }) as unknown as Reply<Loaded<{ id: number }>>);
      if (r.status === 200 && r.body.value.id === n && instanceOf(r) === owners.get(name)) counts.ok++;
      else counts.errors.push(`${name}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  });
  return {
    counts,
    async stop() {
      running = false;
      await Promise.all(loops);
      await agent.close();
      return counts;
    },
  };
}

describe('an instance killed with SIGKILL', () => {
  it('its sessions answer 503 SESSION_OWNER_DOWN, the others keep exchanging with no error, its names come free within the lease', async () => {
    const victim = cluster.gateways[1]!;
    const survivors = [...owned.get('g1')!, ...owned.get('g3')!];
    const load = keepExchanging(survivors, ownerOf);
    await until(() => load.counts.ok >= 20, 'exchanges are flowing');
    const atKill = load.counts.ok;
    await victim.stop('SIGKILL');
    const killed = Date.now();
    // New connections from here on: HAProxy closes the kept-alive ones that led to the dead gateway,
    // and a request sent on one as it closes fails before any answer (see the last test below).
    const fresh = new Agent();
    const call = (base: string, method: string, path: string, body?: unknown) => callAt(base, method, path, body, {}, fresh);

    // Its sessions: 503 SESSION_OWNER_DOWN, through the balancer and through each survivor, at once
    let firstAnswerMs: number | undefined;
    for (const name of owned.get('g2')!) {
      for (const base of [cluster.url, cluster.gateways[0]!.url, cluster.gateways[2]!.url]) {
        expectProblem(await call(base, 'POST', `/sessions/${name}/exchange`, { request: { type: 'DWORD', value: 1 }, response: { type: 'DWORD' } }), 503, 'SESSION_OWNER_DOWN', { session: name });
        firstAnswerMs ??= Date.now() - killed;
      }
    }
    expect(firstAnswerMs).toBeLessThan(LEASE_MS);

    // Its names are free once its lease has run out: created again, on a live instance
    const name = owned.get('g2')![0]!;
    await until(async () => (await call(cluster.url, 'PUT', `/sessions/${name}`, { kind: 'datagram' })).status === 201, `'${name}' can be created again`, 3 * LEASE_MS);
    // free one lease after the last heartbeat (sent at most a heartbeat before the kill), give or take the load here
    expect(Date.now() - killed).toBeLessThan(2 * LEASE_MS);
    const reborn = await call(cluster.url, 'GET', `/sessions/${name}`);
    expect(reborn.status).toBe(200);
    expect(['g1', 'g3']).toContain(instanceOf(reborn));
    // The others: still answering 503 SESSION_OWNER_DOWN (gone with their socket), never another session
    for (const other of owned.get('g2')!.slice(1)) expectProblem(await call(cluster.url, 'GET', `/sessions/${other}`), 503, 'SESSION_OWNER_DOWN');

    // Exchanges on the survivors' sessions went on through all of it, with no error
    await until(() => load.counts.ok >= atKill + 50, 'more exchanges after the kill');
    const counts = await load.stop();
    expect(counts.errors).toEqual([]);
    expect((await call(cluster.url, 'DELETE', `/sessions/${name}`)).status).toBe(200);
    await fresh.close();
  }, 30_000);
});

describe('Redis restarted (its data lost)', () => {
  it('while it is down: 503 DIRECTORY_UNAVAILABLE or the right session, never another; back: every session where it was, names still unique', async () => {
    const names = [...owned.get('g1')!, ...owned.get('g3')!];
    const seen: string[] = [];
    /** Every answer must be the session's own (its owner, its Order) or a 503 DIRECTORY_UNAVAILABLE. */
    const probe = async (name: string, id: number) => {
      const r = await exchange(name, id);
      if (r.status === 200) {
        expect(instanceOf(r), name).toBe(ownerOf.get(name));
        expect(r.body.value.id).toBe(id);
        seen.push('ok');
      } else {
        expectProblem(r, 503, 'DIRECTORY_UNAVAILABLE');
        seen.push('503');
      }
    };
    await cluster.redis.kill();
    const down = Date.now();
    expectProblem(await callAt(cluster.url, 'PUT', '/sessions/while-down', { kind: 'stream' }), 503, 'DIRECTORY_UNAVAILABLE');
    expectProblem(await callAt(cluster.url, 'GET', '/sessions'), 503, 'DIRECTORY_UNAVAILABLE');
    let id = 1000;
    // Past the lease, no instance serves even its own sessions
    while (Date.now() - down < LEASE_MS + 300) for (const name of names) await probe(name, id++);
    for (const name of names) {
      expectProblem(await callAt(cluster.url, 'GET', `/sessions/${name}`), 503, 'DIRECTORY_UNAVAILABLE');
      expectProblem(await callAt(cluster.gateways[0]!.url, 'GET', `/sessions/${name}`), 503, 'DIRECTORY_UNAVAILABLE');
    }
    expect(seen).toContain('503');

    await cluster.redis.start();
    const back = Date.now();
    // Every session answers again, through any instance, from its owner
    await until(async () => {
      const answers = await Promise.all(names.map((n, i) => exchange(n, 5000 + i)));
      return answers.every((r, i) => r.status === 200 && r.body.value.id === 5000 + i && instanceOf(r) === ownerOf.get(names[i]!));
    }, 'every session answers from its owner again', 5000);
    for (const name of names) {
      for (const g of [cluster.gateways[0]!, cluster.gateways[2]!]) {
        const r = await callAt(g.url, 'GET', `/sessions/${name}`);
        expect(r.status).toBe(200);
        expect(instanceOf(r)).toBe(ownerOf.get(name));
      }
    }
    // New names are handed out again, at most one lease after Redis came back (503 until then) …
    await until(async () => (await callAt(cluster.url, 'PUT', '/sessions/after-restart', { kind: 'stream' })).status === 201, 'creation works again', LEASE_MS + 2000);
    expect(Date.now() - back).toBeLessThan(LEASE_MS + 1500);
    // … and names are still unique: a session's name cannot be taken on another instance
    expectProblem(await callAt(cluster.gateways[2]!.url, 'PUT', `/sessions/${owned.get('g1')![0]}`, { kind: 'stream' }), 409, 'SESSION_EXISTS');
  }, 30_000);
});

describe('every instance down', () => {
  it("the balancer's own answer is problem JSON: 503 GATEWAY_UNAVAILABLE", async () => {
    await Promise.all(cluster.gateways.map((g) => g.stop('SIGKILL')));
    // On a new connection: HAProxy closes the kept-alive ones whose gateway died, and a request
    // sent on one as it closes fails before any answer (a browser would retry it on a new one)
    const fresh = new Agent();
    const res = await request(`${cluster.url}/sessions/fo-0`, { dispatcher: fresh });
    const r = { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as unknown };
    await fresh.close();
    expectProblem(r, 503, 'GATEWAY_UNAVAILABLE');
  });
});
