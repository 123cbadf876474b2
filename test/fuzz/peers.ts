/**
 * Loopback peers for the sessions the fuzz drives: the demo archive service (order and echo modes,
 * each with its UDP echo), a peer that sends bytes that match no type, one that closes at once, one
 * that never reads, and a port that refuses. All bound to 127.0.0.1.
 */
import net from 'node:net';
import dgram from 'node:dgram';
import { startDemoService, type DemoService } from '../../src/demo/index.js';
import { Rng } from './prng.js';

export interface Peers {
  order: DemoService;
  echo: DemoService;
  garbage: number;
  closer: number;
  silent: number;
  /** A TCP and a UDP port that were bound and closed again: nothing listens there. */
  closedTcp: number;
  closedUdp: number;
  /** Connections the peers accepted (a cheap proof that sessions reached them). */
  accepted: { garbage: number; closer: number; silent: number };
  close(): Promise<void>;
}

async function listen(onConnection: (s: net.Socket) => void): Promise<net.Server> {
  const server = net.createServer(onConnection);
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 64 }, r));
  return server;
}

export async function startPeers(seed: number): Promise<Peers> {
  const rng = new Rng(seed, 0x9eed);
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  };
  const accepted = { garbage: 0, closer: 0, silent: 0 };
  const order = await startDemoService({ port: 0, host: '127.0.0.1', mode: 'order' });
  const echo = await startDemoService({ port: 0, host: '127.0.0.1', mode: 'echo' });
  const garbage = await listen((s) => {
    track(s);
    accepted.garbage++;
    let sent = 0;
    const t = setInterval(() => {
      if (s.destroyed || sent > 16 * 1024) return clearInterval(t);
      const chunk = rng.bytes(rng.int(1, 64));
      sent += chunk.length;
      s.write(chunk);
    }, 40);
    s.on('data', () => undefined);
    s.on('close', () => clearInterval(t));
  });
  const closer = await listen((s) => {
    track(s);
    accepted.closer++;
    // After the gateway has seen the connection open: a graceful close, or (every other) a reset.
    const reset = accepted.closer % 2 === 0;
    setTimeout(() => (reset ? s.resetAndDestroy() : s.end()), 150);
  });
  const silent = await listen((s) => {
    track(s);
    accepted.silent++;
    s.pause();
  });
  const probe = await listen(() => undefined);
  const closedTcp = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const u = dgram.createSocket('udp4');
  await new Promise<void>((r) => u.bind(0, '127.0.0.1', r));
  const closedUdp = u.address().port;
  await new Promise<void>((r) => u.close(() => r()));
  const servers = [garbage, closer, silent];
  return {
    order,
    echo,
    garbage: (garbage.address() as net.AddressInfo).port,
    closer: (closer.address() as net.AddressInfo).port,
    silent: (silent.address() as net.AddressInfo).port,
    closedTcp,
    closedUdp,
    accepted,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((srv) => new Promise<void>((r) => srv.close(() => r()))));
      await Promise.all([order.close(), echo.close()].map((p) => Promise.race([p, new Promise((r) => setTimeout(r, 2000))])));
    },
  };
}
