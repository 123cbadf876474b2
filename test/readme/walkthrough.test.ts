/**
 * Runs the README's curl walkthrough against `archway serve --demo` (what `npm start` runs), command
 * by command, and checks each answer shown after `# →` (test/support/readme-walkthrough.ts; the
 * same runner plays it through a cluster in test/cluster/walkthrough-cluster.test.ts). Ports are
 * swapped for free ones: 8080 (gateway), 7000 (demo service), 9000 (server session).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { ROOT, runWalkthrough, walkthroughSteps, type WalkthroughPorts } from '../support/readme-walkthrough.js';

/** Starts `archway serve --demo` on free ports; resolves once its "listening" log line shows. */
function serve(gatewayPort: number, demoPort: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/archway.js', 'serve', '--demo', '--port', String(gatewayPort), '--demo-port', String(demoPort)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('archway gateway listening')) resolve(child);
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => reject(new Error(`archway serve exited with ${code}: ${err}${out}`)));
  });
}

describe('README walkthrough', () => {
  const steps = walkthroughSteps();
  let child: ChildProcess;
  let ports: WalkthroughPorts;

  beforeAll(async () => {
    ports = { gateway: await freePort(), demo: await freePort(), server: await freePort() };
    child = await serve(ports.gateway, ports.demo);
  });
  afterAll(async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    // close-with-grace: a clean stop exits 0
    expect(await exited).toBe(0);
  });

  it('has the whole sequence', () => {
    expect(steps.length).toBeGreaterThanOrEqual(20);
  });

  it('every command answers as the README says', async () => {
    expect(await runWalkthrough(steps, ports)).toBe(steps.length);
  }, 60_000);
});
