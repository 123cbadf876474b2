/**
 * The errors of the socket layer (codes in core/codes.ts). Socket failures carry `wsa`, the Winsock
 * name MFC programmers know (format §8.7), beside Node's own code.
 */
import { defineError, quote } from '../core/index.js';

export const ERR_CONNECTION_REFUSED = defineError('CONNECTION_REFUSED', (target: string) =>
  `connection to ${target} refused: nothing listens there, or its backlog is full`);
export const ERR_HOST_NOT_FOUND = defineError('HOST_NOT_FOUND', (host: string) =>
  `host ${quote(host)} not found: not a dotted address and no name lookup answered for it`);
export const ERR_ADDRESS_IN_USE = defineError('ADDRESS_IN_USE', (target: string) =>
  `address ${target} is already in use by another socket`);
export const ERR_ADDRESS_NOT_AVAILABLE = defineError('ADDRESS_NOT_AVAILABLE', (address: string) =>
  `address ${address} is not an address of this machine, so nothing can be bound to it`);
export const ERR_INVALID_ADDRESS = defineError('INVALID_ADDRESS', (shown: string, why: string) => `${shown} ${why}`);
export const ERR_PEER_CLOSED = defineError('PEER_CLOSED', (detail: string) => detail);
export const ERR_INVALID_STATE = defineError('INVALID_STATE', (detail: string) => detail);
export const ERR_NOT_SUPPORTED = defineError('NOT_SUPPORTED', (operation: string) =>
  `CSocketFile does not support ${operation}: a socket is a stream, not a file with a position or a length`);
export const ERR_MESSAGE_TOO_LARGE = defineError('MESSAGE_TOO_LARGE', (size: number, max: number) =>
  `a datagram of ${size} bytes exceeds the ${max} bytes UDP can carry`);
export const ERR_SOCKET = defineError('SOCKET_ERROR', (detail: string) => detail);
