/**
 * A graceful close (SPEC §3) lets requests in flight finish, then must not wait on connections:
 * Node keeps a connection open after its request (keep-alive, 72 s here) and counts one that never
 * sent a request (a browser's spare preconnect) as busy, so either would hold the close a minute
 * or more. Closing drops the request-less ones and answers the ones in flight with
 * `Connection: close`. (Per connection and per request, a Set and a Map entry: no hook.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export function gracefulClose(app: FastifyInstance): void {
  const unused = new Set<Socket>();
  const current = new Map<Socket, ServerResponse>();
  app.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => {
      unused.delete(socket);
      current.delete(socket);
    });
  });
  app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    unused.delete(req.socket);
    current.set(req.socket, res);
  });
  app.addHook('preClose', async () => {
    for (const socket of unused) socket.destroy();
    for (const res of current.values()) if (!res.writableEnded && !res.headersSent) res.setHeader('connection', 'close');
  });
}
