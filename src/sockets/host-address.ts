/**
 * Host resolution as MFC's `Connect`/`SendTo` do it (format §8.2): a dotted address (anything
 * `inet_addr` takes) is used as it is, and, Archway being IPv6-aware, an IPv6 literal too; anything
 * else must be a host name, looked up with the first address used, IPv4 preferred like
 * `gethostbyname`. A `TargetGuard` sees the name before any lookup and the address before any
 * packet, so an allowlist can refuse both (SPEC §5).
 */
import { lookup as systemLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ERR_HOST_NOT_FOUND, ERR_INVALID_ADDRESS } from './errors.js';
import { isInvalidName, isLocalhostName, parseHost } from './host-name.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Looks a host name up: every address it has (the first IPv4 one is used). */
export type HostLookup = (name: string) => Promise<ResolvedAddress[]>;

/** What may be reached: asked about a name before it is looked up, about an address before use. */
export interface TargetGuard {
  /** Throws to refuse looking `name` up at all (nothing is sent to any resolver). */
  name(name: string, port: number): void;
  /** Throws to refuse `address` (from a literal, or from looking up `name`). */
  address(address: string, family: 4 | 6, port: number, name?: string): void;
}

export interface ResolveOptions {
  guard?: TargetGuard;
  lookup?: HostLookup;
}

export function isLiteralAddress(host: string): boolean {
  return isIP(host) !== 0;
}

/** The system resolver (getaddrinfo: the hosts file, then DNS), as gethostbyname. */
export const lookupWithSystem: HostLookup = async (name) => {
  const all = await systemLookup(name, { all: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

function notFound(host: string): Error {
  return new ERR_HOST_NOT_FOUND(host).with({ wsa: 'WSAHOST_NOT_FOUND', wsaCode: 11001 });
}

/** The address `host` stands for on `port`, checked by `guard` before and after any lookup. */
export async function resolveHost(host: string, port = 0, options: ResolveOptions = {}): Promise<ResolvedAddress> {
  const spec = parseHost(host);
  const guard = options.guard;
  if (spec.kind === 'address') {
    guard?.address(spec.address, spec.family, port);
    return { address: spec.address, family: spec.family };
  }
  const name = spec.name;
  guard?.name(name, port);
  let found: ResolvedAddress | undefined;
  if (isLocalhostName(name)) {
    found = { address: '127.0.0.1', family: 4 };
  } else if (!isInvalidName(name)) {
    let all: ResolvedAddress[];
    try {
      all = await (options.lookup ?? lookupWithSystem)(name);
    } catch {
      throw notFound(name);
    }
    // A resolver answering an IPv4-mapped IPv6 address means the IPv4 one.
    const usable = all.map((a) => parseHost(a.address)).filter((a) => a.kind === 'address');
    const best = usable.find((a) => a.family === 4) ?? usable[0];
    if (best !== undefined) found = { address: best.address, family: best.family };
  }
  if (found === undefined) throw notFound(name);
  guard?.address(found.address, found.family, port, name);
  return found;
}

/** `Bind` takes a dotted address only; names are not resolved (`WSAEINVAL`, format §8.2). */
export function bindAddress(address: string | undefined, fallback: string): { address: string; family: 4 | 6 } {
  if (address === undefined) return { address: fallback, family: isIP(fallback) as 4 | 6 };
  const family = isIP(address);
  if (family === 0) {
    const shown = JSON.stringify(address.length > 80 ? `${address.slice(0, 80)}…` : address);
    throw new ERR_INVALID_ADDRESS(shown, 'is not a numeric address: a socket binds to an address, never a host name').with({
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
