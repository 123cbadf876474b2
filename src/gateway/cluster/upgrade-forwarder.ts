/**
 * A session's WebSocket asked of an instance that does not own it (SPEC §8, §1 "Browser reach"):
 * the handshake is sent on to the owner over a new TCP connection — the client's request line,
 * Host and end-to-end headers, the upgrade headers, the loop guard — and from then on the two sockets are
 * piped both ways, byte for byte: the owner upgrades (or refuses) and speaks the WebSocket itself,
 * so close codes, backpressure (TCP's, through the pipes) and frame limits are the owner's.
 * The owner not accepting the connection is SESSION_OWNER_DOWN, before anything is sent back.
 */
import { once } from 'node:events';
import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deadline } from '../../core/index.js';
import { ERR_SESSION_OWNER_DOWN } from './cluster-errors.js';
import { requestHeaders } from './hop-headers.js';
import type { Target } from './owner-forwarder.js';

/**
 * The bytes that came after the handshake in its packet (@fastify/websocket keeps them on the
 * request under a symbol of its own). Browsers wait for the 101 before sending frames, so they are
 * almost always empty; they are passed on all the same.
 */
function headOf(raw: IncomingMessage): Buffer {
  const key = Object.getOwnPropertySymbols(raw).find((s) => s.description === 'ws-head');
  const head: unknown = key === undefined ? undefined : (raw as unknown as Record<symbol, unknown>)[key];
  return Buffer.isBuffer(head) ? head : Buffer.alloc(0);
}

export class UpgradeForwarder {
  /** Tunnels open now: cut when the gateway closes. */
  private readonly tunnels = new Set<net.Socket>();

  constructor(private readonly connectWithinMs: number) {}

  async forward(req: FastifyRequest, reply: FastifyReply, target: Target, session: string): Promise<void> {
    const url = new URL(target.url);
    const upstream = await this.connect(url, target, session);
    const client = req.raw.socket;
    void reply.hijack();
    // The client's connection was cut while this waited (a shutdown cuts it): no tunnel for nobody.
    if (client.destroyed) {
      upstream.destroy();
      return;
    }
    // The client's Host goes on (hop-headers.ts): the owner checks the page's Origin against it.
    const headers = requestHeaders(req.raw.headers, target.owner, req.ip);
    headers.host ??= url.host;
    const lines = [`GET ${req.raw.url ?? req.url} HTTP/1.1`, 'connection: Upgrade', 'upgrade: websocket'];
    for (const [name, value] of Object.entries(headers)) for (const v of [value].flat()) lines.push(`${name}: ${v}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    const head = headOf(req.raw);
    if (head.length > 0) upstream.write(head);
    this.tunnels.add(upstream);
    const end = () => {
      this.tunnels.delete(upstream);
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', end).on('close', end);
    client.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private async connect(url: URL, target: Target, session: string): Promise<net.Socket> {
    const wait = deadline({ timeoutMs: this.connectWithinMs }, `a connection to instance '${target.owner}'`);
    const socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) });
    try {
      await wait.race(once(socket, 'connect'));
      return socket;
    } catch {
      socket.destroy();
      throw new ERR_SESSION_OWNER_DOWN(session, target.owner).with({ session });
    } finally {
      wait.dispose();
    }
  }

  /** Cuts every tunnel (the gateway is closing). */
  close(): void {
    for (const t of this.tunnels) t.destroy();
    this.tunnels.clear();
  }
}
