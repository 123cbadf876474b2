/** Datagrams (SPEC §1): `SendTo` / `Send` and `ReceiveFrom` / `Receive` on a datagram session. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ERR_VALIDATION, fromBase64, toBase64 } from '../../archive/index.js';
import { disconnectSignal } from '../sessions/disconnect-signal.js';
import { BODY_ERRORS, E } from '../error-catalog.js';
import { waitMs, type GatewayContext } from '../gateway-context.js';
import { ReceiveBody, Received, SendBody, Sent } from '../schemas/datagram-schemas.js';
import { described, NameParams } from '../schemas/shared-schemas.js';

const tags = ['datagrams'];

export const datagramRoutes: FastifyPluginAsync<GatewayContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { sessions, policy, config, metrics } = ctx;

  app.post('/sessions/:name/datagrams', {
    schema: {
      operationId: 'sendDatagram',
      tags,
      summary: 'Send a datagram (SendTo host/port, or Send to the connected peer)',
      description: 'With `host` and `port`: SendTo (the target must be allowed by ARCHWAY_ALLOW_TARGETS); without them, Send to the peer of a connected datagram session.',
      params: NameParams,
      body: SendBody,
      response: {
        200: described(Sent, 'the datagram was handed to the kernel')
      }, errors: [...BODY_ERRORS, E.SESSION_NOT_FOUND, E.INVALID_STATE, E.TARGET_NOT_ALLOWED, E.HOST_NOT_FOUND, E.INVALID_ADDRESS, E.MESSAGE_TOO_LARGE, E.SOCKET_ERROR],
    },
  }, async (req) => {
    const d = sessions.get(req.params.name).datagram('sending a datagram');
    const { host, port } = req.body;
    const data = fromBase64(req.body.data);
    if (data === null) throw new ERR_VALIDATION('body/data is not base64').with({ path: '/data', in: 'body' });
    if ((host === undefined) !== (port === undefined)) {
      throw new ERR_VALIDATION('body: give both host and port (SendTo), or neither on a connected session (Send)').with({ path: host === undefined ? '/host' : '/port', in: 'body' });
    }
    if (host !== undefined && port !== undefined) {
      await d.sendTo(data, port, host, { guard: policy, lookup: policy.lookup });
    } else {
      await d.send(data);
    }
    metrics.message('datagram-send');
    return { bytes: data.length };
  });

  app.post('/sessions/:name/datagrams/receive', {
    schema: {
      operationId: 'receiveDatagram',
      tags,
      summary: 'Receive one datagram (ReceiveFrom): long-polls up to timeoutMs',
      description: 'The next datagram with its sender; a wait that times out takes nothing.',
      params: NameParams,
      body: ReceiveBody,
      response: { 200: described(Received, 'the datagram received, with its sender') }, errors: [...BODY_ERRORS, E.SESSION_NOT_FOUND, E.INVALID_STATE, E.TIMEOUT],
    },
  }, async (req, reply) => {
    const d = sessions.get(req.params.name).datagram('receiving a datagram');
    const dg = await d.receiveFrom({ timeoutMs: waitMs(config, req.body.timeoutMs), signal: disconnectSignal(reply) });
    metrics.message('datagram-receive');
    return { from: { address: dg.address, port: dg.port }, data: toBase64(dg.data), bytes: dg.data.length };
  });
};
