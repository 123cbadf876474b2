/**
 * The Server-Sent Events of `GET /sessions/{name}/events`: each `data:` line is the JSON of one of
 * these, named by the `event:` line (SPEC §1: the CAsyncSocket notifications, the messages read).
 */
import { Type, type TProperties } from 'typebox';

const Notification = (event: string, data: TProperties, description: string) =>
  Type.Object({ event: Type.Literal(event), data: Type.Object(data) }, { description });

export const SessionEvent = Type.Union(
  [
    Notification('session', { info: Type.Unknown() }, 'first event: the session as GET /sessions/{name} shows it (data is that object)'),
    Notification('accept', { pendingConnections: Type.Integer() }, 'OnAccept: a connection waits for accept'),
    Notification('receive', { bytes: Type.Integer(), buffered: Type.Optional(Type.Integer()), queued: Type.Optional(Type.Integer()) }, 'OnReceive: bytes arrived (stream: bytes buffered; datagram: datagrams queued)'),
    Notification('connect', { remote: Type.Optional(Type.Unknown()), error: Type.Optional(Type.Unknown()) }, 'OnConnect: the connection opened, or failed'),
    Notification('close', { reason: Type.String(), wsa: Type.Optional(Type.String()) }, 'OnClose: the peer closed (graceful), reset, or the session was closed (local)'),
    Notification('message', { type: Type.String(), value: Type.Unknown() }, 'with ?receive=T: a message the peer sent, decoded as T (value: its JSON, as REST answers it)'),
    Notification('problem', { code: Type.String(), message: Type.String() }, 'with ?receive=T: a message did not decode; reading stopped, its bytes stay in the session (data: problem JSON without statusCode)'),
    Notification('gap', { from: Type.Integer(), to: Type.Integer() }, 'on a reconnect: the ids of events no longer kept (ARCHWAY_EVENT_REPLAY_BYTES), which it will not get'),
  ],
  { $id: 'SessionEvent', description: 'one Server-Sent Event: `event:` names it, `data:` carries its JSON' },
);
