/** Request and response bodies of the session routes (SPEC §1, §3). */
import { Type } from 'typebox';
import { ProfileSchema } from '../../archive/index.js';
import { MAX_PIPELINE } from '../../archive-io/index.js';
import { SessionName, TimeoutMs } from './shared-schemas.js';

const Pipeline = Type.Integer({ minimum: 1, maximum: MAX_PIPELINE, description: 'exchange requests in flight at most (1: lock-step, the safe default for VC6 peers)' });
const ArchiveLifetime = Type.Enum(['connection', 'message'], {
  description: 'connection: CObject indices persist across messages (one CArchive per connection); message: they restart with each message',
});
/** The peer's build for ad-hoc types: the type file's own profile schema (declared types use their file's). */
const Profile = { ...ProfileSchema, description: "the peer build, for ad-hoc types (declared types use their file's profile)" };

export const CreateSessionBody = Type.Object(
  {
    name: Type.Optional(SessionName),
    kind: Type.Enum(['stream', 'datagram'], { description: 'SOCK_STREAM (CSocket) or SOCK_DGRAM (CAsyncSocket datagrams)' }),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: 'local port (Create(nPort)); 0 or none: any free port' })),
    address: Type.Optional(Type.String({ minLength: 1, description: 'local numeric address to bind (must be in ARCHWAY_ALLOW_BIND)' })),
    pipeline: Type.Optional(Pipeline),
    archiveLifetime: Type.Optional(ArchiveLifetime),
    profile: Type.Optional(Profile),
    codePage: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'ANSI code page for ad-hoc string types' })),
  },
  { additionalProperties: false },
);

export const ListenBody = Type.Object(
  { backlog: Type.Optional(Type.Integer({ minimum: 1, maximum: 512, description: 'Listen(nConnectionBacklog), default 5' })) },
  { additionalProperties: false },
);

export const ConnectBody = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253, description: 'a dotted IPv4 or IPv6 address (used as is) or a host name (resolved), as CSocket::Connect' }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    timeoutMs: Type.Optional(TimeoutMs),
  },
  { additionalProperties: false },
);

export const AcceptBody = Type.Object(
  {
    as: Type.Optional(SessionName),
    timeoutMs: Type.Optional(TimeoutMs),
    pipeline: Type.Optional(Pipeline),
    archiveLifetime: Type.Optional(ArchiveLifetime),
  },
  { additionalProperties: false, description: 'the accepted connection becomes a new session (never created beforehand, seed note 5)' },
);

export const SessionList = Type.Object({ sessions: Type.Array(Type.Ref('SessionInfo')) });

export const Closed = Type.Object({
  name: Type.String(),
  closed: Type.Literal(true),
  bytesIn: Type.Integer(),
  bytesOut: Type.Integer(),
  flushed: Type.Boolean({ description: 'everything stored reached the kernel before the connection closed (false: the peer did not take it within ARCHWAY_CLOSE_TIMEOUT_MS, and the connection was dropped)' }),
  unsentBytes: Type.Integer({ description: 'bytes dropped because the peer did not take them in time' }),
});
