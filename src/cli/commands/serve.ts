/**
 * `archway serve`: the gateway (SPEC §6). With `--demo` (what `npm start` passes) it also runs the
 * demo archive service and loads the demo types, so a newcomer can walk the seed's whole sequence.
 * Stops on SIGTERM/SIGINT with close-with-grace: requests in flight finish, sessions flush and close.
 */
import closeWithGrace from 'close-with-grace';
import { DEMO_TYPES, startDemoService, type DemoService } from '../../demo/index.js';
import { buildGateway, configTable, loadConfig, type Config } from '../../gateway/index.js';
import type { Command } from '../command.js';
import { stopWithParent } from '../fresh-process.js';
import { tuneV8ForServing } from '../v8-tuning.js';

function usage(): string {
  const rows = configTable().map((r) => `  ${r.flag.padEnd(22)} ${r.env.padEnd(28)} ${r.description} (default ${JSON.stringify(r.default)})`);
  return ['usage: archway serve [options]', '', 'Every option is also read from its environment variable; flags win.', '', ...rows].join('\n');
}

export const command: Command = {
  summary: 'run the HTTP gateway (npm start runs it with --demo)',
  get usage() {
    return usage();
  },
  async run(args) {
    let config: Config;
    try {
      config = loadConfig(args, process.env);
    } catch (err) {
      process.stderr.write(`archway serve: ${(err as Error).message}\n`);
      return 1;
    }
    // Before any request: V8's pretenuring decisions are made under the first load (v8-tuning.ts).
    const v8Flags = tuneV8ForServing();
    // Started by `archway serve` with startup flags (fresh-process.ts): a parent gone is a stop.
    stopWithParent();
    let gateway;
    try {
      gateway = await buildGateway(config, { typeFiles: config.demo ? [{ file: DEMO_TYPES, source: 'types/demo.json' }] : [] });
    } catch (err) {
      process.stderr.write(`archway serve: ${(err as Error).message}\n`);
      return 1;
    }
    const { app } = gateway;
    if (v8Flags.length > 0) app.log.debug({ v8Flags }, 'V8 flags set for serving');
    let demo: DemoService | undefined;
    try {
      if (config.demo) {
        demo = await startDemoService({ port: config.demoPort, host: '127.0.0.1', logger: app.log.child({ service: 'demo' }) as never, types: gateway.ctx.types });
      }
      await app.listen({ host: config.host, port: config.port });
    } catch (err) {
      await app.close().catch(() => undefined);
      await demo?.close().catch(() => undefined);
      process.stderr.write(`archway serve: ${(err as Error).message}\n`);
      return 1;
    }
    // Installed once started: close-with-grace ends the process with status 0 on its own exit paths,
    // which must not hide a failed start.
    closeWithGrace({ delay: 10_000, logger: app.log }, async ({ signal, err }) => {
      if (err !== undefined) app.log.error({ err }, 'stopping after an error');
      else app.log.info({ signal }, 'stopping: finishing requests, flushing and closing sessions');
      await app.close();
      await demo?.close();
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    app.log.info(
      { url: `http://${config.host}:${port}`, docs: config.docs ? `http://${config.host}:${port}/docs` : undefined, demo: demo === undefined ? undefined : { port: demo.port, udpPort: demo.udpPort } },
      'archway gateway listening',
    );
    // Runs until a signal: close-with-grace ends the process.
    return new Promise<number>(() => undefined);
  },
};
