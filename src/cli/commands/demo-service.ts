/**
 * `archway demo-service`: the demo archive service (src/demo) as a process, logging JSON lines
 * (pino) on stdout — one when it listens, with the real ports, and one per connection opened and
 * closed. SIGTERM / SIGINT close it gracefully (close-with-grace) and exit 0.
 */
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { startDemoService, type DemoMode, type DemoService } from '../../demo/index.js';
import type { Command } from '../command.js';
import { integerOption, parseOptions, usage } from '../options.js';
import { reportFailure } from '../stdio.js';

const SYNOPSIS = 'archway demo-service [--port 7000] [--host 127.0.0.1] [--mode order|echo] [--no-udp]';

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  mode: { type: 'string' },
  // Declared rather than `allowNegative`, which Node 20.11 (our minimum) lacks.
  'no-udp': { type: 'boolean' },
} as const;

/** Past this, a stuck connection no longer holds up the exit (close-with-grace then exits 1). */
const CLOSE_DELAY_MS = 10_000;

export const command: Command = {
  summary: 'run the demo archive service (Order → OrderAck, or echo; UDP echo)',
  usage: [
    `usage: ${SYNOPSIS}`,
    '',
    'Runs the demo archive-over-socket service until SIGTERM or SIGINT. Logs JSON lines on stdout.',
    '',
    '  --port N         TCP port, and the UDP port when UDP is on (default 7000; 0: any free port)',
    '  --host ADDR      numeric address to bind (default 127.0.0.1)',
    '  --mode MODE      order: answer each Order with an OrderAck (default); echo: send bytes back',
    '  --no-udp         do not echo UDP datagrams',
  ].join('\n'),

  async run(args: string[]): Promise<number> {
    const values = parseOptions(args, OPTIONS, SYNOPSIS);
    const port = integerOption(values.port, '--port', 0, 65535, SYNOPSIS) ?? 7000;
    const mode = values.mode ?? 'order';
    if (mode !== 'order' && mode !== 'echo') throw usage(`--mode must be order or echo, got '${mode}'`, SYNOPSIS);
    // Synchronous writes: close-with-grace ends with process.exit, which must not cut the last lines.
    const log = pino({ name: 'archway-demo' }, pino.destination({ dest: 1, sync: true }));

    let service: DemoService;
    try {
      service = await startDemoService({
        port, host: values.host ?? '127.0.0.1', mode: mode satisfies DemoMode, udp: values['no-udp'] !== true, logger: log,
      });
    } catch (err) {
      return reportFailure('demo-service', err);
    }

    return new Promise<number>((resolve) => {
      closeWithGrace(
        { delay: CLOSE_DELAY_MS, logger: { error: (m: unknown) => log.error(m) } },
        async ({ signal, err }) => {
          if (err !== undefined) log.error({ err }, 'demo archive service failed; closing');
          else log.info({ signal }, 'closing the demo archive service');
          await service.close();
          resolve(err === undefined ? 0 : 1); // close-with-grace exits right after with the same status
        },
      );
    });
  },
};
