/**
 * The gateway's configuration: one TypeBox schema is the single source of every setting — its
 * type, default, description, its environment variable (`ARCHWAY_` + the name in upper snake case)
 * and its flag (`--` + the name in kebab case). Flags win over the environment, the environment
 * over defaults. A bad value stops start-up with a message naming the flag or variable.
 */
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { Type, type Static, type TSchema } from 'typebox';
import Compile from 'typebox/compile';
import { checkCorsOrigin } from './plugins/cors-origins.js';
import { parsePortRanges } from './sessions/port-ranges.js';
import { parseTargetEntry } from './sessions/target-policy.js';

const MiB = 1024 * 1024;

export const ConfigSchema = Type.Object({
  host: Type.String({ default: '127.0.0.1', minLength: 1, description: 'address the HTTP server listens on' }),
  port: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'HTTP port (0: any free port)' }),
  types: Type.Array(Type.String({ minLength: 1 }), {
    default: [],
    description: 'message-type files (JSON or YAML) loaded at start, comma-separated',
  }),
  demo: Type.Boolean({ default: false, description: 'embed the demo archive service and load the demo types (npm start sets it)' }),
  demoPort: Type.Integer({ default: 7000, minimum: 0, maximum: 65535, description: 'port of the embedded demo service (TCP and UDP)' }),
  token: Type.String({ default: '', description: 'bearer token required on every route but /health (empty: no token)' }),
  allowTargets: Type.Array(Type.String({ minLength: 1 }), {
    default: ['127.0.0.0/8', '::1/128'],
    description: 'where sessions may connect and send datagrams: CIDR blocks and addresses; host names and *.domain suffixes that may be looked up (their addresses must still match an address entry unless written trust:<name>)',
  }),
  dnsServers: Type.Array(Type.String({ minLength: 1 }), {
    default: [],
    description: 'DNS servers (ip or ip:port) that look up host names; empty: the system resolver',
  }),
  allowBind: Type.Array(Type.String({ minLength: 1 }), {
    default: ['127.0.0.1', '::1'],
    description: 'local addresses sessions may bind to (the first is the default); 0.0.0.0 or :: opens them to the network',
  }),
  connectPorts: Type.String({ default: '1-65535', description: 'ports sessions may connect or send to, e.g. 7000,9000-9100' }),
  bindPorts: Type.String({ default: '0,1024-65535', description: 'local ports sessions may bind (0: any free port)' }),
  maxSessions: Type.Integer({ default: 1000, minimum: 1, description: 'sessions held at most (429 TOO_MANY_SESSIONS past it)' }),
  maxBufferedBytes: Type.Integer({ default: MiB, minimum: 1024, description: 'received bytes kept per session before its socket is paused' }),
  maxQueuedBytes: Type.Integer({ default: 16 * MiB, minimum: 1024, description: 'bytes a session keeps waiting for its peer to read them (503 OVERLOADED past it; one message of any size when none wait)' }),
  maxMemoryBytes: Type.Integer({ default: 128 * MiB, minimum: MiB, description: 'bytes held for all peers at most: received and unread, queued and unsent (503 OVERLOADED past it, reading pauses)' }),
  maxMessageBytes: Type.Integer({ default: 64 * MiB, minimum: 1024, description: 'largest archive message encoded or decoded' }),
  maxStringLength: Type.Integer({ default: 16 * MiB, minimum: 1, description: 'longest CString decoded (characters)' }),
  maxArrayLength: Type.Integer({ default: 4 * MiB, minimum: 1, description: 'most elements in one decoded collection' }),
  bodyLimit: Type.Integer({ default: 16 * MiB, minimum: 1024, description: 'largest HTTP request body, in bytes (413 past it)' }),
  defaultTimeoutMs: Type.Integer({ default: 30_000, minimum: 1, description: 'wait of load, exchange, accept and receive when the request gives none' }),
  maxTimeoutMs: Type.Integer({ default: 300_000, minimum: 1, description: 'longest wait a request may ask for' }),
  connectTimeoutMs: Type.Integer({ default: 10_000, minimum: 1, description: 'longest wait for a TCP connection to open' }),
  idleTimeoutMs: Type.Integer({ default: 3_600_000, minimum: 0, description: 'close sessions unused by HTTP clients this long (0: never)' }),
  closeTimeoutMs: Type.Integer({ default: 5_000, minimum: 1, description: 'how long closing a session waits for its peer to take what is still to send, before dropping the connection' }),
  requestTimeoutMs: Type.Integer({ default: 30_000, minimum: 100, description: 'longest time an HTTP client may take to send a whole request, headers and body (not the wait of a long-poll)' }),
  maxTypes: Type.Integer({ default: 1000, minimum: 1, description: 'message types held at most (POST /types past it: 429 TOO_MANY_TYPES)' }),
  instance: Type.String({ default: '', pattern: '^[A-Za-z0-9]{0,16}$', description: 'prefix of generated session names, to route to the owner when several gateways run' }),
  redisUrl: Type.String({ default: '', description: 'several gateways: the Redis of the session directory (redis://host:port/db); empty: this gateway alone, no Redis' }),
  advertiseUrl: Type.String({ default: '', description: "several gateways: this instance's address as the others reach it, to forward requests for its sessions (empty: http://ARCHWAY_HOST:port)" }),
  heartbeatMs: Type.Integer({ default: 1000, minimum: 50, description: 'several gateways: how often an instance renews its lease in the session directory' }),
  leaseMs: Type.Integer({ default: 5000, minimum: 200, description: "several gateways: an instance's lease; a crashed instance's names are free this long after its last heartbeat, and an instance cut off from Redis stops serving its sessions when it runs out" }),
  logLevel: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')], {
    default: 'info',
    description: 'pino log level',
  }),
  docs: Type.Boolean({ default: true, description: 'serve Swagger UI at /docs' }),
  corsOrigins: Type.Array(Type.String({ minLength: 1 }), {
    default: [],
    description: 'origins whose pages may call the gateway (CORS) and open its WebSockets, comma-separated, e.g. http://localhost:5173; * for any; empty: none but the gateway\'s own',
  }),
  ticketTtlMs: Type.Integer({ default: 30_000, minimum: 1000, maximum: 600_000, description: 'how long a stream ticket (POST /tickets, for EventSource and WebSocket) stays valid; it is also single-use' }),
  wsMaxFrameBytes: Type.Integer({ default: MiB, minimum: 1024, description: 'largest WebSocket frame a browser may send (the WebSocket is closed with 1009 past it)' }),
  streamWindowBytes: Type.Integer({ default: 256 * 1024, minimum: 1024, description: 'bytes a WebSocket or event stream may have on its way to the browser (and a WebSocket to the peer) before reading pauses' }),
  eventReplayBytes: Type.Integer({ default: 256 * 1024, minimum: 0, description: 'bytes of recent events a session keeps so that an event stream resumes after Last-Event-ID (0: none)' }),
});

export type Config = Static<typeof ConfigSchema>;

export interface ConfigError extends Error {
  setting: string;
}

/** `maxBufferedBytes` → `ARCHWAY_MAX_BUFFERED_BYTES`. */
export function envName(key: string): string {
  return `ARCHWAY_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** `maxBufferedBytes` → `--max-buffered-bytes`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function configError(setting: string, message: string): ConfigError {
  return Object.assign(new Error(`${setting}: ${message}`), { setting });
}

function fromText(schema: Setting, text: string): unknown {
  switch (schema.type) {
    case 'integer':
    case 'number':
      return text.trim() === '' ? Number.NaN : Number(text);
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off)$/i.test(text)) return false;
      return text;
    case 'array':
      return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
    default:
      return text;
  }
}

type Setting = TSchema & { default: unknown; type?: unknown; description?: string };

function settings(): Record<string, Setting> {
  return ConfigSchema.properties as unknown as Record<string, Setting>;
}

const checkers = new Map<string, ReturnType<typeof Compile>>();

/**
 * Builds the configuration from flags (`--name value`, `--name=value`, `--flag` for booleans,
 * `--no-flag`; read by node:util `parseArgs`, as every command's options), the environment, and
 * the defaults; validates each and the whole.
 */
export function loadConfig(argv: readonly string[] = [], env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const props = settings();
  const byFlag = new Map(Object.keys(props).map((k) => [flagName(k).slice(2), k]));
  const options = Object.fromEntries(
    [...byFlag].map(([flag, key]) => [flag, { type: props[key]!.type === 'boolean' ? ('boolean' as const) : ('string' as const) }]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false, allowNegative: true }));
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    const flag = /'(--?[^' ]+)/.exec(message)?.[1] ?? 'arguments';
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw configError(flag, 'needs a value');
    const known = [...byFlag.keys()].map((f) => `--${f}`).join(' ');
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw configError(flag, `unknown option (known: ${known})`);
    throw configError(flag, message.split(/\.\s/)[0] ?? message);
  }
  const fromFlags = new Map<string, string>();
  for (const [flag, value] of Object.entries(values)) {
    if (value !== undefined) fromFlags.set(byFlag.get(flag)!, String(value));
  }
  const config: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(props)) {
    const flag = fromFlags.get(key);
    const envText = env[envName(key)];
    const setting = flag !== undefined ? flagName(key) : envText !== undefined ? envName(key) : undefined;
    const value =
      key in overrides ? overrides[key as keyof Config] : flag !== undefined ? fromText(schema, flag) : envText !== undefined ? fromText(schema, envText) : structuredClone(schema.default);
    let checker = checkers.get(key);
    if (checker === undefined) checkers.set(key, (checker = Compile(schema)));
    if (!checker.Check(value)) {
      const e = [...checker.Errors(value)][0];
      const shown = flag ?? envText ?? JSON.stringify(value);
      throw configError(setting ?? key, `${JSON.stringify(shown)} ${e?.message ?? 'is not valid'} (${schema.description ?? ''})`);
    }
    config[key] = value;
  }
  const result = config as Config;
  for (const key of ['connectPorts', 'bindPorts'] as const) {
    try {
      parsePortRanges(result[key]);
    } catch (err) {
      throw configError(fromFlags.has(key) ? flagName(key) : envName(key), (err as Error).message);
    }
  }
  // The idle sweep must not close a session under a request still allowed to wait on it.
  if (result.idleTimeoutMs !== 0 && result.idleTimeoutMs < result.maxTimeoutMs) {
    const key = fromFlags.has('idleTimeoutMs') || env[envName('idleTimeoutMs')] !== undefined ? 'idleTimeoutMs' : 'maxTimeoutMs';
    throw configError(fromFlags.has(key) ? flagName(key) : envName(key), `idleTimeoutMs ${result.idleTimeoutMs} is shorter than maxTimeoutMs ${result.maxTimeoutMs} (or 0 to turn the idle policy off)`);
  }
  // A socket binds to an address, never a name (format §8.2): refuse names here, not per request.
  const badBind = result.allowBind.find((a) => isIP(a) === 0);
  if (badBind !== undefined) {
    throw configError(fromFlags.has('allowBind') ? flagName('allowBind') : envName('allowBind'), `'${badBind}' is not a numeric IPv4 or IPv6 address`);
  }
  const named = (key: string) => (fromFlags.has(key) ? flagName(key) : envName(key));
  for (const entry of result.allowTargets) {
    try {
      parseTargetEntry(entry);
    } catch (err) {
      throw configError(named('allowTargets'), (err as Error).message);
    }
  }
  for (const origin of result.corsOrigins) {
    try {
      checkCorsOrigin(origin);
    } catch (err) {
      throw configError(named('corsOrigins'), (err as Error).message);
    }
  }
  const badServer = result.dnsServers.find((s) => isIP(s.replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/^([\d.]+):\d+$/, '$1')) === 0);
  if (badServer !== undefined) throw configError(named('dnsServers'), `'${badServer}' is not an IP address or ip:port`);
  if (result.defaultTimeoutMs > result.maxTimeoutMs) {
    // Named as the user gave it: the flag or the variable of whichever of the two was set.
    const given = (key: string) => (fromFlags.has(key) ? flagName(key) : env[envName(key)] !== undefined ? envName(key) : undefined);
    const setting = given('defaultTimeoutMs') ?? given('maxTimeoutMs') ?? envName('defaultTimeoutMs');
    throw configError(setting, `${result.defaultTimeoutMs} exceeds maxTimeoutMs ${result.maxTimeoutMs}`);
  }
  checkCluster(result, named);
  return result;
}

/** Several gateways (SPEC §8): the directory's address, this instance's, and a lease that outlives heartbeats. */
function checkCluster(config: Config, named: (key: string) => string): void {
  for (const [key, schemes] of [['redisUrl', ['redis:', 'rediss:']], ['advertiseUrl', ['http:', 'https:']]] as const) {
    const text = config[key];
    if (text === '') continue;
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (url === undefined || !(schemes as readonly string[]).includes(url.protocol) || url.hostname === '') {
      throw configError(named(key), `'${text}' is not a ${schemes.map((s) => `${s}//host:port`).join(' or ')} URL`);
    }
  }
  if (config.redisUrl === '') return;
  if (config.leaseMs < 2 * config.heartbeatMs) {
    throw configError(named('leaseMs'), `leaseMs ${config.leaseMs} must be at least twice heartbeatMs ${config.heartbeatMs}: one late heartbeat must not end a lease`);
  }
  if (config.advertiseUrl === '' && (config.host === '0.0.0.0' || config.host === '::')) {
    throw configError(named('advertiseUrl'), `set it when ARCHWAY_HOST is ${config.host}: the other instances need an address they can reach`);
  }
}

/** Every setting with its variable, flag, default and description (for the README and `--help`). */
export function configTable(): { key: string; env: string; flag: string; default: unknown; description: string }[] {
  const props = settings();
  return Object.entries(props).map(([key, s]) => ({
    key,
    env: envName(key),
    flag: flagName(key),
    default: s.default,
    description: s.description ?? '',
  }));
}
