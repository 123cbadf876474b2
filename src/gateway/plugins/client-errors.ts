/**
 * What Node's HTTP parser refuses before Fastify sees a request — a request not received whole in
 * time, headers past 16 KiB, bytes that are not HTTP — answered with the same problem JSON and
 * codes as everything else (Node's own answers have no `code` and are not in the OpenAPI document).
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ERR_BAD_REQUEST, ERR_HEADERS_TOO_LARGE, ERR_REQUEST_TIMEOUT } from '../errors.js';
import { problemOf } from './problem.js';

export function clientErrorHandler(requestTimeoutMs: number): (err: Error & { code?: string }, socket: Socket) => void {
  return (err, socket) => {
    // A connection reset: nobody to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const e =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? new ERR_REQUEST_TIMEOUT(requestTimeoutMs)
      : err.code === 'HPE_HEADER_OVERFLOW' ? new ERR_HEADERS_TOO_LARGE()
      : new ERR_BAD_REQUEST(err.code ?? 'unreadable');
    const problem = problemOf(e);
    const body = JSON.stringify(problem);
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${problem.statusCode} ${STATUS_CODES[problem.statusCode] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(err);
  };
}
