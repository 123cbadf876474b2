/**
 * `archway decode`: archive bytes on stdin (raw, or hex text such as a packet capture shows) → the
 * JSON value of one message of a type on stdout. The bytes must hold exactly one message.
 */
import { defineError } from '../../core/archway-error.js';
import { hasLongString, jsonChunks } from '../../archive/json/json-chunks.js';
import { CODEC_OPTIONS, CODEC_OPTIONS_HELP, codecChoice, loadCodec } from '../codec-options.js';
import type { Command } from '../command.js';
import { parseOptions } from '../options.js';
import { readStdin, reportFailure, writeStdout } from '../stdio.js';

const SYNOPSIS = 'archway decode --types FILE --type NAME [--code-page N] [--hex] [--pretty]';

const OPTIONS = { ...CODEC_OPTIONS, hex: { type: 'boolean' }, pretty: { type: 'boolean' } } as const;

/** stdin is not hex text (with `--hex`). */
export const ERR_INVALID_HEX = defineError('INVALID_HEX', (message: string) => message);

export const command: Command = {
  summary: 'archive bytes on stdin → JSON value on stdout',
  usage: [
    `usage: ${SYNOPSIS}`,
    '',
    'Reads the archive bytes of one message on stdin and writes its JSON value on stdout.',
    '',
    ...CODEC_OPTIONS_HELP,
    '  --hex            stdin is hex text (whitespace ignored) instead of raw bytes',
    '  --pretty         indent the JSON',
    '',
    'Exit status: 0 written; 1 bad input (one line on stderr names the byte offset); 2 bad usage.',
  ].join('\n'),

  async run(args: string[]): Promise<number> {
    const values = parseOptions(args, OPTIONS, SYNOPSIS);
    const choice = codecChoice(values, SYNOPSIS);
    try {
      const codec = await loadCodec(choice);
      const input = await readStdin();
      const bytes = values.hex === true ? parseHex(input.toString('latin1')) : input;
      // decode() refuses bytes after the message, naming the offset where they start.
      const value = codec.decode(bytes);
      if (values.pretty !== true && hasLongString(value, 1024 * 1024)) {
        // A large CByteArray's base64 goes out in slices, never as one JSON string (bench:large).
        for (const piece of jsonChunks(value)) await writeStdout(piece);
        await writeStdout('\n');
      } else {
        await writeStdout(`${JSON.stringify(value, null, values.pretty === true ? 2 : undefined)}\n`);
      }
      return 0;
    } catch (err) {
      return reportFailure('decode', err);
    }
  },
};

/** Hex text → bytes; whitespace anywhere is ignored (dumps break lines and group bytes). Offsets: characters. */
export function parseHex(text: string): Buffer {
  const bad = /[^0-9a-fA-F\s]/.exec(text);
  if (bad !== null) {
    throw new ERR_INVALID_HEX(`${JSON.stringify(bad[0])} at character ${bad.index} of stdin is not a hex digit`)
      .with({ offset: bad.index });
  }
  const digits = text.replace(/\s+/g, '');
  if (digits.length % 2 !== 0) {
    const last = text.search(/[0-9a-fA-F]\s*$/);
    throw new ERR_INVALID_HEX(`stdin holds an odd number of hex digits (${digits.length}); the last has no pair`)
      .with({ offset: last });
  }
  return Buffer.from(digits, 'hex');
}
