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
  /**
   * Text for any bytes, as Windows' `MultiByteToWideChar` without MB_ERR_INVALID_CHARS gives it:
   * the canonical JSON of a narrow string whose bytes `decode` refuses (SPEC §2).
   */
  decodeAsWindows(bytes: Uint8Array): string;
  /** Bytes 0xA0–0xFF are the Latin-1 code points (1252, 28591), so they need no table. */
  readonly latin1High: boolean;
}

/**
 * Bytes a Windows single-byte ANSI code page leaves undefined still convert: those in 0x80–0x9F to
 * the C1 control of the same value, the others to private-use (EUDC) code points — Microsoft's
 * published tables (unicode.org MICSFT/WindowsBestFit, bestfit125x.txt and bestfit874.txt, MBTABLE).
 */
const WINDOWS_SBCS = new Set([874, 1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258]);
const EUDC: Readonly<Record<number, Readonly<Record<number, number>>>> = {
  874: { 0xdb: 0xf8c1, 0xdc: 0xf8c2, 0xdd: 0xf8c3, 0xde: 0xf8c4, 0xfc: 0xf8c5, 0xfd: 0xf8c6, 0xfe: 0xf8c7, 0xff: 0xf8c8 },
  1253: { 0xaa: 0xf8f9, 0xd2: 0xf8fa, 0xff: 0xf8fb },
  1255: { 0xd9: 0xf88d, 0xda: 0xf88e, 0xdb: 0xf88f, 0xdc: 0xf890, 0xdd: 0xf891, 0xde: 0xf892, 0xdf: 0xf893, 0xfb: 0xf894, 0xfc: 0xf895, 0xff: 0xf896 },
  1257: { 0xa1: 0xf8fc, 0xa5: 0xf8fd },
};

/** The 256 characters of a Windows single-byte code page, undefined bytes included. */
function windowsTable(id: number, name: string): string[] {
  return Array.from({ length: 256 }, (_, b) => {
    const c = iconv.decode(Buffer.from([b]), name);
    if (c !== '\ufffd') return c;
    return String.fromCharCode(b >= 0x80 && b <= 0x9f ? b : (EUDC[id]?.[b] ?? 0xfffd));
  });
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
const asciiChecked = new Map<string, boolean>();

/** The 128 ASCII characters, as bytes. */
const ASCII = Buffer.from(Array.from({ length: 0x80 }, (_, b) => b));

/**
 * True when bytes 0x00–0x7F are U+0000–U+007F both ways, as the narrow string paths assume (they
 * copy ASCII without the table). Code page 864 is not: its 0x25 is U+066A, not '%'.
 */
function asciiCompatible(name: string): boolean {
  let ok = asciiChecked.get(name);
  if (ok === undefined) {
    const text = ASCII.toString('latin1');
    ok = iconv.decode(ASCII, name) === text && iconv.encode(text, name).equals(ASCII);
    asciiChecked.set(name, ok);
  }
  return ok;
}

/** Why code page `id` cannot serve narrow strings (a phrase after "code page N"), or undefined. */
export function codePageProblem(id: number): string | undefined {
  const name = Number.isInteger(id) && id > 0 ? iconvName(id) : undefined;
  if (name === undefined) return 'is not supported';
  if (!asciiCompatible(name)) return 'is not supported: its bytes 0x00–0x7F are not ASCII, and narrow strings take them as ASCII';
  return undefined;
}

/** True when code page `id` can serve narrow strings (iconv-lite has it, and it is ASCII-compatible). */
export function codePageExists(id: number): boolean {
  return codePageProblem(id) === undefined;
}

/** The code page `id` (cached: code pages are immutable, so sharing them is safe). */
export function codePage(id: number): CodePage {
  let cp = cache.get(id);
  if (cp === undefined) {
    const problem = codePageProblem(id);
    if (problem !== undefined) throw new RangeError(`code page ${id} ${problem}`);
    cp = makeCodePage(id, iconvName(id)!);
    cache.set(id, cp);
  }
  return cp;
}

function makeCodePage(id: number, name: string): CodePage {
  const latin1High = id === 1252 || id === 28591;
  // Multi-byte code pages (932, 936, 949, 950, 65001…): Windows Vista and later replace an
  // invalid sequence with U+FFFD (MultiByteToWideChar, MB_ERR_INVALID_CHARS), as iconv-lite does.
  const table = WINDOWS_SBCS.has(id) ? windowsTable(id, name) : undefined;
  // …and WideCharToMultiByte maps those characters back to their bytes, so canonical text encodes.
  const reverse = table === undefined ? undefined : new Map(table.map((c, b) => [c, b]));
  return {
    id,
    latin1High,
    encode(text: string): Buffer | null {
      const bytes = iconv.encode(text, name);
      if (iconv.decode(bytes, name) === text) return bytes;
      if (reverse === undefined) return null;
      const out = Buffer.allocUnsafe(text.length);
      for (let i = 0; i < text.length; i++) {
        const b = reverse.get(text[i]!);
        if (b === undefined) return null;
        out[i] = b;
      }
      return out;
    },
    decode(bytes: Uint8Array): string | null {
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const text = iconv.decode(buf, name);
      return iconv.encode(text, name).equals(buf) ? text : null;
    },
    decodeAsWindows(bytes: Uint8Array): string {
      if (table === undefined) return iconv.decode(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), name);
      let text = '';
      for (let i = 0; i < bytes.length; i++) text += table[bytes[i]!];
      return text;
    },
  };
}
