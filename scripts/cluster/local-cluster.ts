/**
 * Several gateways on one machine, on loopback (SPEC §8): Debian's redis-server (a throw-away data
 * folder, no persistence), one demo archive service shared by every gateway (as one legacy service
 * would be), the gateways (`archway serve` with ARCHWAY_REDIS_URL, instances g1, g2, g3…), and
 * HAProxy with deploy/haproxy/haproxy.cfg in front. `npm run cluster` runs it; the cluster tests
 * and `npm run bench:cluster` start it themselves. Needs the dist/ build (bin/archway.js).
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBinary, launch, type Child } from './child-process.js';
import { freePort, startRedis, type RedisServer } from './redis-server.js';

export { freePort };

/** The repository root (this file is scripts/cluster/*.ts, or dist/scripts/cluster/*.js). */
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), fileURLToPath(import.meta.url).includes('/dist/') ? '../../..' : '../..');
export const HAPROXY_CFG = join(ROOT, 'deploy', 'haproxy', 'haproxy.cfg');
const HOST = '127.0.0.1';

export interface ClusterOptions {
  /** The balancer's port (0: any free port). */
  port?: number;
  /** The demo service's port, TCP and UDP (0: any free port). */
  demoPort?: number;
  /** Gateways behind the balancer (the HAProxy config names three). */
  gateways?: number;
  heartbeatMs?: number;
  leaseMs?: number;
  /** The gateways' log level: info or lower (their start is seen in the 'listening' line, at info). */
  logLevel?: string;
  /** More `archway serve` flags for every gateway. */
  serveArgs?: string[];
  /** Each line a process prints, with its name. */
  echo?: (name: string, line: string) => void;
}

export interface GatewayChild extends Child {
  readonly instance: string;
  readonly port: number;
  readonly url: string;
}

export interface LocalCluster {
  /** The balancer: what clients use. */
  readonly url: string;
  readonly port: number;
  readonly demoPort: number;
  readonly redisUrl: string;
  readonly redis: RedisServer;
  readonly gateways: readonly GatewayChild[];
  stop(): Promise<void>;
}

function portOfListening(line: string, message: string): number | undefined {
  if (!line.includes(message)) return undefined;
  try {
    const entry = JSON.parse(line) as { url?: string; port?: number };
    return entry.url !== undefined ? Number(new URL(entry.url).port) : entry.port;
  } catch {
    return undefined;
  }
}

async function startGateway(instance: string, redisUrl: string, options: ClusterOptions): Promise<GatewayChild> {
  let port: number | undefined;
  const args = [
    join(ROOT, 'bin', 'archway.js'), 'serve', '--host', HOST, '--port', '0', '--types', join(ROOT, 'types', 'demo.json'),
    '--instance', instance, '--redis-url', redisUrl, '--log-level', options.logLevel ?? 'info',
    ...(options.heartbeatMs === undefined ? [] : ['--heartbeat-ms', String(options.heartbeatMs)]),
    ...(options.leaseMs === undefined ? [] : ['--lease-ms', String(options.leaseMs)]),
    ...(options.serveArgs ?? []),
  ];
  let serving: number | undefined;
  const child = await launch(instance, process.execPath, args, {
    cwd: ROOT,
    ready: (l) => {
      port = portOfListening(l, 'archway gateway listening');
      if (port !== undefined) serving = (JSON.parse(l) as { pid?: number }).pid;
      return port !== undefined;
    },
    echo: (l) => options.echo?.(instance, l),
  });
  // `archway serve` serves from a child of its own (src/cli/fresh-process.ts): a SIGKILL is for the
  // process that serves (a crash), not for the parent, whose end the child would take as a stop.
  // The parent ends after it has reaped the child (its sockets closed), by the same signal: waiting
  // for the parent is waiting for the crash to be complete (a SIGKILL sent to both at once let the
  // parent go first, and the dead gateway's port still took connections for a moment).
  const stop = child.stop.bind(child);
  const kill = async (signal?: NodeJS.Signals, graceMs?: number): Promise<void> => {
    if (signal !== 'SIGKILL' || serving === undefined || serving === child.pid) return stop(signal, graceMs);
    try {
      process.kill(serving, 'SIGKILL');
    } catch {
      return stop(signal, graceMs); // gone already
    }
    const timer = setTimeout(() => child.child.kill('SIGKILL'), graceMs ?? 10_000);
    await child.exited;
    clearTimeout(timer);
  };
  return Object.assign(child, { instance, port: port!, url: `http://${HOST}:${port!}`, stop: kill });
}

/** Until the balancer answers `/health` (HAProxy has read its config and reaches a gateway). */
async function balancerUp(url: string, haproxy: Child): Promise<void> {
  const end = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`HAProxy did not answer on ${url} within 10 s\n${haproxy.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startCluster(options: ClusterOptions = {}): Promise<LocalCluster> {
  const started: Child[] = [];
  let redis: RedisServer | undefined;
  try {
    const haproxyBin = findBinary('haproxy');
    // Started empty with the cluster, before any gateway: no rebuilding window (redis-server.ts).
    redis = await startRedis({ echo: (l) => options.echo?.('redis', l), newDirectory: true });
    const redisUrl = redis.url;

    let demoPort: number | undefined;
    const demo = await launch('demo', process.execPath, [join(ROOT, 'bin', 'archway.js'), 'demo-service', '--host', HOST, '--port', String(options.demoPort ?? 0)], {
      cwd: ROOT,
      ready: (l) => (demoPort = portOfListening(l, 'demo archive service listening')) !== undefined,
      echo: (l) => options.echo?.('demo', l),
    });
    started.push(demo);
    const count = options.gateways ?? 3;
    const gateways = await Promise.all(Array.from({ length: count }, (_, i) => startGateway(`g${i + 1}`, redisUrl, options)));
    started.push(...gateways);

    const port = options.port === undefined || options.port === 0 ? await freePort() : options.port;
    const env: NodeJS.ProcessEnv = { ARCHWAY_LB_BIND: `${HOST}:${port}` };
    gateways.forEach((g, i) => (env[`ARCHWAY_GW${i + 1}`] = `${HOST}:${g.port}`));
    // -db: in the foreground, its log on stderr
    const haproxy = await launch('haproxy', haproxyBin, ['-db', '-f', HAPROXY_CFG], { env, echo: (l) => options.echo?.('haproxy', l) });
    started.push(haproxy);
    const url = `http://${HOST}:${port}`;
    await balancerUp(url, haproxy);
    const held = redis;
    return {
      url, port, demoPort: demoPort!, redisUrl, redis: held, gateways,
      async stop() {
        await haproxy.stop();
        await Promise.all(gateways.map((g) => g.stop()));
        await demo.stop();
        await held.stop();
      },
    };
  } catch (err) {
    await Promise.all(started.map((c) => c.stop('SIGKILL')));
    await redis?.stop();
    throw err;
  }
}
