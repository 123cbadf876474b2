/**
 * The baseline of bench:ws (SPEC §7): a bare `ws` server relaying the same frames to the same TCP
 * echo service, as a team would write it without the gateway — one TCP connection per WebSocket,
 * no codec, no backpressure, no checks. `?mode=binary` relays bytes both ways as they come
 * (websockify's job); `?mode=json` writes each text frame as a line and sends each line that comes
 * back as a text frame (the least framing a JSON relay over a byte stream needs). Prints
 * `{"port": n}`; stops when stdin closes. argv: the echo service's port.
 */
import net from 'node:net';
import { WebSocketServer, type RawData } from 'ws';
import { announce, stopWith } from './child-server.js';

const servicePort = Number(process.argv[2]);
const NEWLINE = 0x0a;

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 1024 * 1024 });
wss.on('connection', (ws, req) => {
  const binary = new URL(req.url ?? '/', 'http://x').searchParams.get('mode') === 'binary';
  const tcp = net.connect({ port: servicePort, host: '127.0.0.1', noDelay: true });
  tcp.on('error', () => ws.terminate());
  ws.on('close', () => tcp.destroy());
  let rest: Buffer = Buffer.alloc(0);
  tcp.on('data', (chunk: Buffer) => {
    if (binary) {
      ws.send(chunk, { binary: true });
      return;
    }
    let data = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    let nl: number;
    while ((nl = data.indexOf(NEWLINE)) >= 0) {
      ws.send(data.subarray(0, nl), { binary: false });
      data = data.subarray(nl + 1);
    }
    rest = data;
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const bytes = data as Buffer;
    if (binary || isBinary) tcp.write(bytes);
    else tcp.write(Buffer.concat([bytes, Buffer.from([NEWLINE])]));
  });
});
wss.on('listening', () => announce(wss.address()));
stopWith(() => new Promise<void>((done) => wss.close(() => done())));
