/**
 * The gateway's configuration (SPEC §5): flags, environment, defaults; every bad value stops
 * start-up naming the flag or variable; and `archway serve` as a process (exit codes, SIGTERM).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, configTable, envName, flagName, loadConfig, type ConfigError } from '../../src/gateway/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The error loadConfig throws (it must throw). */
function failure(argv: string[], env: Record<string, string> = {}): ConfigError {
  try {
    loadConfig(argv, env);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error(`loadConfig(${JSON.stringify(argv)}, ${JSON.stringify(env)}) did not throw`);
}

describe('loadConfig', () => {
  it('defaults are safe: loopback HTTP, loopback targets and binds, no token, caps set', () => {
    const c = loadConfig([], {});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      token: '',
      allowTargets: ['127.0.0.0/8', '::1/128'],
      allowBind: ['127.0.0.1', '::1'],
      connectPorts: '1-65535',
      bindPorts: '0,1024-65535',
      maxSessions: 1000,
      bodyLimit: 16 * 1024 * 1024,
      defaultTimeoutMs: 30_000,
      maxTimeoutMs: 300_000,
      docs: true,
      demo: false,
      types: [],
    });
  });

  it('reads flags in both forms, booleans with --flag / --no-flag, lists comma-separated', () => {
    const c = loadConfig(['--port', '9000', '--max-sessions=5', '--demo', '--no-docs', '--types', 'a.json, b.yaml', '--allow-targets=10.0.0.0/8,*.corp.example', '--log-level', 'warn'], {});
    expect(c).toMatchObject({ port: 9000, maxSessions: 5, demo: true, docs: false, types: ['a.json', 'b.yaml'], allowTargets: ['10.0.0.0/8', '*.corp.example'], logLevel: 'warn' });
  });

  it('reads ARCHWAY_ variables; flags win over them, and then a bad variable does not matter', () => {
    const env = { ARCHWAY_PORT: '9100', ARCHWAY_TOKEN: 't0k', ARCHWAY_DOCS: 'off', ARCHWAY_ALLOW_BIND: '127.0.0.1,0.0.0.0', ARCHWAY_MAX_SESSIONS: 'lots' };
    const c = loadConfig(['--port', '9000', '--max-sessions', '7'], env);
    expect(c).toMatchObject({ port: 9000, token: 't0k', docs: false, allowBind: ['127.0.0.1', '0.0.0.0'], maxSessions: 7 });
    expect(loadConfig([], { ARCHWAY_PORT: '9100' }).port).toBe(9100);
  });

  it('refuses a host name among the bind addresses (sockets bind to addresses only), naming the setting', () => {
    expect(failure(['--allow-bind', '127.0.0.1,localhost']).setting).toBe('--allow-bind');
    const e = failure([], { ARCHWAY_ALLOW_BIND: 'db.example' });
    expect(e.setting).toBe('ARCHWAY_ALLOW_BIND');
    expect(e.message).toContain("'db.example' is not a numeric");
  });

  it('every setting has a flag and a variable derived from its name, and a default that is valid', () => {
    const table = configTable();
    expect(table.map((r) => r.key)).toEqual(Object.keys(ConfigSchema.properties));
    for (const row of table) {
      expect(row.flag).toBe(flagName(row.key));
      expect(row.env).toBe(envName(row.key));
      expect(row.env).toMatch(/^ARCHWAY_[A-Z_]+$/);
      expect(row.flag).toMatch(/^--[a-z-]+$/);
      expect(row.description.length).toBeGreaterThan(0);
    }
    expect(envName('maxBufferedBytes')).toBe('ARCHWAY_MAX_BUFFERED_BYTES');
    expect(flagName('maxBufferedBytes')).toBe('--max-buffered-bytes');
  });

  it('each bad value throws naming the flag or the variable it came from', () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['--port', 'notaport'], {}, '--port'],
      [['--port=70000'], {}, '--port'],
      [['--port', ''], {}, '--port'],
      [[], { ARCHWAY_PORT: '-1' }, 'ARCHWAY_PORT'],
      [[], { ARCHWAY_PORT: '80.5' }, 'ARCHWAY_PORT'],
      [['--max-sessions', '0'], {}, '--max-sessions'],
      [[], { ARCHWAY_BODY_LIMIT: '10' }, 'ARCHWAY_BODY_LIMIT'],
      [['--log-level', 'loud'], {}, '--log-level'],
      [[], { ARCHWAY_DEMO: 'maybe' }, 'ARCHWAY_DEMO'],
      [['--instance', 'has space'], {}, '--instance'],
      [[], { ARCHWAY_HOST: '' }, 'ARCHWAY_HOST'],
      [['--bogus'], {}, '--bogus'],
      [['--no-port'], {}, '--no-port'],
      [['--port'], {}, '--port'],
    ];
    for (const [argv, env, setting] of cases) {
      const err = failure(argv, env);
      expect(err.setting, `${JSON.stringify(argv)} ${JSON.stringify(env)}`).toBe(setting);
      expect(err.message.startsWith(`${setting}: `), err.message).toBe(true);
    }
    expect(failure(['--port'], {}).message).toContain('needs a value');
    expect(failure(['--bogus'], {}).message).toContain('--max-sessions');
  });

  it('port ranges: lists and ranges are accepted; bad ones name the flag or variable', () => {
    expect(loadConfig(['--connect-ports', '7000, 9000-9100', '--bind-ports', '0'], {})).toMatchObject({ connectPorts: '7000, 9000-9100', bindPorts: '0' });
    const cases: [string[], Record<string, string>, string][] = [
      [['--connect-ports', '9100-9000'], {}, '--connect-ports'],
      [['--connect-ports', '70000'], {}, '--connect-ports'],
      [[], { ARCHWAY_BIND_PORTS: 'http' }, 'ARCHWAY_BIND_PORTS'],
      [[], { ARCHWAY_CONNECT_PORTS: '' }, 'ARCHWAY_CONNECT_PORTS'],
      [['--bind-ports', '1-2-3'], {}, '--bind-ports'],
    ];
    for (const [argv, env, setting] of cases) {
      const err = failure(argv, env);
      expect(err.setting, err.message).toBe(setting);
    }
    expect(failure([], { ARCHWAY_CONNECT_PORTS: ' , ' }).message).toContain('no ports given');
  });

  it('a default wait longer than the longest allowed names the setting that was given', () => {
    expect(failure(['--default-timeout-ms', '500000'], {}).setting).toBe('--default-timeout-ms');
    expect(failure([], { ARCHWAY_DEFAULT_TIMEOUT_MS: '500000' }).setting).toBe('ARCHWAY_DEFAULT_TIMEOUT_MS');
    expect(failure(['--max-timeout-ms', '1000'], {}).setting).toBe('--max-timeout-ms');
    expect(failure([], { ARCHWAY_MAX_TIMEOUT_MS: '1000' }).message).toMatch(/^ARCHWAY_MAX_TIMEOUT_MS: 30000 exceeds maxTimeoutMs 1000/);
    expect(loadConfig(['--default-timeout-ms', '1000', '--max-timeout-ms', '1000'], {})).toMatchObject({ defaultTimeoutMs: 1000, maxTimeoutMs: 1000 });
  });

  it('programmatic overrides win over flags and are validated too', () => {
    expect(loadConfig(['--port', '9000'], {}, { port: 0 }).port).toBe(0);
    expect(() => loadConfig([], {}, { maxSessions: 0 })).toThrow(/maxSessions/);
  });
});

/** Runs `node bin/archway.js …`; resolves with the exit code and output. */
function archway(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/archway.js'), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('archway serve (the process)', () => {
  it('exits 1 with one stderr line naming the flag or variable of a bad value', async () => {
    const [byFlag, byEnv] = await Promise.all([archway(['serve', '--port', 'notaport']), archway(['serve'], { ARCHWAY_MAX_SESSIONS: '0' })]);
    expect(byFlag.code).toBe(1);
    expect(byFlag.stderr).toMatch(/^archway serve: --port: .*notaport/);
    expect(byFlag.stderr.trim().split('\n')).toHaveLength(1);
    expect(byEnv.code).toBe(1);
    expect(byEnv.stderr).toMatch(/^archway serve: ARCHWAY_MAX_SESSIONS: /);
  });

  it('serves, then on SIGTERM flushes and closes its sessions and exits 0', async () => {
    const child = spawn(process.execPath, [path.join(root, 'bin/archway.js'), 'serve', '--port', '0', '--log-level', 'info', '--no-docs'], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (c) => reject(new Error(`serve exited with ${c}: ${stderr}`)));
    });
    // A raw peer that the gateway's session connects to.
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
    const post = async (p: string, body: unknown) => {
      const res = await request(base + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.statusCode, body: await res.body.json() };
    };
    expect((await post('/sessions', { kind: 'stream', name: 'held' })).status).toBe(201);
    expect((await post('/sessions/held/connect', { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port })).status).toBe(200);
    const peer = await accepted;
    const received: Buffer[] = [];
    peer.on('data', (d: Buffer) => received.push(d));
    const ended = new Promise((r) => peer.once('end', r));
    expect((await post('/sessions/held/store', { type: 'DWORD', value: 3 })).status).toBe(200);
    // Neither an open event stream nor a connection that never sent a request holds the shutdown.
    const events = await fetch(`${base}/sessions/held/events`);
    const reader = events.body!.getReader();
    await reader.read();
    const silent = net.connect(Number(new URL(base).port), '127.0.0.1');
    silent.on('error', () => undefined);
    await new Promise((r) => silent.once('connect', r));
    const stopping = Date.now();
    child.kill('SIGTERM');
    await ended;
    peer.end();
    expect(await exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5000);
    silent.destroy();
    expect(Buffer.concat(received)).toEqual(Buffer.from([3, 0, 0, 0]));
    expect(stderr).toBe('');
    server.close();
  });
});
