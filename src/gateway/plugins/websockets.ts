/**
 * @fastify/websocket for the sessions' WebSockets (SPEC §1 "Browser reach"): frames up to
 * ARCHWAY_WS_MAX_FRAME_BYTES (a larger one closes the WebSocket with 1009 before it is buffered
 * whole), websockify's `binary` subprotocol accepted, and a shutdown that waits for every
 * WebSocket to answer the close the session streams sent (1001, after its last frames) before
 * the sessions close, dropping those that do not answer in time.
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/** How long a WebSocket may take to answer the gateway's close at shutdown. */
const CLOSE_GRACE_MS = 2000;

export async function useWebSockets(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(websocket, {
    options: {
      maxPayload: config.wsMaxFrameBytes,
      // Compression costs CPU per frame and holds a zlib context per WebSocket; frames are small.
      perMessageDeflate: false,
      // websockify's clients (noVNC…) ask for `binary`; any other subprotocol is not spoken here.
      handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false),
    },
    preClose(done) {
      const wss = app.websocketServer;
      const late = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, CLOSE_GRACE_MS);
      wss.close(() => {
        clearTimeout(late);
        done();
      });
    },
  });
}
