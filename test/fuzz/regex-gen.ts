/**
 * Strings that match a JSON Schema `pattern`: a parser for the regular-expression subset that
 * schemas use (classes, ranges, escapes, groups, alternation, quantifiers, anchors) and a generator
 * over its tree. The caller checks the result against the whole schema (lengths, formats) and
 * draws again when it does not fit.
 */
import type { Rng } from './prng.js';

type Ranges = [number, number][];
type Node =
  | { t: 'set'; ranges: Ranges; negated: boolean }
  | { t: 'alt'; branches: Node[][] }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'empty' };

const PRINTABLE: Ranges = [[0x20, 0x7e]];
const DIGIT: Ranges = [[0x30, 0x39]];
const WORD: Ranges = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const SPACE: Ranges = [[0x20, 0x20], [0x09, 0x0a], [0x0d, 0x0d]];

function complement(ranges: Ranges): Ranges {
  // Within printable ASCII: enough to draw from.
  const out: Ranges = [];
  for (let c = 0x20; c <= 0x7e; c++) if (!ranges.some(([a, b]) => c >= a && c <= b)) out.push([c, c]);
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.src.length) throw new Error(`unsupported pattern near ${this.src.slice(this.i)}`);
    return n;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alt(): Node {
    const branches: Node[][] = [this.seq()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.seq());
    }
    return { t: 'alt', branches };
  }

  private seq(): Node[] {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') return items;
      if (c === '^' || c === '$') {
        this.i++;
        continue;
      }
      let atom = this.atom();
      atom = this.quantified(atom);
      items.push(atom);
    }
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min = 1;
    let max = 1;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (m === null) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.peek() === '?') this.i++; // lazy: same strings
    return { t: 'rep', node: atom, min, max };
  }

  private atom(): Node {
    const c = this.src[this.i++]!;
    if (c === '(') {
      if (this.src.startsWith('?:', this.i)) this.i += 2;
      else if (/^\?<[A-Za-z]/.test(this.src.slice(this.i))) this.i = this.src.indexOf('>', this.i) + 1;
      const inner = this.alt();
      if (this.src[this.i++] !== ')') throw new Error('unbalanced group');
      return inner;
    }
    if (c === '[') return this.cls();
    if (c === '.') return { t: 'set', ranges: PRINTABLE, negated: false };
    if (c === '\\') return this.escape(false) as Node;
    return { t: 'set', ranges: [[c.codePointAt(0)!, c.codePointAt(0)!]], negated: false };
  }

  /** An escape after the backslash: a set, or (in a class) a single code point as a set. */
  private escape(inClass: boolean): Node {
    const c = this.src[this.i++]!;
    const set = (ranges: Ranges, negated = false): Node => ({ t: 'set', ranges, negated });
    switch (c) {
      case 'd': return set(DIGIT);
      case 'D': return set(DIGIT, true);
      case 'w': return set(WORD);
      case 'W': return set(WORD, true);
      case 's': return set(SPACE);
      case 'S': return set(SPACE, true);
      case 'n': return set([[10, 10]]);
      case 't': return set([[9, 9]]);
      case 'r': return set([[13, 13]]);
      case 'b': return inClass ? set([[8, 8]]) : { t: 'empty' };
      case 'B': return { t: 'empty' };
      case 'u': {
        const h = this.src.slice(this.i, this.i + 4);
        this.i += 4;
        return set([[parseInt(h, 16), parseInt(h, 16)]]);
      }
      case 'x': {
        const h = this.src.slice(this.i, this.i + 2);
        this.i += 2;
        return set([[parseInt(h, 16), parseInt(h, 16)]]);
      }
      default:
        return set([[c.codePointAt(0)!, c.codePointAt(0)!]]);
    }
  }

  private cls(): Node {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const ranges: Ranges = [];
    let first = true;
    while (this.peek() !== ']' || first) {
      first = false;
      if (this.peek() === undefined) throw new Error('unterminated class');
      let lo: Ranges;
      const c = this.src[this.i++]!;
      if (c === '\\') {
        const e = this.escape(true);
        if (e.t !== 'set') continue;
        if (e.negated) {
          ranges.push(...complement(e.ranges));
          continue;
        }
        lo = e.ranges;
      } else lo = [[c.codePointAt(0)!, c.codePointAt(0)!]];
      if (lo.length === 1 && lo[0]![0] === lo[0]![1] && this.peek() === '-' && this.src[this.i + 1] !== ']') {
        this.i++;
        let hiCode: number;
        const h = this.src[this.i++]!;
        if (h === '\\') {
          const e = this.escape(true);
          hiCode = e.t === 'set' ? e.ranges[0]![0] : lo[0]![0];
        } else hiCode = h.codePointAt(0)!;
        ranges.push([lo[0]![0], hiCode]);
      } else ranges.push(...lo);
    }
    this.i++;
    return { t: 'set', ranges, negated };
  }
}

const cache = new Map<string, Node | null>();

/** The parsed pattern, or null when it uses what this parser does not know (lookarounds…). */
export function parsePattern(pattern: string): Node | null {
  let n = cache.get(pattern);
  if (n === undefined) {
    try {
      n = new Parser(pattern).parse();
    } catch {
      n = null;
    }
    cache.set(pattern, n);
  }
  return n;
}

function drawSet(rng: Rng, ranges: Ranges, negated: boolean): string {
  const from = negated ? complement(ranges) : ranges;
  if (from.length === 0) return '';
  const total = from.reduce((s, [a, b]) => s + (b - a + 1), 0);
  let k = rng.int(0, total - 1);
  for (const [a, b] of from) {
    if (k <= b - a) return String.fromCodePoint(a + k);
    k -= b - a + 1;
  }
  return '';
}

function gen(rng: Rng, n: Node, out: string[], budget: { left: number }): void {
  switch (n.t) {
    case 'empty':
      return;
    case 'set':
      out.push(drawSet(rng, n.ranges, n.negated));
      budget.left--;
      return;
    case 'alt': {
      const b = rng.pick(n.branches);
      for (const item of b) gen(rng, item, out, budget);
      return;
    }
    case 'rep': {
      const hi = n.max === Infinity ? n.min + rng.weighted([[6, 4], [2, 16], [1, 64]]) : n.max;
      // Lengths near the bounds are the interesting ones.
      const count = rng.weighted<number>([[3, rng.int(n.min, Math.min(hi, Math.max(n.min, budget.left)))], [1, n.min], [1, Math.min(hi, Math.max(n.min, budget.left))]]);
      for (let k = 0; k < count; k++) gen(rng, n.node, out, budget);
    }
  }
}

/** A string matching `pattern` (its length bounded by `maxLen` where the pattern lets it be). */
export function stringForPattern(rng: Rng, pattern: string, maxLen = 256): string | null {
  const n = parsePattern(pattern);
  if (n === null) return null;
  const out: string[] = [];
  gen(rng, n, out, { left: maxLen });
  return out.join('');
}
