/**
 * Three gateways behind HAProxy with Redis, as `npm run cluster` runs them (real processes on
 * loopback, started here: scripts/cluster/local-cluster.ts; SPEC §8). When haproxy or
 * redis-server is missing, the suite fails with the command that installs them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCluster, type LocalCluster } from '../../scripts/cluster/local-cluster.js';
import type { Loaded, SessionInfo, SessionList } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';
import { callAt } from '../support/http-call.js';
import { runWalkthrough, walkthroughSteps } from '../support/readme-walkthrough.js';

let cluster: LocalCluster;
/** Where each gateway answers directly, and the balancer. */
let direct: string[];

beforeAll(async () => {
  cluster = await startCluster({ heartbeatMs: 200, leaseMs: 1000 });
  direct = cluster.gateways.map((g) => g.url);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const instanceOf = (headers: Record<string, string | string[] | undefined>) => String(headers['x-archway-instance']).split('.')[0];

/** The gateways' forwarded-request counters, summed. */
async function forwarded(): Promise<number> {
  let total = 0;
  for (const base of direct) {
    const text = (await callAt<string>(base, 'GET', '/metrics')).body;
    for (const m of text.matchAll(/^archway_forwarded_requests_total\{outcome="forwarded"\} (\d+)/gm)) total += Number(m[1]);
  }
  return total;
}

describe('through the balancer', () => {
  it("the README's whole curl walkthrough answers as with npm start", async () => {
    const steps = walkthroughSteps();
    const ran = await runWalkthrough(steps, { gateway: cluster.port, demo: cluster.demoPort, server: await freePort() });
    expect(ran).toBeGreaterThanOrEqual(20);
  }, 60_000);

  it('a session created with PUT is served by the instance the name hashes to: no forwarded hop', async () => {
    const before = await forwarded();
    const owners = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const name = `hashed-${i}`;
      const created = await callAt<SessionInfo>(cluster.url, 'PUT', `/sessions/${name}`, { kind: 'stream' });
      expect(created.status).toBe(201);
      owners.add(instanceOf(created.headers));
      expect(instanceOf((await callAt(cluster.url, 'GET', `/sessions/${name}`)).headers)).toBe(instanceOf(created.headers));
      expect(instanceOf((await callAt(cluster.url, 'POST', `/sessions/${name}/listen`, {})).headers)).toBe(instanceOf(created.headers));
      expect((await callAt(cluster.url, 'DELETE', `/sessions/${name}`)).status).toBe(200);
    }
    expect(owners.size, 'twelve names spread over the instances').toBeGreaterThan(1);
    expect(await forwarded()).toBe(before);
  });

  it('a generated name carries its instance, and reaches it directly', async () => {
    const before = await forwarded();
    for (let i = 0; i < 6; i++) {
      const created = await callAt<SessionInfo>(cluster.url, 'POST', '/sessions', { kind: 'datagram' });
      expect(created.status).toBe(201);
      expect(created.body.name.split('-')[0]).toBe(instanceOf(created.headers));
      expect(instanceOf((await callAt(cluster.url, 'GET', `/sessions/${created.body.name}`)).headers)).toBe(instanceOf(created.headers));
      expect((await callAt(cluster.url, 'DELETE', `/sessions/${created.body.name}`)).status).toBe(200);
    }
    expect(await forwarded()).toBe(before);
  });
});

describe('across instances', () => {
  it('a name is given once when every instance is asked for it at the same time', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `uniq-${i}`);
    const answers = await Promise.all(
      names.flatMap((name) => [
        ...direct.map((base) => callAt(base, 'PUT', `/sessions/${name}`, { kind: 'datagram' })),
        ...direct.map((base) => callAt(base, 'POST', '/sessions', { kind: 'datagram', name })),
        callAt(cluster.url, 'PUT', `/sessions/${name}`, { kind: 'datagram' }),
      ]),
    );
    const per = direct.length * 2 + 1;
    names.forEach((name, i) => {
      const mine = answers.slice(i * per, (i + 1) * per);
      expect(mine.filter((r) => r.status === 201), name).toHaveLength(1);
      for (const r of mine.filter((x) => x.status !== 201)) expectProblem(r, 409, 'SESSION_EXISTS');
    });
    const listed = (await callAt<SessionList>(cluster.url, 'GET', '/sessions')).body.sessions.map((s) => s.name).filter((n) => n.startsWith('uniq-'));
    expect(listed.sort()).toEqual([...names].sort());
    await Promise.all(names.map((name) => callAt(cluster.url, 'DELETE', `/sessions/${name}`)));
  });

  it('a session made by accept on one instance is reached through any, and through the balancer', async () => {
    const [g1, g2, g3] = direct as [string, string, string];
    expect((await callAt(g1, 'PUT', '/sessions/acc-srv', { kind: 'stream' })).status).toBe(201);
    const listening = await callAt<SessionInfo>(g1, 'POST', '/sessions/acc-srv/listen', {});
    expect((await callAt(g2, 'PUT', '/sessions/acc-cli', { kind: 'stream' })).status).toBe(201);
    // connect through g3 (forwarded to g2), accept through g3 (forwarded to g1)
    expect((await callAt(g3, 'POST', '/sessions/acc-cli/connect', { host: '127.0.0.1', port: listening.body.local!.port })).status).toBe(200);
    const accepted = await callAt<SessionInfo>(g3, 'POST', '/sessions/acc-srv/accept', { as: 'acc-conn', timeoutMs: 5000 });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(instanceOf(accepted.headers)).toBe('g1');
    for (const [i, base] of [g1, g2, g3, cluster.url].entries()) {
      expect((await callAt(g2, 'POST', '/sessions/acc-cli/store', { type: 'DWORD', value: 100 + i })).status).toBe(200);
      const loaded = await callAt<Loaded<number>>(base, 'POST', '/sessions/acc-conn/load', { type: 'DWORD', timeoutMs: 5000 });
      expect(loaded.body.value, base).toBe(100 + i);
      expect(instanceOf(loaded.headers)).toBe('g1');
    }
    for (const name of ['acc-conn', 'acc-cli', 'acc-srv']) expect((await callAt(cluster.url, 'DELETE', `/sessions/${name}`)).status).toBe(200);
  });
});
