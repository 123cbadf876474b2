/**
 * A graceful close (SPEC §3) lets requests in flight finish, then must not wait on connections:
 * Node keeps a connection open after its request (keep-alive, 72 s here) and counts one that never
 * sent a request (a browser's spare preconnect) as busy, so either would hold the close a minute
 * or more. Closing drops the request-less ones and answers the ones in flight with
 * `Connection: close`. Per connection a Set entry; per request a Set and a Map entry, kept by the
 * server's request listener itself (`wrap`): a second 'request' listener would make Node copy the
 * listener list at every request.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export class GracefulClose {
  private readonly unused = new Set<Socket>();
  private readonly current = new Map<Socket, ServerResponse>();

  /** The server's request listener (Fastify's), noting each request's connection first. */
  wrap(handler: RequestListener): RequestListener {
    return (req: IncomingMessage, res: ServerResponse) => {
      this.unused.delete(req.socket);
      this.current.set(req.socket, res);
      handler(req, res);
    };
  }

  /** Follows `app`'s connections and closes them as above when it closes. */
  attach(app: FastifyInstance): void {
    const { unused, current } = this;
    app.server.on('connection', (socket: Socket) => {
      unused.add(socket);
      socket.once('close', () => {
        unused.delete(socket);
        current.delete(socket);
      });
    });
    app.addHook('preClose', async () => {
      for (const socket of unused) socket.destroy();
      for (const res of current.values()) if (!res.writableEnded && !res.headersSent) res.setHeader('connection', 'close');
    });
  }
}
