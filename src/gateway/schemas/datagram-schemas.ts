/** Bodies of the datagram routes: SendTo / Send and ReceiveFrom / Receive (SPEC §1). */
import { Type } from 'typebox';
import { Base64, TimeoutMs } from './shared-schemas.js';

export const SendBody = Type.Object(
  {
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 253, description: 'SendTo target; omit on a connected datagram session' })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    data: Base64,
  },
  { additionalProperties: false, examples: [{ host: '127.0.0.1', port: 7000, data: 'aGVsbG8=' }] },
);

export const Sent = Type.Object({ bytes: Type.Integer() });

export const ReceiveBody = Type.Object({ timeoutMs: Type.Optional(TimeoutMs) }, { additionalProperties: false });

export const Received = Type.Object({
  from: Type.Ref('Endpoint'),
  data: Base64,
  bytes: Type.Integer(),
});
