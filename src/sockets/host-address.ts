/**
 * Host resolution as MFC's `Connect`/`SendTo` do it (format §8.2): a dotted IPv4 address is used as
 * it is (and, Archway being IPv6-aware, an IPv6 literal too); anything else is looked up as a host
 * name and the first address is used, IPv4 preferred like `gethostbyname`.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ERR_HOST_NOT_FOUND, ERR_INVALID_ADDRESS } from './errors.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export function isLiteralAddress(host: string): boolean {
  return isIP(host) !== 0;
}

export async function resolveHost(host: string): Promise<ResolvedAddress> {
  if (typeof host !== 'string' || host.length === 0 || host.length > 253) {
    throw new ERR_INVALID_ADDRESS(String(host), 'is not a host name or address');
  }
  const family = isIP(host);
  if (family !== 0) return { address: host, family: family as 4 | 6 };
  // RFC 6761: names under .invalid never resolve; answer without asking any resolver.
  if (/\.invalid\.?$/i.test(host) || host === 'invalid') {
    throw new ERR_HOST_NOT_FOUND(host).with({ wsa: 'WSAHOST_NOT_FOUND', wsaCode: 11001 });
  }
  let all: { address: string; family: number }[];
  try {
    all = await lookup(host, { all: true });
  } catch {
    throw new ERR_HOST_NOT_FOUND(host).with({ wsa: 'WSAHOST_NOT_FOUND', wsaCode: 11001 });
  }
  const best = all.find((a) => a.family === 4) ?? all[0];
  if (best === undefined) throw new ERR_HOST_NOT_FOUND(host).with({ wsa: 'WSAHOST_NOT_FOUND', wsaCode: 11001 });
  return { address: best.address, family: best.family as 4 | 6 };
}

/** `Bind` takes a dotted address only; names are not resolved (`WSAEINVAL`, format §8.2). */
export function bindAddress(address: string | undefined, fallback: string): { address: string; family: 4 | 6 } {
  if (address === undefined) return { address: fallback, family: isIP(fallback) as 4 | 6 };
  const family = isIP(address);
  if (family === 0) {
    throw new ERR_INVALID_ADDRESS(address, 'is not a numeric address: a socket binds to an address, never a host name').with({
      wsa: 'WSAEINVAL',
      wsaCode: 10022,
    });
  }
  return { address, family: family as 4 | 6 };
}

export function formatTarget(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

export function checkPort(port: unknown, allowZero = true): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < (allowZero ? 0 : 1) || port > 65535) {
    throw new ERR_INVALID_ADDRESS(String(port), `is not a port number (${allowZero ? 0 : 1}–65535)`);
  }
  return port;
}
