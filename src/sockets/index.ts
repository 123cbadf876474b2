/**
 * `archway/sockets`: MFC's socket classes on Node as a byte transport — `StreamSocket` (CSocket /
 * CAsyncSocket stream) and `DatagramSocket` (CAsyncSocket datagrams), awaited instead of pumped,
 * every wait bounded. Archives over a socket are the layer above (`archway/archive-io`).
 */
export { DatagramSocket, type Datagram, type DatagramSocketOptions, type DatagramState } from './datagram-socket.js';
export {
  ERR_ADDRESS_IN_USE, ERR_ADDRESS_NOT_AVAILABLE, ERR_CONNECTION_REFUSED, ERR_HOST_NOT_FOUND, ERR_INVALID_ADDRESS,
  ERR_INVALID_STATE, ERR_MESSAGE_TOO_LARGE, ERR_NOT_SUPPORTED, ERR_PEER_CLOSED, ERR_SOCKET,
} from './errors.js';
export {
  bindAddress, checkPort, formatTarget, isLiteralAddress, lookupWithSystem, resolveHost,
  type HostLookup, type ResolveOptions, type ResolvedAddress, type TargetGuard,
} from './host-address.js';
export { isInvalidName, isLocalhostName, parseHost, parseInetAddr, type HostSpec } from './host-name.js';
export {
  StreamSocket, type ByteSink, type CloseInfo, type CloseResult, type StreamSocketEvents, type StreamSocketOptions, type StreamState,
} from './stream-socket.js';
export { CLOSE_GRACE_MS } from './tcp-lifecycle.js';
export { DEFAULT_CONNECT_TIMEOUT_MS, type ConnectOptions } from './tcp-connect.js';
export { WINSOCK } from './winsock.js';
