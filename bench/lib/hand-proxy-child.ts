/**
 * The hand-rolled proxy of bench:gateway (SPEC §7): what a team would write instead of the gateway
 * for one message — a Fastify route with the same JSON schema (the Order's, from types/demo.json),
 * a pool of 8 `net` sockets to the service used lock-step (one request in flight per socket, the
 * others queued), and the Order encoded and decoded by hand-written Buffer code. The answer (the
 * echoed Order) is serialised by the same schema. Prints `{"port": n}`; stops when stdin closes.
 * argv: the service's port, the pool size.
 */
import net from 'node:net';
import Fastify from 'fastify';
import { TypeRegistry } from '../../src/archive/index.js';
import { DEMO_TYPES } from '../../src/demo/index.js';
import { decodeOrder, encodeOrder, type Order } from './hand-order-codec.js';
import { announce, stopWith } from './child-server.js';

const servicePort = Number(process.argv[2]);
const poolSize = Number(process.argv[3] ?? 8);

interface Pending {
  bytes: Buffer;
  resolve: (o: Order) => void;
  reject: (e: Error) => void;
}

/** One socket, lock-step: a request goes out when the answer to the one before it came back. */
class Connection {
  private readonly sock: net.Socket;
  private readonly queue: Pending[] = [];
  private inFlight = false;
  private buffered: Buffer = Buffer.alloc(0);

  constructor(port: number) {
    this.sock = net.connect({ port, host: '127.0.0.1', noDelay: true });
    this.sock.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      const got = decodeOrder(this.buffered);
      if (got === undefined) return;
      this.buffered = this.buffered.subarray(got.length);
      this.inFlight = false;
      this.queue.shift()!.resolve(got.order);
      this.next();
    });
    this.sock.on('error', (err) => {
      for (const p of this.queue.splice(0)) p.reject(err);
    });
  }

  send(order: Order): Promise<Order> {
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes: encodeOrder(order), resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.inFlight || this.queue.length === 0) return;
    this.inFlight = true;
    this.sock.write(this.queue[0]!.bytes);
  }
}

const pool = Array.from({ length: poolSize }, () => new Connection(servicePort));
let turn = 0;

const types = new TypeRegistry();
types.add(DEMO_TYPES);
const { root, defs } = types.get('Order').schemas('#/$defs/');
const app = Fastify({ logger: false, ajv: { customOptions: { keywords: ['example'] } } });
app.post('/orders', {
  schema: { body: { ...root, $defs: defs }, response: { 200: { ...root, $defs: defs } } },
}, async (req) => pool[turn++ % poolSize]!.send(req.body as Order));

await app.listen({ host: '127.0.0.1', port: 0 });
announce(app.server.address());
stopWith(() => app.close());
