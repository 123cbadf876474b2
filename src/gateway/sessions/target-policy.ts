/**
 * What sessions may reach (SPEC §5). The gateway opens sockets for web clients, an SSRF risk, so
 * every connect and datagram target passes two checks, whatever the spelling of the host (numeric
 * forms, IPv4-mapped IPv6, trailing dots, control characters are settled by `parseHost` first):
 * - before any lookup, a name must match a name entry (`localhost` aside): a name no entry could
 *   allow is never sent to a resolver, so clients cannot use the gateway to leak data over DNS;
 * - the address that will be used must match an address entry. A name entry lets a name be looked
 *   up, not reach anywhere: a name that resolves outside the address entries (DNS rebinding, a
 *   record pointing at 169.254.169.254) is refused, unless its entry says `trust:` explicitly.
 * Local binds are limited to allowed addresses and ports.
 */
import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { formatTarget, isLocalhostName, lookupWithSystem, type HostLookup, type ResolvedAddress, type TargetGuard } from '../../sockets/index.js';
import type { Config } from '../config.js';
import { ERR_TARGET_NOT_ALLOWED } from '../errors.js';
import { inPortRanges, parsePortRanges, type PortRanges } from './port-ranges.js';

const TRUST = 'trust:';
const NAME = /^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

interface NameEntry {
  /** The exact name, or the suffix (with its leading dot) of a `*.` entry. */
  readonly pattern: string;
  readonly suffix: boolean;
  /** The addresses the name resolves to are allowed whatever they are. */
  readonly trusted: boolean;
}

export type TargetEntry = { kind: 'block'; address: string; bits?: number; family: 4 | 6 } | { kind: 'name'; entry: NameEntry };

/** One ARCHWAY_ALLOW_TARGETS entry: a CIDR block, an address, a name, `*.suffix`, `trust:` + name. */
export function parseTargetEntry(text: string): TargetEntry {
  const lower = text.trim().toLowerCase();
  const trusted = lower.startsWith(TRUST);
  const body = trusted ? lower.slice(TRUST.length) : lower;
  const [addr, bits, ...rest] = body.split('/');
  const ip = isIP(addr ?? '');
  const family = ip === 6 ? 6 : 4;
  if (!trusted && ip !== 0 && rest.length === 0) {
    const max = family === 6 ? 128 : 32;
    if (bits === undefined) return { kind: 'block', address: addr!, family };
    if (/^\d{1,3}$/.test(bits) && Number(bits) <= max) return { kind: 'block', address: addr!, bits: Number(bits), family };
    throw new Error(`'${text}': the prefix length must be 0 to ${max}`);
  }
  if (NAME.test(body) && !/^[0-9.*]+$/.test(body)) {
    const suffix = body.startsWith('*.');
    return { kind: 'name', entry: { pattern: suffix ? body.slice(1) : body, suffix, trusted } };
  }
  throw new Error(`'${text}' is not an address, a CIDR block, a host name, a *.domain suffix or trust: followed by a name`);
}

/** `ip` or `ip:port` / `[ip6]:port` entries of ARCHWAY_DNS_SERVERS, as dns.Resolver takes them. */
export function dnsLookup(servers: readonly string[]): HostLookup {
  if (servers.length === 0) return lookupWithSystem;
  const resolver = new dns.Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([...servers]);
  return async (name) => {
    const found: ResolvedAddress[] = [];
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
    if (v4.status === 'fulfilled') found.push(...v4.value.map((address) => ({ address, family: 4 as const })));
    if (v6.status === 'fulfilled') found.push(...v6.value.map((address) => ({ address, family: 6 as const })));
    if (found.length === 0) throw new Error(`no address for ${name}`);
    return found;
  };
}

export class TargetPolicy implements TargetGuard {
  private readonly blocks = new BlockList();
  private readonly names: NameEntry[] = [];
  private readonly connectPorts: PortRanges;
  private readonly bindPorts: PortRanges;
  private readonly bindAddresses: string[];
  /** How names are looked up (the system resolver, or ARCHWAY_DNS_SERVERS). */
  readonly lookup: HostLookup;

  constructor(config: Pick<Config, 'allowTargets' | 'allowBind' | 'connectPorts' | 'bindPorts' | 'dnsServers'>) {
    for (const text of config.allowTargets) {
      const e = parseTargetEntry(text);
      if (e.kind === 'name') this.names.push(e.entry);
      else if (e.bits === undefined) this.blocks.addAddress(e.address, e.family === 6 ? 'ipv6' : 'ipv4');
      else this.blocks.addSubnet(e.address, e.bits, e.family === 6 ? 'ipv6' : 'ipv4');
    }
    this.connectPorts = parsePortRanges(config.connectPorts);
    this.bindPorts = parsePortRanges(config.bindPorts);
    this.bindAddresses = config.allowBind;
    this.lookup = dnsLookup(config.dnsServers);
  }

  /** The address sessions bind to when the request names none. */
  get defaultBindAddress(): string {
    return this.bindAddresses[0] ?? '127.0.0.1';
  }

  private entryFor(name: string): NameEntry | undefined {
    return this.names.find((e) => (e.suffix ? name.endsWith(e.pattern) : name === e.pattern));
  }

  private checkPort(port: number, host: string): void {
    if (!inPortRanges(this.connectPorts, port)) {
      throw new ERR_TARGET_NOT_ALLOWED(`port ${port}`, 'ARCHWAY_CONNECT_PORTS').with({ host, port });
    }
  }

  /** Before any lookup: only `localhost` and names matching a name entry are looked up. */
  name(name: string, port: number): void {
    this.checkPort(port, name);
    if (isLocalhostName(name) || this.entryFor(name) !== undefined) return;
    throw new ERR_TARGET_NOT_ALLOWED(`host name '${name}' (no entry allows it, so it was not looked up)`, 'ARCHWAY_ALLOW_TARGETS')
      .with({ host: name, port });
  }

  /** The address to be used: it must match an address entry, or come from a `trust:` name. */
  address(address: string, family: 4 | 6, port: number, name?: string): void {
    const host = name ?? address;
    this.checkPort(port, host);
    const bare = address.split('%')[0]!;
    if (this.blocks.check(bare, family === 6 ? 'ipv6' : 'ipv4')) return;
    if (name !== undefined && this.entryFor(name)?.trusted === true) return;
    const shown = name === undefined ? formatTarget(address, port) : `${name} (${formatTarget(address, port)})`;
    const why = name === undefined ? '' : ': a name entry lets a name be looked up, its address must still match an address entry (or write the entry as trust:<name>)';
    throw new ERR_TARGET_NOT_ALLOWED(`target ${shown}${why}`, 'ARCHWAY_ALLOW_TARGETS').with({ host, address, port });
  }

  /** Throws TARGET_NOT_ALLOWED unless sessions may bind `address`:`port`. */
  checkBind(address: string, port: number): void {
    if (!inPortRanges(this.bindPorts, port)) {
      throw new ERR_TARGET_NOT_ALLOWED(`local port ${port}`, 'ARCHWAY_BIND_PORTS').with({ port });
    }
    if (!this.bindAddresses.includes(address)) {
      throw new ERR_TARGET_NOT_ALLOWED(`binding to ${JSON.stringify(address.slice(0, 80))}`, 'ARCHWAY_ALLOW_BIND').with({ address: address.slice(0, 80) });
    }
  }
}
