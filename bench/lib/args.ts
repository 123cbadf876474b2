/**
 * The command line every bench accepts: `--seconds N` (measured seconds per case), `--rounds N`,
 * `--warmup N` (warm-up seconds per case) and `--no-save` (skip the JSON file in bench/results).
 */
import { parseArgs } from 'node:util';

export interface BenchArgs {
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  save: boolean;
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`--${name} must be a positive number, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return v;
}

/** Parses `argv` (default: this process's); unknown options stop the bench with a usage line. */
export function benchArgs(defaults: Partial<Omit<BenchArgs, 'save'>> = {}, argv = process.argv.slice(2)): BenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seconds: { type: 'string' },
        rounds: { type: 'string' },
        warmup: { type: 'string' },
        'no-save': { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\nusage: [--seconds N] [--rounds N] [--warmup N] [--no-save]`);
    process.exit(2);
  }
  return {
    seconds: positive('seconds', values.seconds, defaults.seconds ?? 2),
    rounds: Math.max(1, Math.round(positive('rounds', values.rounds, defaults.rounds ?? 10))),
    warmupSeconds: positive('warmup', values.warmup, defaults.warmupSeconds ?? 0.5),
    save: values['no-save'] !== true,
  };
}
