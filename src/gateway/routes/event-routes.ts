/**
 * `GET /sessions/{name}/events`: the CAsyncSocket notifications as Server-Sent Events — `accept`
 * (OnAccept), `receive` (OnReceive), `connect` (OnConnect), `send` (OnSend), `close` (OnClose, with
 * the reason). The stream starts with a `session` event (the session's state) and ends when the
 * session closes or the client leaves.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { E, errorResponses } from '../error-catalog.js';
import type { GatewayContext } from '../gateway-context.js';
import { NameParams } from '../schemas/shared-schemas.js';

const HEARTBEAT_MS = 15_000;

export const eventRoutes: FastifyPluginAsync<GatewayContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { sessions } = ctx;
  // Open streams end when the gateway closes: a stream never finishes by itself, so it would hold
  // the graceful close (which waits for requests in flight) for as long as the client listens.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });

  app.get('/sessions/:name/events', {
    schema: {
      tags: ['sessions'],
      summary: 'Socket notifications as Server-Sent Events (OnAccept, OnReceive, OnConnect, OnClose)',
      description: 'Events: `session` (initial state), `accept` {pendingConnections}, `receive` {bytes, buffered}, `connect` {error?}, `close` {reason, wsa?}. A comment line is sent every 15 s to keep proxies from closing the stream.',
      params: NameParams,
      // The media type on the 200 alone: errors (404 before the stream starts) are JSON.
      response: {
        200: { description: 'the event stream', content: { 'text/event-stream': { schema: Type.String() } } },
        ...errorResponses([E.VALIDATION, E.SESSION_NOT_FOUND]),
      },
    },
  }, async (req, reply) => {
    const s = sessions.get(req.params.name);
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    let id = 0;
    const send = (event: string, data: unknown) => {
      if (!res.writableEnded) res.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    send('session', s.info());
    const socket = s.socket;
    const offs: (() => void)[] = [];
    const on = <A extends unknown[]>(event: string, fn: (...args: A) => void) => {
      const target = socket as unknown as { on: (e: string, f: (...a: A) => void) => void; off: (e: string, f: (...a: A) => void) => void };
      target.on(event, fn);
      offs.push(() => target.off(event, fn));
    };
    const end = () => {
      open.delete(closeStream);
      for (const off of offs.splice(0)) off();
      clearInterval(beat);
      if (!res.writableEnded) res.end();
    };
    // At gateway close: end the stream, then its connection (it said keep-alive).
    const closeStream = () => {
      end();
      res.socket?.destroySoon();
    };
    open.add(closeStream);
    if (socket.kind === 'stream') {
      on('accept', () => send('accept', { pendingConnections: socket.pendingConnections }));
      on('receive', (bytes: number) => send('receive', { bytes, buffered: socket.buffer.length }));
      on('connect', (err?: { code: string; message: string }) => send('connect', err === undefined ? { remote: { address: socket.remoteAddress, port: socket.remotePort } } : { error: { code: err.code, message: err.message } }));
      on('close', (info: { reason: string; wsa?: string }) => {
        send('close', info);
        if (info.reason === 'local') end();
      });
    } else {
      on('receive', (bytes: number) => send('receive', { bytes, queued: socket.queued }));
      on('close', () => {
        send('close', { reason: 'local' });
        end();
      });
    }
    const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    beat.unref();
    res.on('close', end);
  });
};
