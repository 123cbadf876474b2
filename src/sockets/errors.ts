/**
 * Error codes of the socket layer. Socket failures carry `wsa`, the Winsock name MFC programmers
 * know (format §8.7), beside Node's own code.
 */
import { defineError } from '../archive/index.js';

export const ERR_CONNECTION_REFUSED = defineError('CONNECTION_REFUSED', 502, (target: string) =>
  `connection to ${target} refused: nothing listens there, or its backlog is full`);
export const ERR_HOST_NOT_FOUND = defineError('HOST_NOT_FOUND', 502, (host: string) =>
  `host '${host}' not found: not a dotted address and no name lookup answered for it`);
export const ERR_ADDRESS_IN_USE = defineError('ADDRESS_IN_USE', 409, (target: string) =>
  `address ${target} is already in use by another socket`);
export const ERR_ADDRESS_NOT_AVAILABLE = defineError('ADDRESS_NOT_AVAILABLE', 409, (address: string) =>
  `address ${address} is not an address of this machine, so nothing can be bound to it`);
export const ERR_INVALID_ADDRESS = defineError('INVALID_ADDRESS', 400, (address: string, why: string) =>
  `'${address}' ${why}`);
export const ERR_TIMEOUT = defineError('TIMEOUT', 504, (what: string, ms: number) => `${what} timed out after ${ms} ms`);
export const ERR_PEER_CLOSED = defineError('PEER_CLOSED', 502, (detail: string) => detail);
export const ERR_INVALID_STATE = defineError('INVALID_STATE', 409, (detail: string) => detail);
export const ERR_NOT_SUPPORTED = defineError('NOT_SUPPORTED', 501, (operation: string) =>
  `CSocketFile does not support ${operation}: a socket is a stream, not a file with a position or a length`);
export const ERR_ARCHIVE_REQUIRES_STREAM = defineError('ARCHIVE_REQUIRES_STREAM', 409, () =>
  'CArchive does not work with datagrams: archives need a reliable, ordered byte stream (a stream socket)');
export const ERR_MESSAGE_TOO_LARGE = defineError('MESSAGE_TOO_LARGE', 413, (size: number, max: number) =>
  `a datagram of ${size} bytes exceeds the ${max} bytes UDP can carry`);
export const ERR_ABORTED = defineError('ABORTED', 499, (what: string) => `${what} was cancelled`);
export const ERR_SOCKET = defineError('SOCKET_ERROR', 502, (detail: string) => detail);
