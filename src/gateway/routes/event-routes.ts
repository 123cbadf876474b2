/**
 * `GET /sessions/{name}/events`: the CAsyncSocket notifications as Server-Sent Events — `accept`
 * (OnAccept), `receive` (OnReceive), `connect` (OnConnect), `close` (OnClose, with the reason). The stream starts with a `session` event (the session's state) and ends when the
 * session closes or the client leaves.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EventEmitter } from 'node:events';
import { Type } from 'typebox';
import type { ArchwayError } from '../../core/index.js';
import type { CloseInfo } from '../../sockets/index.js';
import { E } from '../error-catalog.js';
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
      operationId: 'sessionEvents',
      tags: ['sessions'],
      summary: 'Socket notifications as Server-Sent Events (OnAccept, OnReceive, OnConnect, OnClose)',
      description: 'Events: `session` (initial state), `accept` {pendingConnections}, `receive` {bytes, buffered}, `connect` {error?}, `close` {reason, wsa?}. A comment line is sent every 15 s to keep proxies from closing the stream.',
      params: NameParams,
      // The media type on the 200 alone: errors (404 before the stream starts) are JSON.
      response: {
        200: { description: 'the event stream: each event is a `SessionEvent` (`event:` its name, `data:` its JSON)', content: { 'text/event-stream': { schema: Type.Ref('SessionEvent') } } },
      }, errors: [E.VALIDATION, E.SESSION_NOT_FOUND],
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
    /** Subscribes to a notification of the session's socket until the stream ends. */
    const on = <M extends Record<keyof M, unknown[]>, K extends keyof M & string>(target: EventEmitter<M>, event: K, fn: (...args: M[K]) => void) => {
      const listener = fn as Parameters<EventEmitter<M>['on']>[1];
      target.on(event as Parameters<EventEmitter<M>['on']>[0], listener);
      offs.push(() => target.off(event as Parameters<EventEmitter<M>['on']>[0], listener));
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
      on(socket, 'accept', () => send('accept', { pendingConnections: socket.pendingConnections }));
      on(socket, 'receive', (bytes: number) => send('receive', { bytes, buffered: s.buffered }));
      on(socket, 'connect', (err?: ArchwayError) => send('connect', err === undefined ? { remote: { address: socket.remoteAddress, port: socket.remotePort } } : { error: { code: err.code, message: err.message } }));
      on(socket, 'close', (info: CloseInfo) => {
        send('close', info);
        if (info.reason === 'local') end();
      });
    } else {
      on(socket, 'receive', (bytes: number) => send('receive', { bytes, queued: socket.queued }));
      on(socket, 'close', () => {
        send('close', { reason: 'local' });
        end();
      });
    }
    const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    beat.unref();
    res.on('close', end);
  });
};
