/**
 * Standard streams of the filter commands (`encode`, `decode`): the whole of stdin in, one buffered
 * write out on success, and on failure exactly one line on stderr that names where the input is
 * wrong (field path or byte offset), so scripts can grep it and nothing half-written reaches stdout.
 */
import { fstatSync, read, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { isArchwayError } from '../core/archway-error.js';

export async function readStdin(): Promise<Buffer> {
  // A file (`< capture.bin`) is read whole into one buffer of its size: no chunks to join.
  if (fstatSync(0).isFile()) return readFileSync(0);
  // A pipe is read straight into one buffer reserved large up front: its pages cost memory only
  // once written, so the input is held once, with no chunk in between. Chunks joined at the end
  // would hold it twice (their memory stays resident beside the join), and so would a buffer grown
  // by copying until a collection frees the smaller copies (bench:large measured both).
  const whole = reserve(PIPE_RESERVE);
  let length = 0;
  try {
    // Past the reservation (or without one), the stream below reads the rest.
    while (length < whole.length) {
      const { bytesRead } = await readAt(0, whole, length, Math.min(whole.length - length, 1024 * 1024), null);
      if (bytesRead === 0) return whole.subarray(0, length);
      length += bytesRead;
    }
  } catch (err) {
    // A non-blocking stdin (EAGAIN) is read as a stream, which waits for it properly.
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
  }
  const chunks: Buffer[] = [whole.subarray(0, length)];
  for await (const data of process.stdin) chunks.push(typeof data === 'string' ? Buffer.from(data) : (data as Buffer));
  return Buffer.concat(chunks);
}

const readAt = promisify(read);

/** Address space reserved for a piped input (pages are committed as they are written). */
const PIPE_RESERVE = 256 * 1024 * 1024;

function reserve(bytes: number): Buffer {
  try {
    return Buffer.allocUnsafeSlow(bytes);
  } catch {
    return Buffer.alloc(0); // no address space to spare (strict overcommit): chunks, joined
  }
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
