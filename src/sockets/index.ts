/**
 * `archway/sockets`: MFC's socket classes on Node — `StreamSocket` (CSocket / CAsyncSocket stream),
 * `DatagramSocket` (CAsyncSocket datagrams), `SocketFile` (CSocketFile) and `Archive` (CArchive over
 * a socket file), awaited instead of pumped, every wait bounded.
 */
import './archive-shortcuts.js';

export { ArchiveChannel, type ArchiveChannelOptions } from './archive-channel.js';
export { Archive, type ArchiveLifetime, type ArchiveMode, type ArchiveOptions } from './archive.js';
export type { ArchiveShortcuts, StringValue } from './archive-shortcuts.js';
export { DatagramSocket, type Datagram, type DatagramSocketOptions, type DatagramState } from './datagram-socket.js';
export {
  ERR_ABORTED, ERR_ADDRESS_IN_USE, ERR_ADDRESS_NOT_AVAILABLE, ERR_ARCHIVE_REQUIRES_STREAM, ERR_CONNECTION_REFUSED,
  ERR_HOST_NOT_FOUND, ERR_INVALID_ADDRESS, ERR_INVALID_STATE, ERR_MESSAGE_TOO_LARGE, ERR_NOT_SUPPORTED, ERR_PEER_CLOSED,
  ERR_SOCKET, ERR_TIMEOUT,
} from './errors.js';
export {
  bindAddress, checkPort, formatTarget, isLiteralAddress, lookupWithSystem, resolveHost,
  type HostLookup, type ResolveOptions, type ResolvedAddress, type TargetGuard,
} from './host-address.js';
export { isInvalidName, isLocalhostName, parseHost, parseInetAddr, type HostSpec } from './host-name.js';
export { SocketFile } from './socket-file.js';
export { StreamSocket, type CloseInfo, type StreamSocketOptions, type StreamState } from './stream-socket.js';
export { DEFAULT_CONNECT_TIMEOUT_MS, type ConnectOptions } from './tcp-connect.js';
export type { WaitOptions } from './wait-queue.js';
export { WINSOCK } from './winsock.js';
export { within } from './within.js';
