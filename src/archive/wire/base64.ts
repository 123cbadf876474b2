/**
 * Strict base64 for byte arrays in JSON (Buffer.from silently skips bad characters; we refuse
 * them). Checked by one linear scan: a regular expression recursed past the stack on 64 MiB inputs.
 */
import type { Utf8Text } from '../json/utf8-text.js';

const ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[c.charCodeAt(0)] = 1;
const EQ = 61; // '='
const DASH = 45; // '-'
const UNDERSCORE = 95; // '_'

/** True when `text` is padded base64 of the standard alphabet (one scan, no allocation). */
export function isBase64(text: string): boolean {
  const n = text.length;
  if (n % 4 !== 0) return false;
  let end = n;
  if (n > 0 && text.charCodeAt(n - 1) === EQ) end = text.charCodeAt(n - 2) === EQ ? n - 2 : n - 1;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || ALPHABET[c] === 0) return false;
  }
  return true;
}

/** isBase64 over text held as ASCII bytes (a Utf8Text's). */
export function isBase64Bytes(text: Uint8Array): boolean {
  const n = text.length;
  if (n % 4 !== 0) return false;
  let end = n;
  if (n > 0 && text[n - 1] === EQ) end = text[n - 2] === EQ ? n - 2 : n - 1;
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    if (c >= 128 || ALPHABET[c] === 0) return false;
  }
  return true;
}

/** Bytes that padded base64 `text` (checked by isBase64Bytes) stands for. */
export function base64Length(text: Uint8Array): number {
  const n = text.length;
  return (n / 4) * 3 - (n > 0 && text[n - 1] === EQ ? (text[n - 2] === EQ ? 2 : 1) : 0);
}

/** A multiple of 4 characters: each slice decodes alone. */
const SLICE = 64 * 1024;

/** Decodes base64 held as ASCII bytes into `out` at `at`, a slice at a time (never one whole string). */
export function decodeBase64Bytes(text: Buffer, out: Buffer, at: number): number {
  let pos = at;
  for (let i = 0; i < text.length; i += SLICE) pos += out.write(text.toString('latin1', i, Math.min(i + SLICE, text.length)), pos, 'base64');
  return pos - at;
}

/**
 * Decodes base64 held as ASCII bytes into `out` at `at` and checks it as isBase64Bytes does: the
 * bytes written, or -1 when `text` is not padded base64 of the standard alphabet. The native
 * decoder does the checking (a 64 MiB array: ~20 ms, the byte loop ~110 ms): it skips whatever is
 * outside the alphabet and stops at an inner '=', so any such character leaves fewer bytes than
 * base64Length counts; '-' and '_', which it reads as base64url, are searched for apart.
 */
export function decodeBase64Strict(text: Buffer, out: Buffer, at: number): number {
  if (text.length % 4 !== 0) return -1;
  const n = decodeBase64Bytes(text, out, at);
  return n === base64Length(text) && text.indexOf(DASH) < 0 && text.indexOf(UNDERSCORE) < 0 ? n : -1;
}

/** The bytes of `text`, or null when it is not padded base64 of the standard alphabet. */
export function fromBase64(text: string | Utf8Text): Buffer | null {
  if (typeof text === 'string') return isBase64(text) ? Buffer.from(text, 'base64') : null;
  if (text.bytes.length % 4 !== 0) return null;
  const out = Buffer.allocUnsafe(base64Length(text.bytes));
  return decodeBase64Strict(text.bytes, out, 0) < 0 ? null : out;
}

export function toBase64(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('base64');
}
