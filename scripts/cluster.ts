/**
 * `npm run cluster`: three gateways behind HAProxy on http://127.0.0.1:8080, with Redis and one demo
 * service (port 7000) — to a client, the same as `npm start` (README "Running several gateways").
 * Ctrl-C stops everything. Options: --port N (the balancer), --demo-port N, --quiet (no process logs).
 */
import { parseArgs } from 'node:util';
import { startCluster } from './cluster/local-cluster.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8080' }, 'demo-port': { type: 'string', default: '7000' }, quiet: { type: 'boolean', default: false } },
  strict: true,
});
const port = Number(values.port);
const demoPort = Number(values['demo-port']);
const echo = values.quiet ? undefined : (name: string, line: string) => process.stdout.write(`[${name}] ${line}\n`);

let cluster;
try {
  cluster = await startCluster({ port, demoPort, echo, logLevel: 'info' });
} catch (err) {
  process.stderr.write(`npm run cluster: ${(err as Error).message}\n`);
  process.exit(1);
}
process.stdout.write(
  [
    '',
    `archway cluster on ${cluster.url} (HAProxy, deploy/haproxy/haproxy.cfg)`,
    ...cluster.gateways.map((g) => `  gateway ${g.instance}  ${g.url}`),
    `  redis       ${cluster.redisUrl}`,
    `  demo        127.0.0.1:${cluster.demoPort} (TCP and UDP, shared by the gateways)`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('stopping the cluster…\n');
    void cluster.stop().then(() => process.exit(0), (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    });
  });
}
