/**
 * The parts of the OpenAPI 3.1 document that no route carries: the API's description with the table
 * of error codes, the tags, the servers, and the bearer scheme when a token is required.
 */
import { allCodes } from '../error-catalog.js';

export const API_VERSION = '1.0.0';

export const TAGS = [
  { name: 'sessions', description: 'socket sessions: create, listen, connect, accept, close, events' },
  { name: 'operations', description: 'the operations the loaded type files declare: one typed route each' },
  { name: 'archives', description: 'CArchive over a connected stream session: store, load, exchange, raw bytes' },
  { name: 'typed archives', description: 'store and load of each declared message type, with its schema' },
  { name: 'datagrams', description: 'UDP: SendTo / ReceiveFrom' },
  { name: 'types', description: 'message types (SPEC §2)' },
  { name: 'service', description: 'health, metrics, this document' },
];

export function documentInfo() {
  const codes = allCodes()
    .filter((c) => c.http)
    .sort((a, b) => a.status - b.status || a.code.localeCompare(b.code))
    .map((c) => `| \`${c.code}\` | ${c.status} | ${c.when} |`)
    .join('\n');
  return {
    title: 'Archway gateway',
    version: API_VERSION,
    summary: 'JSON over HTTP to MFC archive-over-socket services',
    license: { name: 'MIT', identifier: 'MIT' },
    contact: { name: 'Archway', url: 'https://github.com/archway-gateway/archway' },
    description: [
      'JSON over HTTP to archive-over-socket services: named socket sessions (MFC CSocket / CAsyncSocket),',
      'byte-exact CArchive encoding of JSON values, and datagrams. Message types are listed at `GET /types`;',
      'each declared operation and type also has a typed route (tags `operations`, `typed archives`).',
      '',
      'Answers are canonical JSON (one shape per MFC type); `?form=lossless` gives the forms that',
      'reproduce unusual wire bytes exactly, as `application/vnd.archway.lossless+json`. Requests accept both.',
      '',
      'Errors are problem-style JSON `{statusCode, code, message}` plus details (`path`, `offset`, `wsa`…).',
      '',
      '| code | status | when |',
      '|---|---|---|',
      codes,
    ].join('\n'),
  };
}

/** Where the gateway answers: relative to the document first (behind a balancer too), then as configured. */
export function servers(configured: string) {
  return [
    { url: '/', description: 'this gateway, where the document is served from' },
    { url: configured, description: 'this gateway as configured (ARCHWAY_HOST, ARCHWAY_PORT)' },
  ];
}
