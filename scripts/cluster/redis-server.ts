/**
 * Debian's redis-server for a local cluster or a test: on loopback, on a free port (or the one
 * given), in a throw-away data folder, with no persistence (`--save ''`, `--appendonly no`), so a
 * restart is a Redis that lost its data — the case the session directory must survive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { EPOCH_KEY } from '../../src/gateway/cluster/directory-scripts.js';
import { findBinary, launch, type Child } from './child-process.js';

const HOST = '127.0.0.1';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Running now. */
  readonly up: boolean;
  /** SIGKILL (as a crash: its data is gone). */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = net.createServer();
    server.once('error', fail);
    server.listen({ port: 0, host: HOST, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => ok(port));
    });
  });
}

/**
 * Marks the session directory of a Redis just started empty, before any gateway, as new: no
 * instance has names to register again, so its rebuilding window (one lease) is skipped.
 */
export async function markDirectoryNew(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  try {
    await redis.connect();
    await redis.set(EPOCH_KEY, '0');
  } finally {
    redis.disconnect();
  }
}

export async function startRedis(options: { port?: number; echo?: (line: string) => void; newDirectory?: boolean } = {}): Promise<RedisServer> {
  const binary = findBinary('redis-server');
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'archway-redis-'));
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'];
  const run = () => launch('redis', binary, args, { ready: (l) => l.includes('Ready to accept connections'), echo: options.echo });
  let child: Child | undefined;
  try {
    child = await run();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const url = `redis://${HOST}:${port}`;
  if (options.newDirectory === true) await markDirectoryNew(url);
  return {
    url,
    port,
    get up() {
      return child !== undefined;
    },
    async kill() {
      await child?.stop('SIGKILL');
      child = undefined;
    },
    async start() {
      child ??= await run();
    },
    async stop() {
      await child?.stop();
      child = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
