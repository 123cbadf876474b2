/**
 * No name leaves this process. The gateway under test runs in this process, so its name lookups go
 * through `node:dns` here: the guard replaces `lookup` (callback and promise forms, and the live
 * ESM bindings) and the resolver functions. Names of the loopback pool get the answer a local
 * resolver would give (as `getaddrinfo` with /etc/hosts: `localhost`, the numeric spellings that
 * `inet_aton` takes, a C string cut at its NUL); names under `.invalid` fail as NXDOMAIN; every other
 * name fails too and is recorded as a safety violation. No DNS query is ever sent.
 */
import dns from 'node:dns';
import dnsPromises from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { syncBuiltinESMExports } from 'node:module';
import { BIND_ADDRESSES, HOSTS } from './targets.js';

export interface LookupRecord {
  names: Map<string, number>;
  /** Names outside the pool that reached the resolver: each is a bug (of the fuzz or the gateway). */
  violations: Map<string, number>;
  resolverCalls: Map<string, number>;
}

export const lookups: LookupRecord = { names: new Map(), violations: new Map(), resolverCalls: new Map() };

/** inet_aton's forms: a, a.b, a.b.c, a.b.c.d with decimal, octal (0…) or hex (0x…) parts. */
function inetAton(name: string): string | undefined {
  const parts = name.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) n = Number(p);
    else return undefined;
    nums.push(n);
  }
  const last = nums.pop()!;
  const limits = [0xffffffff, 0xffffff, 0xffff, 0xff][nums.length]!;
  if (last > limits || nums.some((n) => n > 0xff)) return undefined;
  let v = last;
  nums.forEach((n, i) => (v += n * 2 ** (8 * (3 - i))));
  return [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff].join('.');
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

function isLoopbackAddress(a: string): boolean {
  const family = isIP(a.replace(/%.*$/, ''));
  return family !== 0 && LOOPBACK.check(a.replace(/%.*$/, ''), family === 6 ? 'ipv6' : 'ipv4');
}

/** What a local resolver would answer for `name`, or undefined when it would say "not found". */
function answer(name: string): { address: string; family: 4 | 6 }[] | undefined {
  const family = isIP(name);
  if (family !== 0) return [{ address: name, family: family as 4 | 6 }];
  // getaddrinfo receives a C string: it ends at the first NUL.
  const c = name.includes('\u0000') ? name.slice(0, name.indexOf('\u0000')) : name;
  if (isIP(c) !== 0) return [{ address: c, family: isIP(c) as 4 | 6 }];
  const lower = c.toLowerCase();
  if (lower === 'localhost' || lower === 'localhost.') return [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }];
  const aton = inetAton(c);
  if (aton !== undefined) return [{ address: aton, family: 4 }];
  return undefined;
}

function classify(name: string): 'pool' | 'invalid' | 'violation' {
  const a = answer(name);
  if (a !== undefined) return a.every((x) => isLoopbackAddress(x.address)) ? 'pool' : 'violation';
  const c = name.includes('\u0000') ? name.slice(0, name.indexOf('\u0000')) : name;
  if (/(^|\.)invalid\.?$/i.test(c)) return 'invalid';
  // Spellings of the pool that a resolver would take as names: "not found" here, never sent on.
  if (HOSTS.includes(name) || BIND_ADDRESSES.includes(name)) return 'invalid';
  return 'violation';
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function notFound(name: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname: name });
}

function resolveGuarded(name: string, options: unknown): { address: string; family: number }[] | { address: string; family: number } {
  const shown = JSON.stringify(name).slice(0, 120);
  bump(lookups.names, shown);
  const kind = classify(String(name));
  if (kind === 'violation') bump(lookups.violations, shown);
  const a = kind === 'pool' ? answer(String(name)) : undefined;
  if (a === undefined) throw notFound(String(name));
  const opts = typeof options === 'number' ? { family: options } : ((options ?? {}) as { all?: boolean; family?: number | string });
  const fam = opts.family === 'IPv4' ? 4 : opts.family === 'IPv6' ? 6 : Number(opts.family ?? 0);
  const list = fam === 4 || fam === 6 ? a.filter((x) => x.family === fam) : a;
  if (list.length === 0) throw notFound(String(name));
  return opts.all === true ? list : list[0]!;
}

let installed = false;

/**
 * The `node:dns` module objects and resolver prototypes, as the members the guard replaces by name.
 * The one cast of the guard: their typings list each function, and the guard writes any of them.
 */
function patchable(o: object): Record<string, unknown> {
  return o as Record<string, unknown>;
}

/** The resolver functions the guard refuses (every `resolve*`, and reverse lookups). */
const isResolver = (fn: string) => fn.startsWith('resolve') || fn === 'reverse';

/** Installs the guard for the life of this process (a vitest worker). Idempotent. */
export function installLookupGuard(): void {
  if (installed) return;
  installed = true;
  const cbLookup = function lookup(name: string, options: unknown, callback?: unknown): void {
    const cb = (typeof options === 'function' ? options : callback) as (err: Error | null, address?: unknown, family?: number) => void;
    const opts = typeof options === 'function' ? {} : options;
    let result: ReturnType<typeof resolveGuarded>;
    try {
      result = resolveGuarded(name, opts);
    } catch (err) {
      process.nextTick(() => cb(err as Error));
      return;
    }
    process.nextTick(() => (Array.isArray(result) ? cb(null, result) : cb(null, result.address, result.family)));
  };
  const promiseLookup = async (name: string, options?: unknown) => resolveGuarded(name, options);
  const refuse = (what: string) =>
    function refused(this: unknown, name: unknown, ...rest: unknown[]): unknown {
      bump(lookups.resolverCalls, `${what}(${JSON.stringify(name).slice(0, 80)})`);
      bump(lookups.violations, `${what}(${JSON.stringify(name).slice(0, 80)})`);
      const cb = rest.find((r) => typeof r === 'function') as ((e: Error) => void) | undefined;
      if (cb !== undefined) {
        process.nextTick(() => cb(notFound(String(name))));
        return undefined;
      }
      return Promise.reject(notFound(String(name)));
    };
  const d = patchable(dns);
  const p = patchable(dnsPromises);
  const dp = patchable(dns.promises);
  d.lookup = cbLookup;
  p.lookup = promiseLookup;
  dp.lookup = promiseLookup;
  for (const fn of Object.keys(d)) if (isResolver(fn) || fn === 'lookupService') d[fn] = refuse(`dns.${fn}`);
  for (const target of [p, dp]) for (const fn of Object.keys(target)) if (isResolver(fn) || fn === 'lookupService') target[fn] = refuse(`dns.promises.${fn}`);
  for (const R of [dns.Resolver, dnsPromises.Resolver]) {
    const proto = patchable(R.prototype);
    for (const fn of Object.getOwnPropertyNames(proto)) if (isResolver(fn)) proto[fn] = refuse(`Resolver.${fn}`);
  }
  syncBuiltinESMExports();
}

/** True when a lookup made the way the gateway makes it (an ESM import) reaches the guard. */
export async function guardWorks(): Promise<boolean> {
  const probe = 'guard-self-test.invalid';
  const before = lookups.names.get(JSON.stringify(probe)) ?? 0;
  const { lookup } = await import('node:dns/promises');
  try {
    await lookup(probe);
  } catch {
    // expected: not found
  }
  const cb = await new Promise<boolean>((resolve) => dns.lookup(probe, (err) => resolve(err !== null)));
  return cb && (lookups.names.get(JSON.stringify(probe)) ?? 0) === before + 2;
}
