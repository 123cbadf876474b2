/**
 * `archway/archive-io`: archives over a socket (MFC's `CSocketFile` + `CArchive`) — the layer above
 * the codec (`archway/archive`) and the byte transport (`archway/sockets`). `SocketFile` claims a
 * stream socket's bytes, a load `Archive` reads whole messages from them through its one read line,
 * a store `Archive` sends what it buffers and can say what became of each message, and
 * `ArchiveChannel` pairs them for request/answer exchanges.
 */
export { Archive, type ArchiveLifetime, type ArchiveMode, type ArchiveOptions } from './archive.js';
export { ArchiveChannel, MAX_PIPELINE, type ArchiveChannelOptions, type ReadsOwner } from './archive-channel.js';
export {
  VALUE_TYPE_NAMES, type ReadValue, type ReadValues, type StringValue, type WriteValue, type WriteValues,
} from './archive-values.js';
export { ERR_ARCHIVE_REQUIRES_STREAM } from './errors.js';
export type { Delivery, Outgoing } from './outbox.js';
export { SocketFile } from './socket-file.js';
