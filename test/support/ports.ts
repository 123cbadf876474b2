/**
 * Loopback ports for tests: free ones, held ones, and a listener that never completes a handshake.
 * Everything stays on 127.0.0.1 / ::1.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { until } from './until.js';

export const LOOPBACK = '127.0.0.1';

/**
 * A TCP port nothing listens on right now: bound to port 0 and closed again. (Another process
 * could take it in between; on a test machine that window is small enough.)
 */
export function freePort(host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A UDP port nothing is bound to right now (bound to port 0 and closed again). */
export function freeUdpPort(host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    sock.once('error', reject);
    sock.bind(0, host, () => {
      const { port } = sock.address();
      sock.close(() => resolve(port));
    });
  });
}

/** A TCP listener holding a port (so that binding it fails). */
export async function holdTcpPort(host = LOOPBACK): Promise<{ port: number; close(): Promise<void> }> {
  const srv = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => srv.listen(0, host, r));
  return { port: (srv.address() as net.AddressInfo).port, close: () => new Promise((r) => srv.close(() => r())) };
}

/** A UDP socket holding a port. */
export async function holdUdpPort(host = LOOPBACK): Promise<{ port: number; close(): Promise<void> }> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, host, r));
  return { port: sock.address().port, close: () => new Promise((r) => sock.close(() => r())) };
}

/**
 * A loopback listener that never accepts: a child process listens with backlog 1, then blocks its
 * event loop. Once its accept queue is full the kernel drops further SYNs, so a connect to it waits
 * until its own timeout — on loopback, without aiming a packet anywhere else.
 */
export async function stalledListener(): Promise<{ port: number; close(): void }> {
  const code = `const net = require('node:net');
    const s = net.createServer();
    s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      process.stdout.write(s.address().port + '\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('exit', (c) => reject(new Error(`stalled listener exited with ${c}`)));
  });
  // Fill the accept queue (backlog + 1 = 2 connections on Linux) and then some: the kernel
  // completes the handshake of the first two, and drops the SYNs of the others.
  const fillers: net.Socket[] = [];
  let connected = 0;
  for (let i = 0; i < 4; i++) {
    const s = net.connect(port, LOOPBACK, () => connected++);
    s.on('error', () => undefined);
    fillers.push(s);
  }
  await until(() => connected >= 2, 'the stalled listener\'s accept queue is full');
  return {
    port,
    close() {
      for (const s of fillers) s.destroy();
      child.kill('SIGKILL');
    },
  };
}
