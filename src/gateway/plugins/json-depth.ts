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
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return -1;
}
