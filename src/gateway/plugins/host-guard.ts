/**
 * DNS rebinding (SPEC §5): a page on attacker.example whose name is re-pointed at 127.0.0.1 is,
 * to the browser, same-origin with a gateway on loopback — CORS and the origin checks let it read
 * answers and open streams, and with no token it could drive sessions (and, through them, the
 * loopback services the allowlist admits). The one thing such a request cannot fake is its Host
 * header: a gateway listening on loopback answers only requests whose Host names loopback
 * (`localhost` and `*.localhost`, 127.0.0.0/8, `::1`, any port), and refuses others with 421
 * HOST_NOT_ALLOWED before anything else runs (request-guard.ts). A gateway listening elsewhere is reached by the
 * names its operators give it; there, set ARCHWAY_TOKEN.
 */
import net from 'node:net';
import { isLocalhostName, parseHost } from '../../sockets/index.js';
import { ERR_HOST_NOT_ALLOWED } from '../errors.js';

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether `host` (an address, `[v6]`, or a name; no port) is loopback, read as connect reads hosts. */
export function isLoopbackHost(host: string): boolean {
  let spec;
  try {
    spec = parseHost(host.replace(/^\[(.*)\]$/, '$1'));
  } catch {
    return false;
  }
  if (spec.kind === 'name') return isLocalhostName(spec.name);
  return LOOPBACK.check(spec.address.split('%')[0]!, spec.family === 4 ? 'ipv4' : 'ipv6');
}

/** The host of a Host header value (`[::1]:8080` → `[::1]`, `localhost:80` → `localhost`). */
function hostOf(header: string): string {
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const colon = header.lastIndexOf(':');
  return colon < 0 ? header : header.slice(0, colon);
}

/** Verdicts on Host values seen (clients send the same few): the hot path parses none twice. */
const MAX_REMEMBERED = 256;

/**
 * The refusal of a request's Host header, or undefined: undefined itself when the gateway does not
 * listen on loopback (every Host is then accepted).
 */
export function hostRefusal(listenHost: string): ((header: string | undefined) => Error | undefined) | undefined {
  if (!isLoopbackHost(listenHost)) return undefined;
  const seen = new Map<string, boolean>();
  // The Host value clients sent last: compared as it is, not hashed for the map (every request).
  let last = '';
  return (header) => {
    // No Host at all is no browser (an HTTP/1.0 health check): a rebound page always sends one.
    if (header === undefined || header === last) return undefined;
    let ok = seen.get(header);
    if (ok === undefined) {
      ok = isLoopbackHost(hostOf(header));
      if (seen.size >= MAX_REMEMBERED) seen.clear();
      seen.set(header, ok);
    }
    if (!ok) return new ERR_HOST_NOT_ALLOWED(header);
    last = header;
    return undefined;
  };
}
