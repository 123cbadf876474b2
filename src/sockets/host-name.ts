/**
 * What a host string given to `Connect` / `SendTo` stands for, decided before anything is looked
 * up. MFC's `CAsyncSocket::Connect` first tries `inet_addr` (so `127.1` and `0x7f.0.0.1` are
 * addresses, format §8.2) and only then `gethostbyname`. Archway does the same, and refuses what is
 * neither: a name must be an RFC 1123 host name (labels of letters, digits and hyphens, at most 63
 * characters, 253 in all), so that a NUL or a control character can never make an allowlist match
 * one name while the resolver looks up another (a name ending at a NUL). International names are
 * converted to their ASCII (punycode) form; a trailing dot is the same name without it.
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { ERR_INVALID_ADDRESS } from './errors.js';

export type HostSpec =
  | { readonly kind: 'address'; readonly address: string; readonly family: 4 | 6 }
  | { readonly kind: 'name'; readonly name: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** `inet_addr`: one to four parts, each decimal, octal (leading 0) or hex (0x), the last filling the rest. */
export function parseInetAddr(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(part)) n = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) n = parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) n = Number(part);
    else return undefined;
    if (!Number.isSafeInteger(n)) return undefined;
    values.push(n);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255) || last >= 2 ** (8 * (4 - values.length))) return undefined;
  let value = last;
  for (let i = 0; i < values.length; i++) value += values[i]! * 2 ** (8 * (3 - i));
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** `::ffff:a.b.c.d` is the IPv4 address a.b.c.d on a dual-stack socket: checked and used as such. */
function unmapped(address: string): HostSpec {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m !== null) return { kind: 'address', address: m[1]!, family: 4 };
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex !== null) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return { kind: 'address', address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, family: 4 };
  }
  return { kind: 'address', address, family: 6 };
}

function invalid(host: string, why: string): never {
  const shown = JSON.stringify(host.length > 80 ? `${host.slice(0, 80)}…` : host);
  throw new ERR_INVALID_ADDRESS(shown, why).with({ wsa: 'WSAEINVAL', wsaCode: 10022 });
}

/** The address or the host name `host` stands for; INVALID_ADDRESS when it is neither. */
export function parseHost(host: unknown): HostSpec {
  if (typeof host !== 'string' || host.length === 0) return invalid(String(host), 'is not a host name or address');
  // Control characters, spaces and anything past Unicode's printable range never belong in a host.
  // oxlint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\u0000-\u0020\u007f-\u009f]/.test(host)) return invalid(host, 'contains a control character or a space: not a host name or address');
  if (host.length > 254) return invalid(host, 'is longer than the 253 characters of a host name');
  const family = isIP(host);
  if (family === 6) {
    // A zone id (`fe80::1%eth0`) picks an interface, not another host: the address is what is checked.
    const [address, zone] = host.split('%');
    if (zone !== undefined && !/^[A-Za-z0-9_.-]{1,32}$/.test(zone)) return invalid(host, 'has a malformed zone id');
    const spec = unmapped(address!.toLowerCase());
    return spec.kind === 'address' && spec.family === 6 && zone !== undefined ? { ...spec, address: `${spec.address}%${zone}` } : spec;
  }
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  if (family === 4) return { kind: 'address', address: host, family: 4 };
  const inet = parseInetAddr(bare);
  if (inet !== undefined) return { kind: 'address', address: inet, family: 4 };
  // International names: their ASCII form is what DNS sees, so it is what the allowlist matches.
  const ascii = /^[\x21-\x7e]*$/.test(bare) ? bare.toLowerCase() : domainToASCII(bare);
  if (ascii === '') return invalid(host, 'is not a valid international domain name');
  if (ascii.length > 253) return invalid(host, 'is longer than the 253 characters of a host name');
  const labels = ascii.split('.');
  if (labels.some((l) => !LABEL.test(l))) {
    return invalid(host, 'is not a host name: labels are letters, digits and inner hyphens, 1 to 63 characters (RFC 1123)');
  }
  // All-numeric names that inet_addr refused (`256.1.1.1`) would be looked up as names: refuse.
  if (/^[0-9.]+$/.test(ascii) || /^\d+$/.test(labels[labels.length - 1]!)) return invalid(host, 'is neither a valid dotted address nor a host name');
  return { kind: 'name', name: ascii };
}

/** RFC 6761 §6.3: `localhost` and names under it are the loopback, never asked of a resolver. */
export function isLocalhostName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost');
}

/** RFC 6761 §6.4: names under `.invalid` never resolve. */
export function isInvalidName(name: string): boolean {
  return name === 'invalid' || name.endsWith('.invalid');
}
