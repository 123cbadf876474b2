/**
 * The gateway under fuzz: as test/support/gateway-harness.ts starts it (a real instance on
 * loopback with the demo types), but with its error log captured, so that a 500 can be reported
 * with the internal error the gateway logged for it.
 */
import { DEMO_TYPES } from '../../src/demo/index.js';
import { buildGateway, loadConfig, type Config, type Gateway } from '../../src/gateway/index.js';

export interface LoggedError {
  time: number;
  msg: string;
  type?: string;
  message?: string;
  stack?: string;
  claimed?: boolean;
}

export interface FuzzGateway extends Gateway {
  base: string;
  port: number;
  /** Error-level log lines of the gateway, oldest first (kept bounded). */
  errors: LoggedError[];
  close(): Promise<void>;
}

export async function startFuzzGateway(overrides: Partial<Config>): Promise<FuzzGateway> {
  const errors: LoggedError[] = [];
  const stream = {
    write(line: string) {
      try {
        const j = JSON.parse(line) as { time: number; msg: string; err?: { type?: string; message?: string; stack?: string } };
        errors.push({ time: j.time, msg: j.msg, type: j.err?.type, message: j.err?.message, stack: j.err?.stack });
        if (errors.length > 2000) errors.splice(0, 1000);
      } catch {
        errors.push({ time: Date.now(), msg: line.slice(0, 300) });
      }
    },
  };
  const config = loadConfig([], {}, { port: 0, logLevel: 'error', ...overrides });
  const gw = await buildGateway(config, {
    typeFiles: [{ file: DEMO_TYPES, source: 'types/demo.json' }],
    logger: { level: 'error', stream } as never,
  });
  await gw.app.listen({ host: '127.0.0.1', port: 0 });
  const address = gw.app.server.address();
  if (address === null || typeof address !== 'object') throw new Error('gateway did not listen');
  return { ...gw, base: `http://127.0.0.1:${address.port}`, port: address.port, errors, close: () => gw.app.close() };
}

/** "RangeError: Maximum call stack size exceeded at SchemaEnv.validateN ← …" from a logged error. */
export function signature(e: LoggedError): string {
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 2)
    .map((l) => {
      const t = l.trim().replace(/^at /, '');
      const fn = t.includes(' (') ? t.slice(0, t.indexOf(' (')) : '';
      const file = /([^/\s():]+\.(?:m?[jt]s))|node:[a-z_]+/.exec(t)?.[0] ?? (t.includes('eval') ? 'eval' : '');
      return `${fn}${fn !== '' && file !== '' ? ` (${file})` : file}`.replace(/\d+/g, 'N');
    });
  return `${e.type ?? 'error'}: ${(e.message ?? e.msg).slice(0, 90)}${frames.length > 0 ? ` at ${frames.join(' ← ')}` : ''}`;
}
