/**
 * The gateway's own address as configured (ARCHWAY_HOST, and the port it really got when it asked
 * for any): the server of the OpenAPI document, and the address other instances reach it by when
 * ARCHWAY_ADVERTISE_URL is not set.
 */
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';

export function selfUrl(app: FastifyInstance, config: Config): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  return `http://${isIP(config.host) === 6 ? `[${config.host}]` : config.host}:${port}`;
}
