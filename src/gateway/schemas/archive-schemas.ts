/** Bodies of the archive routes: store, load, exchange, raw write and read (SPEC §1). */
import { Type } from 'typebox';
import { Base64, TimeoutMs } from './shared-schemas.js';

export { Stored } from './shared-schemas.js';

const TypeRef = Type.Unsafe<string | Record<string, unknown>>({ $ref: 'TypeExpr#' });
const AnyValue = Type.Unknown({ description: 'the value in the JSON mapping of its type (SPEC §2); GET /types/{name} gives its schema' });

export const TypedValue = Type.Object({ type: TypeRef, value: AnyValue }, { additionalProperties: false });

export const StoreBody = Type.Union(
  [
    Type.Object({ type: TypeRef, value: AnyValue, timeoutMs: Type.Optional(TimeoutMs) }, { additionalProperties: false }),
    Type.Object(
      {
        values: Type.Array(TypedValue, { minItems: 1, maxItems: 10_000, description: 'written in order, as successive `ar << v`' }),
        timeoutMs: Type.Optional(TimeoutMs),
      },
      { additionalProperties: false },
    ),
  ],
  { description: '`ar << value`: one message, or a list of typed values. `timeoutMs` bounds the wait for the peer to take them; past it they are taken back if none went out (`delivery` in the error says)' },
);


export const LoadBody = Type.Object(
  { type: TypeRef, timeoutMs: Type.Optional(TimeoutMs) },
  { additionalProperties: false, description: '`ar >> value`: waits for the whole message and consumes it atomically' },
);

export const Loaded = Type.Object({ value: AnyValue });

export const ExchangeBody = Type.Object(
  {
    request: TypedValue,
    response: Type.Object({ type: TypeRef }, { additionalProperties: false }),
    timeoutMs: Type.Optional(TimeoutMs),
  },
  { additionalProperties: false, description: 'store a request, load its answer; FIFO per session, up to `pipeline` in flight' },
);

export const WriteBody = Type.Object({ data: Base64, timeoutMs: Type.Optional(TimeoutMs) }, { additionalProperties: false, examples: [{ data: 'BwAAAA==' }] });
export const Written = Type.Object({ bytes: Type.Integer() });

export const ReadBody = Type.Object(
  {
    bytes: Type.Integer({ minimum: 1, description: 'how many bytes' }),
    partial: Type.Optional(Type.Boolean({ description: 'return as soon as at least one byte is there (up to `bytes`), like Receive' })),
    timeoutMs: Type.Optional(TimeoutMs),
  },
  { additionalProperties: false },
);
export const ReadResult = Type.Object({ data: Base64, bytes: Type.Integer() });
