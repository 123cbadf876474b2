/**
 * Node's socket errors as the Winsock errors MFC reports (format §8.7), and as Archway error codes.
 */
import { ArchwayError, ERR_TIMEOUT } from '../core/index.js';
import {
  ERR_ADDRESS_IN_USE, ERR_ADDRESS_NOT_AVAILABLE, ERR_CONNECTION_REFUSED, ERR_HOST_NOT_FOUND,
  ERR_MESSAGE_TOO_LARGE, ERR_PEER_CLOSED, ERR_SOCKET,
} from './errors.js';

/** Winsock name and number for a Node (libuv) error code. */
export const WINSOCK: Readonly<Record<string, readonly [string, number]>> = {
  EINTR: ['WSAEINTR', 10004],
  EACCES: ['WSAEACCES', 10013],
  EINVAL: ['WSAEINVAL', 10022],
  EAGAIN: ['WSAEWOULDBLOCK', 10035],
  EINPROGRESS: ['WSAEINPROGRESS', 10036],
  ENOTSOCK: ['WSAENOTSOCK', 10038],
  EMSGSIZE: ['WSAEMSGSIZE', 10040],
  EADDRINUSE: ['WSAEADDRINUSE', 10048],
  EADDRNOTAVAIL: ['WSAEADDRNOTAVAIL', 10049],
  ENETDOWN: ['WSAENETDOWN', 10050],
  ENETUNREACH: ['WSAENETUNREACH', 10051],
  ECONNABORTED: ['WSAECONNABORTED', 10053],
  ECONNRESET: ['WSAECONNRESET', 10054],
  EPIPE: ['WSAECONNRESET', 10054],
  ENOBUFS: ['WSAENOBUFS', 10055],
  EISCONN: ['WSAEISCONN', 10056],
  ENOTCONN: ['WSAENOTCONN', 10057],
  ESHUTDOWN: ['WSAESHUTDOWN', 10058],
  ETIMEDOUT: ['WSAETIMEDOUT', 10060],
  ECONNREFUSED: ['WSAECONNREFUSED', 10061],
  EHOSTUNREACH: ['WSAEHOSTUNREACH', 10065],
  ENOTFOUND: ['WSAHOST_NOT_FOUND', 11001],
  EAI_NONAME: ['WSAHOST_NOT_FOUND', 11001],
  EAI_AGAIN: ['WSATRY_AGAIN', 11002],
};

interface SystemError extends Error {
  code?: string;
  syscall?: string;
}

/** The ArchwayError for a Node socket error; `target` names the peer or local address involved. */
export function socketError(err: unknown, target: string): ArchwayError {
  if (err instanceof ArchwayError) return err;
  const e = err as SystemError;
  const code = e?.code ?? 'UNKNOWN';
  const [wsa, wsaCode] = WINSOCK[code] ?? ['WSAEINVAL', 10022];
  let out: ArchwayError;
  switch (code) {
    case 'ECONNREFUSED':
      out = new ERR_CONNECTION_REFUSED(target);
      break;
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_AGAIN':
      out = new ERR_HOST_NOT_FOUND(target);
      break;
    case 'EADDRINUSE':
      out = new ERR_ADDRESS_IN_USE(target);
      break;
    case 'EADDRNOTAVAIL':
      out = new ERR_ADDRESS_NOT_AVAILABLE(target);
      break;
    case 'ETIMEDOUT':
      out = new ERR_TIMEOUT(`connecting to ${target}`, 0);
      break;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      out = new ERR_PEER_CLOSED(`the connection with ${target} was reset by the peer`);
      break;
    case 'EMSGSIZE':
      out = new ERR_MESSAGE_TOO_LARGE(0, 65507);
      break;
    default:
      out = new ERR_SOCKET(`socket error with ${target}: ${e?.message ?? String(err)}`);
  }
  return out.with({ wsa, wsaCode, errno: code });
}
