/**
 * How deep a JSON text nests, counted on its bytes before anything parses or validates it: a body
 * nested thousands deep (`{"list":{"list":…}}`) overflows the stack of a recursive validator or
 * compiler, which would be a 500 (SPEC §5: deep nesting anywhere is a 400). One pass, no allocation;
 * brackets inside strings do not count.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Bodies may nest this deep: values of recursive types up to maxDepth (256) objects, with room. */
export const MAX_JSON_DEPTH = 512;

/** The byte offset where `text` passes `max` levels of nesting, or -1 when it never does. */
export function tooDeepAt(text: Uint8Array, max = MAX_JSON_DEPTH): number {
  // Each level takes a byte to open: a text shorter than the limit cannot pass it (no scan).
  if (text.length <= max) return -1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === QUOTE) {
      // A string's end is found by the native search, not byte by byte: a 64 MiB CByteArray is one
      // 85 MB base64 string, which a loop here took longer over than the codec (bench:large).
      i = closingQuote(text, i + 1);
      if (i < 0) return -1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return -1;
}

/** The index of the quote that closes the string whose text starts at `from`, or -1. */
function closingQuote(text: Uint8Array, from: number): number {
  for (let q = text.indexOf(QUOTE, from); q >= 0; q = text.indexOf(QUOTE, q + 1)) {
    // Escaped when an odd run of backslashes stands before it (`\\"` ends the string, `\"` not).
    let run = 0;
    while (q - run - 1 >= from && text[q - run - 1] === BACKSLASH) run++;
    if (run % 2 === 0) return q;
  }
  return -1;
}
