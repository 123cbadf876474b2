/**
 * A demo archive-over-socket service written with Archway's own socket layer, standing in for a
 * legacy MFC server in tests, benchmarks and the newcomer's walk-through:
 * - TCP `order` mode: reads `Order` messages and answers each with an `OrderAck`, with one load and
 *   one store archive per connection (the CHATSRVR pattern, format §9.3);
 * - TCP `echo` mode: sends back whatever bytes arrive (raw archives of any type);
 * - UDP on the same port number: echoes every datagram to its sender.
 */
import type { Logger } from 'pino';
import { TypeRegistry, type MessageCodec } from '../archive/index.js';
import { Archive, SocketFile } from '../archive-io/index.js';
import { DatagramSocket, ERR_PEER_CLOSED, StreamSocket } from '../sockets/index.js';
import { DEMO_TYPES, acknowledge, type Order } from './demo-types.js';

export type DemoMode = 'order' | 'echo';

export interface DemoServiceOptions {
  /** TCP (and UDP) port; 0: any free port. Default 7000. */
  port?: number;
  /** Numeric address to bind. Default 127.0.0.1. */
  host?: string;
  mode?: DemoMode;
  /** Also echo UDP datagrams on the same port number (default true). */
  udp?: boolean;
  logger?: Logger;
  /** Registry holding Order/OrderAck (the demo types are added to a new one when absent). */
  types?: TypeRegistry;
}

export interface DemoService {
  readonly host: string;
  readonly port: number;
  readonly udpPort: number | undefined;
  readonly mode: DemoMode;
  /** Connections open now. */
  readonly connections: number;
  close(): Promise<void>;
}

interface Codecs {
  order: MessageCodec;
  ack: MessageCodec;
}

export function demoRegistry(): TypeRegistry {
  const types = new TypeRegistry();
  types.add(DEMO_TYPES, 'demo types');
  return types;
}

export async function startDemoService(options: DemoServiceOptions = {}): Promise<DemoService> {
  const host = options.host ?? '127.0.0.1';
  const mode = options.mode ?? 'order';
  const log = options.logger;
  const types = options.types ?? demoRegistry();
  const codecs: Codecs = { order: types.get('Order'), ack: types.get('OrderAck') };
  const server = await StreamSocket.create({ port: options.port ?? 7000, address: host });
  await server.listen(128);
  const port = server.localPort!;
  let udp: DatagramSocket | undefined;
  try {
    udp = options.udp === false ? undefined : await DatagramSocket.create({ port, address: host });
  } catch (err) {
    await server.close(); // the UDP port is taken: leave nothing listening behind
    throw err;
  }
  const open = new Set<StreamSocket>();
  let closing = false;

  const acceptLoop = (async () => {
    while (!closing) {
      let conn: StreamSocket;
      try {
        conn = await server.accept({ timeoutMs: Infinity }); // a server waits for clients as long as it runs
      } catch {
        return; // the server closed
      }
      open.add(conn);
      const peer = `${conn.remoteAddress}:${conn.remotePort}`;
      log?.info({ peer, mode }, 'connection opened');
      const served = mode === 'order' ? serveOrders(conn, types, codecs) : serveEcho(conn);
      void served
        .catch((err: unknown) => {
          if (!closing) log?.warn({ peer, err }, 'connection failed'); // at shutdown, reads end by design
        })
        .finally(async () => {
          await conn.close();
          open.delete(conn);
          log?.info({ peer, bytesIn: conn.bytesIn, bytesOut: conn.bytesOut }, 'connection closed');
        });
    }
  })();

  if (udp !== undefined) {
    udp.on('receive', () => {
      void udp.receiveFrom({ timeoutMs: Infinity }).then((d) => udp.sendTo(d.data, d.port, d.address)).catch(() => undefined);
    });
  }
  log?.info({ host, port, udpPort: udp?.localPort, mode, udp: udp !== undefined }, 'demo archive service listening');

  return {
    host,
    port,
    udpPort: udp?.localPort,
    mode,
    get connections() {
      return open.size;
    },
    async close() {
      closing = true;
      // Accepted connections are sockets of their own: they close alongside the listener.
      const stopped = server.close();
      await Promise.all([...open].map((c) => c.close()));
      await stopped;
      await acceptLoop;
      await udp?.close();
      log?.info('demo archive service stopped');
    },
  };
}

/** Answers every complete order already received, flushes once, then waits for more. */
async function serveOrders(conn: StreamSocket, types: TypeRegistry, codecs: Codecs): Promise<void> {
  const file = new SocketFile(conn);
  // A service waits for its clients' next message as long as they stay connected, as MFC's does.
  const arIn = new Archive(file, 'load', { types, timeoutMs: Infinity });
  const arOut = new Archive(file, 'store', { types, timeoutMs: Infinity });
  for (;;) {
    let next = arIn.tryRead(codecs.order);
    if (!next.done) {
      await arOut.flush();
      try {
        next = { done: true, value: await arIn.readMessage(codecs.order) };
      } catch (err) {
        if (ERR_PEER_CLOSED.is(err) && arIn.isBufferEmpty()) return; // the client hung up between messages
        throw err;
      }
    }
    arOut.writeMessage(codecs.ack, acknowledge(next.value as Order));
  }
}

/**
 * Sends back whatever arrives, as it arrives. The send is not awaited before the next receive:
 * sends go out in order anyway, and waiting for each one to be handed over first made every
 * lock-step message cost the service another turn of its event loop (bench:gateway (b)).
 */
async function serveEcho(conn: StreamSocket): Promise<void> {
  let sent: Promise<void> = Promise.resolve();
  for (;;) {
    // A failed send means a broken connection: the next receive fails with it.
    const chunk = await conn.receive(64 * 1024, { timeoutMs: Infinity });
    if (chunk.length === 0) return sent; // all echoed before the connection closes
    sent = conn.send(chunk);
    sent.catch(() => undefined); // handled here; the last one is awaited above
  }
}
