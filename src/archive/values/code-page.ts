/**
 * ANSI code pages for narrow strings (format §2.2: narrow strings only mean something together with
 * the legacy machine's ANSI code page). iconv-lite does the tables; this module adds the fast ASCII
 * path every Windows ANSI code page shares, and refuses silent substitution both ways: a character
 * the code page cannot hold is an error, and bytes that do not decode reversibly are reported so the
 * caller can keep them as raw bytes.
 */
import iconv from 'iconv-lite';

export interface CodePage {
  readonly id: number;
  /** Bytes for `text`, or null when a character cannot be represented in this code page. */
  encode(text: string): Buffer | null;
  /** Text for `bytes`, or null when the bytes do not decode to text that encodes back to them. */
  decode(bytes: Uint8Array): string | null;
  /** Bytes 0xA0–0xFF are the Latin-1 code points (1252, 28591), so they need no table. */
  readonly latin1High: boolean;
}

const ALIASES: Record<number, string> = {
  65001: 'utf8',
  20127: 'ascii',
  28591: 'iso-8859-1',
  28592: 'iso-8859-2',
  28595: 'iso-8859-5',
  28597: 'iso-8859-7',
  28599: 'iso-8859-9',
  28605: 'iso-8859-15',
  20866: 'koi8-r',
  21866: 'koi8-u',
};

function iconvName(id: number): string | undefined {
  const candidates = [ALIASES[id], `cp${id}`, `windows-${id}`].filter((x): x is string => x !== undefined);
  return candidates.find((name) => iconv.encodingExists(name));
}

const cache = new Map<number, CodePage>();

/** True when iconv-lite has a table for code page `id`. */
export function codePageExists(id: number): boolean {
  return Number.isInteger(id) && id > 0 && iconvName(id) !== undefined;
}

/** The code page `id` (cached: code pages are immutable, so sharing them is safe). */
export function codePage(id: number): CodePage {
  let cp = cache.get(id);
  if (cp === undefined) {
    const name = iconvName(id);
    if (name === undefined) throw new RangeError(`code page ${id} is not supported`);
    cp = makeCodePage(id, name);
    cache.set(id, cp);
  }
  return cp;
}

function makeCodePage(id: number, name: string): CodePage {
  const latin1High = id === 1252 || id === 28591;
  return {
    id,
    latin1High,
    encode(text: string): Buffer | null {
      const bytes = iconv.encode(text, name);
      return iconv.decode(bytes, name) === text ? bytes : null;
    },
    decode(bytes: Uint8Array): string | null {
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const text = iconv.decode(buf, name);
      return iconv.encode(text, name).equals(buf) ? text : null;
    },
  };
}
