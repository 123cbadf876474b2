/**
 * Which headers cross a forwarded hop (RFC 9110 §7.6.1): the end-to-end ones do, unchanged (the
 * bearer token, content type and length, the client's own headers); the hop-by-hop ones do not
 * (they describe one connection, and undici refuses most of them anyway), nor any header the
 * `Connection` header names. The client's Host goes on too: the owner checks a page's Origin
 * against it (and its host guard checks it) as if the request had reached it directly. The loop
 * guard says which instance the request was sent to.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Set on a forwarded request: the owner id it was sent to. Its receiver never forwards again. */
export const FORWARDED_TO = 'x-archway-forwarded-to';
/** Set on every answer of an instance of several: the owner id that answered (a forwarded answer keeps the owner's). */
export const ANSWERED_BY = 'x-archway-instance';

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade',
  // Not hop-by-hop, but not the owner's business: a 100-continue already handled here.
  'expect',
]);

function named(connection: string | string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const value of [connection ?? []].flat()) for (const token of value.split(',')) out.add(token.trim().toLowerCase());
  return out;
}

/** The headers of a request sent on to `owner`, with the loop guard and the client's address added. */
export function requestHeaders(headers: IncomingHttpHeaders, owner: string, clientIp: string): Record<string, string | string[]> {
  const drop = named(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(key) || drop.has(key) || key === FORWARDED_TO) continue;
    out[key] = value;
  }
  const seen = headers['x-forwarded-for'];
  out['x-forwarded-for'] = seen === undefined ? clientIp : `${[seen].flat().join(', ')}, ${clientIp}`;
  out[FORWARDED_TO] = owner;
  return out;
}

/** The owner's answer headers as they go back to the client. */
export function answerHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const drop = named(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(key) || drop.has(key)) continue;
    out[key] = value;
  }
  return out;
}
