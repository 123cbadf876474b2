/**
 * Command-line option parsing shared by the subcommands: node:util `parseArgs` in strict mode, with
 * every problem turned into a one-line `UsageError` (exit status 2) that repeats the synopsis.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The option values `parseArgs` gives for `options` (strings and booleans; none repeatable). */
export type OptionValues<T extends ParseArgsOptionsConfig> = {
  [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string;
};

/** Parses `args` strictly: unknown options and positional arguments are usage errors. */
export function parseOptions<T extends ParseArgsOptionsConfig>(args: string[], options: T, synopsis: string): OptionValues<T> {
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return values as OptionValues<T>;
  } catch (err) {
    // Node's messages go on with advice about `--`; the first sentence is the part that helps here.
    const message = err instanceof Error ? (err.message.split(/\.\s/)[0] ?? err.message) : String(err);
    throw usage(message, synopsis);
  }
}

export function usage(problem: string, synopsis: string): UsageError {
  return new UsageError(`${problem} (usage: ${synopsis})`);
}

/** An integer option within [min, max], or undefined when absent. */
export function integerOption(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
  synopsis: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw usage(`${flag} must be an integer from ${min} to ${max}, got '${value}'`, synopsis);
  }
  return n;
}

/** The option, which the command cannot do without. */
export function required(value: string | undefined, flag: string, synopsis: string): string {
  if (value === undefined || value === '') throw usage(`${flag} is required`, synopsis);
  return value;
}
