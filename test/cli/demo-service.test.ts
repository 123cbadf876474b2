/**
 * `archway demo-service` as a real process on loopback: the listening line, an Order over TCP answered
 * with an OrderAck, UDP echo, connection logs, and a clean exit on SIGTERM / SIGINT.
 */
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isArchwayError, type MessageCodec } from '../../src/archive/index.js';
import { acknowledge, type Order } from '../../src/demo/demo-types.js';
import { startDemoProcess, type DemoProcess, type DemoProcessOptions } from '../support/demo-process.js';
import { ORDER, demoRegistry } from './helpers.js';

let running: DemoProcess | undefined;

afterEach(() => {
  if (running !== undefined && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGKILL');
  }
  running = undefined;
});

async function start(options: DemoProcessOptions): Promise<DemoProcess> {
  running = await startDemoProcess(options);
  return running;
}

function tcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Reads from `socket` until one whole message of `codec` has arrived. */
function readMessage(socket: Socket, codec: MessageCodec): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      try {
        const { value, end } = codec.decodeFrom(received);
        expect(end).toBe(received.length);
        socket.off('data', onData);
        resolve(value);
      } catch (err) {
        if (!(isArchwayError(err) && err.details.archiveCause === 'endOfFile')) reject(err);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

/** Sends `data` to the UDP echo until it comes back (loopback rarely drops, but may). */
async function udpEcho(port: number, data: Buffer): Promise<Buffer> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  try {
    const reply = new Promise<Buffer>((resolve) => socket.once('message', (msg) => resolve(msg)));
    const timer = setInterval(() => socket.send(data, port, '127.0.0.1'), 200);
    socket.send(data, port, '127.0.0.1');
    try {
      return await reply;
    } finally {
      clearInterval(timer);
    }
  } finally {
    socket.close();
  }
}

describe('archway demo-service', () => {
  it('answers an Order with an OrderAck, echoes UDP, logs connections and exits 0 on SIGTERM', async () => {
    const service = await start({});
    const listening = await service.line('listening');
    const port = listening.port;
    expect(typeof port).toBe('number');
    expect(port).toBeGreaterThan(0);
    expect(listening).toMatchObject({ host: '127.0.0.1', mode: 'order', udp: true, udpPort: port });

    const types = demoRegistry();
    const socket = await tcp(port as number);
    const localPort = socket.localPort;
    const answer = readMessage(socket, types.get('OrderAck'));
    socket.write(types.get('Order').encode(ORDER));
    expect(await answer).toEqual(acknowledge(ORDER as Order));

    const datagram = Buffer.from('0700000004414345', 'hex');
    expect((await udpEcho(port as number, datagram)).equals(datagram)).toBe(true);

    socket.end();
    const closed = await service.line('connection closed');
    const opened = await service.line('connection opened');
    expect(opened.peer).toBe(`127.0.0.1:${localPort}`);
    expect(closed.peer).toBe(opened.peer);

    service.child.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.lines.some((l) => l.msg === 'demo archive service stopped')).toBe(true);
    expect(service.stderr).toBe('');
  });

  it('echoes bytes in echo mode without UDP, and exits 0 on SIGINT with a connection still open', async () => {
    const service = await start({ mode: 'echo', udp: false, args: ['--host', '127.0.0.1'] });
    const listening = await service.line('listening');
    expect(listening).toMatchObject({ mode: 'echo', udp: false });
    expect(listening.udpPort).toBeUndefined();

    const socket = await tcp(listening.port as number);
    const bytes = Buffer.from('ffff01000600434d794d7367', 'hex');
    const echoed = new Promise<Buffer>((resolve) => {
      let got = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        if (got.length >= bytes.length) resolve(got);
      });
    });
    socket.on('error', () => undefined); // the service closes this connection on shutdown
    socket.write(bytes);
    expect((await echoed).equals(bytes)).toBe(true);
    await service.line('connection opened');

    service.child.kill('SIGINT');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    socket.destroy();
  });
});
