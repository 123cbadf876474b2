/**
 * Standard streams of the filter commands (`encode`, `decode`): the whole of stdin in, one buffered
 * write out on success, and on failure exactly one line on stderr that names where the input is
 * wrong (field path or byte offset), so scripts can grep it and nothing half-written reaches stdout.
 */
import { fstatSync, readFileSync } from 'node:fs';
import { isArchwayError } from '../archive/archway-error.js';

export async function readStdin(): Promise<Buffer> {
  // A file (`< capture.bin`) is read whole into one buffer of its size: no chunks to join.
  if (fstatSync(0).isFile()) return readFileSync(0);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

/** Resolves once the data is handed to the OS, so a following exit cannot truncate it. */
export function writeStdout(data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/** Writes the one-line report of `err` for `archway <command>`; returns exit status 1. */
export function reportFailure(command: string, err: unknown): number {
  process.stderr.write(`archway ${command}: ${describeFailure(err)}\n`);
  return 1;
}

/** `CODE at /json/pointer, offset N: message`, on one line. */
export function describeFailure(err: unknown): string {
  if (!isArchwayError(err)) return oneLine(err instanceof Error ? err.message : String(err));
  const where: string[] = [];
  const { path, offset } = err.details;
  if (typeof path === 'string') where.push(path === '' ? '(root)' : path);
  if (typeof offset === 'number') where.push(`offset ${offset}`);
  return oneLine(`${err.code}${where.length > 0 ? ` at ${where.join(', ')}` : ''}: ${err.message}`);
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
