/**
 * MFC's `Create` binds at once, so "address in use" surfaces at creation. Node binds a TCP socket
 * only when it listens or connects; this probe listens and closes at once, so the same error comes
 * at the same step. (The port is checked, not held: `listen` binds it for good.)
 */
import net from 'node:net';
import { formatTarget } from './host-address.js';
import { socketError } from './winsock.js';

export function probeBind(address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err) => reject(socketError(err, formatTarget(address, port))));
    server.listen({ port, host: address, exclusive: true }, () => server.close(() => resolve()));
  });
}
