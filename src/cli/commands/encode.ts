/**
 * `archway encode`: one JSON value on stdin → the archive bytes of a message type on stdout, e.g. to
 * replay a message to a service with `nc`, or to compare with a captured stream.
 */
import { defineError } from '../../core/archway-error.js';
import { CODEC_OPTIONS, CODEC_OPTIONS_HELP, codecChoice, loadCodec } from '../codec-options.js';
import type { Command } from '../command.js';
import { parseOptions } from '../options.js';
import { readStdin, reportFailure, writeStdout } from '../stdio.js';

const SYNOPSIS = 'archway encode --types FILE --type NAME [--code-page N] [--hex]';

const OPTIONS = { ...CODEC_OPTIONS, hex: { type: 'boolean' } } as const;

/** stdin is not one JSON document. */
export const ERR_INVALID_JSON = defineError('INVALID_JSON', (message: string) => message);

export const command: Command = {
  summary: 'JSON value on stdin → archive bytes on stdout',
  usage: [
    `usage: ${SYNOPSIS}`,
    '',
    'Reads one JSON value on stdin and writes its archive bytes (as the MFC type writes them) on stdout.',
    '',
    ...CODEC_OPTIONS_HELP,
    '  --hex            write lower-case hex text and a newline instead of raw bytes',
    '',
    'Exit status: 0 written; 1 bad input (one line on stderr names the field path); 2 bad usage.',
  ].join('\n'),

  async run(args: string[]): Promise<number> {
    const values = parseOptions(args, OPTIONS, SYNOPSIS);
    const choice = codecChoice(values, SYNOPSIS);
    try {
      const codec = await loadCodec(choice);
      const value = parseJson(await readStdin());
      const bytes = codec.encode(value);
      await writeStdout(values.hex === true ? `${bytes.toString('hex')}\n` : bytes);
      return 0;
    } catch (err) {
      return reportFailure('encode', err);
    }
  },
};

function parseJson(input: Buffer): unknown {
  let text = input.toString('utf8');
  const bom = text.charCodeAt(0) === 0xfeff; // as Windows editors write
  if (bom) text = text.slice(1);
  if (text.trim() === '') throw new ERR_INVALID_JSON('stdin holds no JSON value');
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /at position (\d+)/.exec(message)?.[1];
    const e = new ERR_INVALID_JSON(`stdin is not one JSON value: ${message}`);
    if (position === undefined) throw e;
    // JSON.parse counts UTF-16 units; the report speaks of bytes on stdin.
    throw e.with({ offset: Buffer.byteLength(text.slice(0, Number(position))) + (bom ? 3 : 0) });
  }
}
