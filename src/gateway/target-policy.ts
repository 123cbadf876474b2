/**
 * What sessions may reach (SPEC §5): the gateway opens sockets for web clients, an SSRF risk, so
 * connect and datagram targets must match the allowlist — checked on the address the name resolved
 * to, so a name that later resolves elsewhere (DNS rebinding) gains nothing — and local binds are
 * limited to allowed addresses and ports.
 */
import { BlockList, isIP } from 'node:net';
import { formatTarget } from '../sockets/index.js';
import type { Config } from './config.js';
import { ERR_TARGET_NOT_ALLOWED } from './errors.js';
import { inPortRanges, parsePortRanges, type PortRanges } from './port-ranges.js';

export class TargetPolicy {
  private readonly blocks = new BlockList();
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly connectPorts: PortRanges;
  private readonly bindPorts: PortRanges;
  private readonly bindAddresses: string[];

  constructor(config: Pick<Config, 'allowTargets' | 'allowBind' | 'connectPorts' | 'bindPorts'>) {
    for (const entry of config.allowTargets) {
      const [addr, bits] = entry.split('/');
      const family = isIP(addr ?? '');
      if (family !== 0 && bits !== undefined) this.blocks.addSubnet(addr!, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
      else if (family !== 0) this.blocks.addAddress(addr!, family === 6 ? 'ipv6' : 'ipv4');
      else if (entry.startsWith('*.')) this.suffixes.push(entry.slice(1).toLowerCase());
      else this.names.add(entry.toLowerCase());
    }
    this.connectPorts = parsePortRanges(config.connectPorts);
    this.bindPorts = parsePortRanges(config.bindPorts);
    this.bindAddresses = config.allowBind;
  }

  /** The address sessions bind to when the request names none. */
  get defaultBindAddress(): string {
    return this.bindAddresses[0] ?? '127.0.0.1';
  }

  /** Throws TARGET_NOT_ALLOWED unless `host` (resolved to `address`) and `port` are allowed. */
  checkTarget(host: string, address: string, port: number, family: 4 | 6): void {
    if (!inPortRanges(this.connectPorts, port)) {
      throw new ERR_TARGET_NOT_ALLOWED(`port ${port}`, 'ARCHWAY_CONNECT_PORTS').with({ host, port });
    }
    const name = host.toLowerCase().replace(/\.$/, '');
    const byName = this.names.has(name) || this.suffixes.some((s) => name.endsWith(s));
    const byAddress = this.blocks.check(address, family === 6 ? 'ipv6' : 'ipv4');
    if (!byName && !byAddress) {
      const shown = host === address ? formatTarget(address, port) : `${host} (${formatTarget(address, port)})`;
      throw new ERR_TARGET_NOT_ALLOWED(`target ${shown}`, 'ARCHWAY_ALLOW_TARGETS').with({ host, address, port });
    }
  }

  /** Throws TARGET_NOT_ALLOWED unless sessions may bind `address`:`port`. */
  checkBind(address: string, port: number): void {
    if (!inPortRanges(this.bindPorts, port)) {
      throw new ERR_TARGET_NOT_ALLOWED(`local port ${port}`, 'ARCHWAY_BIND_PORTS').with({ port });
    }
    if (!this.bindAddresses.includes(address)) {
      throw new ERR_TARGET_NOT_ALLOWED(`binding to ${address}`, 'ARCHWAY_ALLOW_BIND').with({ address });
    }
  }
}
