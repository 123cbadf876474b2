/**
 * `archway decode`: archive bytes on stdin (raw, or hex text such as a packet capture shows) → the
 * JSON value of one message of a type on stdout, in canonical JSON (SPEC §2; `--lossless` for the
 * form that encodes back to the same bytes). The bytes must hold exactly one message, unless
 * `--prefix` says the message is only the start of them (a captured stream, a file with more after
 * it); `--offset N` skips N bytes first.
 */
import { defineError } from '../../core/archway-error.js';
import { decodeError } from '../../archive/errors.js';
import { jsonChunks } from '../../archive/json/json-chunks.js';
import { CODEC_OPTIONS, CODEC_OPTIONS_HELP, codecChoice, loadCodec } from '../codec-options.js';
import type { Command } from '../command.js';
import { parseOptions, usage } from '../options.js';
import { readStdin, reportFailure, writeStdout } from '../stdio.js';

const SYNOPSIS = 'archway decode --types FILE --type NAME [--code-page N] [--hex] [--pretty] [--lossless] [--prefix] [--offset N]';

const OPTIONS = {
  ...CODEC_OPTIONS,
  hex: { type: 'boolean' },
  pretty: { type: 'boolean' },
  lossless: { type: 'boolean' },
  prefix: { type: 'boolean' },
  offset: { type: 'string' },
} as const;

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
    '  --lossless       the lossless JSON form (encodes back to the very same bytes) instead of',
    '                   the canonical one (one plain shape per MFC type)',
    '  --prefix         the message is the start of the input: decode it and report on stderr',
    '                   "archway decode: N bytes used (offsets A to B), M remain" instead of',
    '                   refusing the bytes after it',
    '  --offset N       skip N bytes of the input first (decimal, or hex as 0x…)',
    '',
    'Exit status: 0 written; 1 bad input (one line on stderr names the byte offset); 2 bad usage.',
  ].join('\n'),

  async run(args: string[]): Promise<number> {
    const values = parseOptions(args, OPTIONS, SYNOPSIS);
    const choice = codecChoice(values, SYNOPSIS);
    const offset = offsetOption(values.offset);
    try {
      const codec = await loadCodec(choice);
      const input = await readStdin();
      const bytes = values.hex === true ? parseHex(input.toString('latin1')) : input;
      if (offset > bytes.length) {
        throw decodeError('endOfFile', `the input has ${bytes.length} bytes: --offset ${offset} is past its end`, bytes.length, `${offset - bytes.length} more byte(s)`);
      }
      const form = values.lossless === true ? 'lossless' : 'canonical';
      const { value, end } = codec.decodeFrom(bytes, offset, undefined, form);
      // Without --prefix the message must fill the input, as decode() requires.
      if (values.prefix !== true && end !== bytes.length) throw codec.trailingBytes(end, bytes.length);
      // A large CByteArray's base64 goes out in slices, never as one JSON string (bench:large).
      const text = values.pretty === true ? JSON.stringify(value, null, 2) : codec.jsonWithin(value, 1024 * 1024);
      if (text === undefined) {
        for (const piece of jsonChunks(value)) await writeStdout(piece);
        await writeStdout('\n');
      } else {
        await writeStdout(`${text}\n`);
      }
      if (values.prefix === true) {
        process.stderr.write(`archway decode: ${end - offset} bytes used (offsets ${offset} to ${end}), ${bytes.length - end} remain\n`);
      }
      return 0;
    } catch (err) {
      return reportFailure('decode', err);
    }
  },
};

/** `--offset N`: decimal or 0x hex, up to 2^53. */
function offsetOption(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = /^(0|[1-9][0-9]*)$/.test(text) ? Number(text) : /^0x[0-9a-fA-F]+$/.test(text) ? Number.parseInt(text.slice(2), 16) : NaN;
  if (!Number.isSafeInteger(n)) throw usage(`--offset must be a byte count (decimal, or hex as 0x…), got '${text}'`, SYNOPSIS);
  return n;
}

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
