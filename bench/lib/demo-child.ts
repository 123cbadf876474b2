/**
 * The child-process side of `demo-process.ts`: starts the demo archive service with the options
 * given as one JSON argument, prints one JSON line with its address and ports on stdout, and stops
 * on SIGTERM / SIGINT or when its stdin closes (the parent went away: no orphan keeps the port).
 *
 * Not meant to be run by hand (use `archway` for that); `node dist/bench/lib/demo-child.js '{…}'`.
 */
import { startDemoService, type DemoMode } from '../../src/demo/index.js';

interface ChildOptions {
  mode?: DemoMode;
  host?: string;
  port?: number;
  udp?: boolean;
}

function parseOptions(text: string | undefined): ChildOptions {
  const value: unknown = JSON.parse(text ?? '{}');
  if (typeof value !== 'object' || value === null) throw new Error(`demo-child: options must be a JSON object, got ${text}`);
  const o = value as Record<string, unknown>;
  const mode = o.mode === undefined ? undefined : o.mode === 'order' || o.mode === 'echo' ? o.mode : undefined;
  if (o.mode !== undefined && mode === undefined) throw new Error(`demo-child: mode must be 'order' or 'echo'`);
  return {
    mode,
    host: typeof o.host === 'string' ? o.host : undefined,
    port: typeof o.port === 'number' ? o.port : undefined,
    udp: typeof o.udp === 'boolean' ? o.udp : undefined,
  };
}

const options = parseOptions(process.argv[2]);
const service = await startDemoService({ port: 0, ...options });

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await service.close();
  // process.exit (not a natural end) so that a --cpu-prof profile is written right away.
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('error', () => void stop());
process.stdin.resume();

process.stdout.write(
  `${JSON.stringify({ host: service.host, port: service.port, udpPort: service.udpPort ?? null, mode: service.mode, pid: process.pid })}\n`,
);
