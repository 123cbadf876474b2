/**
 * Strict base64 for byte arrays in JSON (Buffer.from silently skips bad characters; we refuse
 * them). Checked by one linear scan: a regular expression recursed past the stack on 64 MiB inputs.
 */
const ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[c.charCodeAt(0)] = 1;
const EQ = 61; // '='

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

/** The bytes of `text`, or null when it is not padded base64 of the standard alphabet. */
export function fromBase64(text: string): Buffer | null {
  return isBase64(text) ? Buffer.from(text, 'base64') : null;
}

export function toBase64(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('base64');
}
