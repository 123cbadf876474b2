/**
 * JSON.parse of a large body without copying its long strings twice. JSON.parse copies every string
 * value out of its source text, so a 64 MiB CByteArray (an 85 MiB base64 string) would live as the
 * body's bytes, the body's text and the parsed value at once. Here the long strings without escapes
 * are cut out of the text first: the rest (the skeleton, small) is parsed with a placeholder in
 * each place, and each placeholder becomes one string decoded straight from the body's bytes — or,
 * under a property named `textUnder` (the typed `value` the archive codec takes), a Utf8Text view
 * of those bytes: a CByteArray's base64 then goes from the request's bytes to the archive buffer.
 */
import { randomBytes } from 'node:crypto';
import { Utf8Text } from '../../archive/index.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** `[start, end)` of a string's characters (quotes excluded) in the body's bytes. */
type Cut = readonly [number, number];

export interface LargeJsonOptions {
  /** Strings of this many bytes or more, with no escape, are taken from the body's bytes. */
  minLength: number;
  /** The server's JSON.parse (with its prototype-poisoning checks). */
  parseText: (text: string) => unknown;
  /** Long strings inside a property of this name stay bytes (Utf8Text); `*`: anywhere in the body. */
  textUnder?: string;
}

/** Parses `body` (UTF-8 JSON): what `parseText(body.toString())` gives, long strings aside. */
export function parseLargeJson(body: Buffer, options: LargeJsonOptions): unknown {
  const { minLength, parseText, textUnder } = options;
  const cuts = longStrings(body, minLength);
  if (cuts.length === 0) return parseText(body.toString('utf8'));
  // A nonce per body: the text of a placeholder cannot be guessed, so no value in the body is one.
  const tag = `\u0000${randomBytes(9).toString('base64')}:`;
  const escapedTag = JSON.stringify(tag).slice(1, -1);
  const pieces: string[] = [];
  let at = 0;
  for (let i = 0; i < cuts.length; i++) {
    const [start, end] = cuts[i]!;
    pieces.push(body.toString('utf8', at, start), escapedTag, String(i));
    at = end;
  }
  pieces.push(body.toString('utf8', at));
  const value = parseText(pieces.join(''));
  const text = (i: number, asBytes: boolean): string | Utf8Text => {
    const [start, end] = cuts[i]!;
    return asBytes ? new Utf8Text(body.subarray(start, end)) : body.toString('utf8', start, end);
  };
  return fill(value, tag, text, cuts.length, textUnder);
}

/**
 * The string values (not keys) of at least `minLength` bytes with no backslash in them. Only quotes
 * and backslashes matter between strings in JSON, so the scan jumps from one to the next natively.
 * Text that is not JSON gives whatever cuts; parsing the skeleton then fails as the whole would.
 */
export function longStrings(body: Buffer, minLength: number): Cut[] {
  const cuts: Cut[] = [];
  let i = 0;
  let backslash = body.indexOf(BACKSLASH);
  if (backslash < 0) backslash = body.length;
  for (;;) {
    const open = body.indexOf(QUOTE, i);
    if (open < 0) return cuts;
    let j = open + 1;
    let escaped = false;
    let close = body.indexOf(QUOTE, j);
    for (;;) {
      if (close < 0) return cuts;
      if (backslash < j) {
        backslash = body.indexOf(BACKSLASH, j);
        if (backslash < 0) backslash = body.length;
      }
      if (backslash > close) break;
      // An escape before the next quote: skip the escaped character (maybe that quote) and go on.
      // The next quote is looked for again only when the escape took it: a string of many escapes
      // (300,000 `\u0000`) must not scan to its end once per escape.
      escaped = true;
      j = backslash + 2;
      if (close < j) close = body.indexOf(QUOTE, j);
    }
    i = close + 1;
    if (!escaped && close - open - 1 >= minLength && !isKey(body, i)) cuts.push([open + 1, close]);
  }
}

function isKey(body: Buffer, after: number): boolean {
  let k = after;
  while (k < body.length && (body[k] === 0x20 || body[k] === 0x0a || body[k] === 0x0d || body[k] === 0x09)) k++;
  return body[k] === COLON;
}

/**
 * Replaces each placeholder in `value` with `text(i, asBytes)`, asBytes when it lies under a
 * property named `textUnder`; stops once `count` are replaced.
 */
function fill(
  value: unknown,
  tag: string,
  text: (i: number, asBytes: boolean) => string | Utf8Text,
  count: number,
  textUnder: string | undefined,
): unknown {
  const index = (v: unknown): number => (typeof v === 'string' && v.startsWith(tag) ? Number(v.slice(tag.length)) : -1);
  const everywhere = textUnder === '*';
  const root = index(value);
  if (root >= 0) return text(root, everywhere);
  if (value === null || typeof value !== 'object') return value;
  // An explicit stack: a body may nest deeper than the call stack goes.
  const stack: { node: object; under: boolean }[] = [{ node: value, under: everywhere }];
  let left = count;
  const visit = (holder: Record<string | number, unknown>, key: string | number, under: boolean): void => {
    const v = holder[key];
    const i = index(v);
    if (i >= 0) {
      holder[key] = text(i, under);
      left--;
    } else if (v !== null && typeof v === 'object') {
      stack.push({ node: v, under });
    }
  };
  while (stack.length > 0 && left > 0) {
    const { node, under } = stack.pop()!;
    if (Array.isArray(node)) for (let k = 0; k < node.length; k++) visit(node as unknown[] as Record<number, unknown>, k, under);
    else for (const key of Object.keys(node)) visit(node as Record<string, unknown>, key, under || key === textUnder);
  }
  return value;
}
