/**
 * Integer constant expressions as C++ and its preprocessor write them: array sizes, case labels,
 * `#define` values, `IMPLEMENT_SERIAL` schema numbers, `#if` conditions. Three-valued: a name whose
 * value the importer cannot know (a `/D` define of the real build, say) makes the result
 * `undefined`, never a silent 0 as the preprocessor would have it.
 */

export interface NameValues {
  /** The value of an identifier (macro, enumerator, `const`), or undefined when unknown. */
  value(name: string): number | undefined;
  /** Whether a macro is defined: true, false, or undefined when the importer cannot know. */
  defined(name: string): boolean | undefined;
  /** `sizeof(T)` for a type name, when computable. */
  sizeOf?(typeText: string): number | undefined;
}

type Token = { kind: 'num'; value: number } | { kind: 'id'; text: string } | { kind: 'op'; text: string };

const OPERATORS = ['<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '&', '^', '|', '!', '~', '(', ')', '?', ':', ','];

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  const s = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ');
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const num = /^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*/.exec(s.slice(i));
    if (num !== null) {
      const digits = num[1]!;
      tokens.push({ kind: 'num', value: /^0\d/.test(digits) ? parseInt(digits, 8) : Number(digits) });
      i += num[0].length;
      continue;
    }
    const chr = /^L?'(\\?.)'/.exec(s.slice(i));
    if (chr !== null) {
      const body = chr[1]!;
      const escapes: Record<string, number> = { '\\n': 10, '\\r': 13, '\\t': 9, '\\0': 0, "\\'": 39, '\\\\': 92 };
      tokens.push({ kind: 'num', value: escapes[body] ?? body.charCodeAt(body.length - 1) });
      i += chr[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*/.exec(s.slice(i));
    if (id !== null) {
      tokens.push({ kind: 'id', text: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => s.startsWith(o, i));
    if (op === undefined) return undefined;
    tokens.push({ kind: 'op', text: op });
    i += op.length;
  }
  return tokens;
}

/** Binary operators by precedence, loosest first. */
const LEVELS: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

/** Type names a cast may name inside an expression: `(WORD)2`, `(int)sizeof(x)`. */
const CAST_WORDS = /^(BYTE|WORD|DWORD|UINT|INT|LONG|ULONG|SHORT|USHORT|int|long|short|char|unsigned|signed|size_t|INT_PTR|UINT_PTR|DWORD_PTR|LONG_PTR|ULONG_PTR|__int64|LONGLONG|ULONGLONG)$/;

/** The value of a constant expression; names are looked up in `names`, which guards against a macro that refers to itself. */
export function evaluate(text: string, names: NameValues): number | undefined {
  const tokens = tokenize(text);
  if (tokens === undefined || tokens.length === 0) return undefined;
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (t: Token | undefined, o: string) => t !== undefined && t.kind === 'op' && t.text === o;
  let failed = false;

  const ternary = (): number | undefined => {
    const c = binary(0);
    if (!isOp(peek(), '?')) return c;
    pos++;
    const a = ternary();
    if (!isOp(peek(), ':')) { failed = true; return undefined; }
    pos++;
    const b = ternary();
    return c === undefined ? (a === b ? a : undefined) : c !== 0 ? a : b;
  };
  const binary = (level: number): number | undefined => {
    if (level >= LEVELS.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const t = peek();
      if (t === undefined || t.kind !== 'op' || !LEVELS[level]!.includes(t.text)) return left;
      pos++;
      const right = binary(level + 1);
      left = apply(t.text, left, right);
    }
  };
  const unary = (): number | undefined => {
    const t = peek();
    if (t === undefined) { failed = true; return undefined; }
    if (t.kind === 'op' && ['-', '+', '!', '~'].includes(t.text)) {
      pos++;
      const v = unary();
      if (t.text === '!') return v === undefined ? undefined : v === 0 ? 1 : 0;
      if (v === undefined) return undefined;
      return t.text === '-' ? -v : t.text === '~' ? ~v >>> 0 : v;
    }
    if (isOp(t, '(')) {
      const next = tokens[pos + 1];
      // `(WORD)expr`: a cast changes no value a constant expression here produces.
      if (next?.kind === 'id' && CAST_WORDS.test(next.text) && isOp(tokens[pos + 2], ')')) {
        pos += 3;
        return unary();
      }
      pos++;
      const v = ternary();
      if (!isOp(peek(), ')')) { failed = true; return undefined; }
      pos++;
      return v;
    }
    pos++;
    if (t.kind === 'num') return t.value;
    if (t.kind === 'op') { failed = true; return undefined; }
    if (t.text === 'defined') {
      const paren = isOp(peek(), '(');
      if (paren) pos++;
      const name = peek();
      pos++;
      if (paren) pos++;
      if (name?.kind !== 'id') { failed = true; return undefined; }
      const d = names.defined(name.text);
      return d === undefined ? undefined : d ? 1 : 0;
    }
    if (t.text === 'sizeof' && isOp(peek(), '(')) {
      let depthParen = 0;
      const start = pos;
      for (; pos < tokens.length; pos++) {
        if (isOp(tokens[pos], '(')) depthParen++;
        if (isOp(tokens[pos], ')') && --depthParen === 0) break;
      }
      pos++;
      const inner = tokens.slice(start + 1, pos - 1).map((x) => (x.kind === 'num' ? String(x.value) : x.text)).join(' ');
      return names.sizeOf?.(inner);
    }
    if (t.text === 'true') return 1;
    if (t.text === 'false') return 0;
    return names.value(t.text.replace(/^::/, ''));
  };
  const result = ternary();
  if (failed || pos !== tokens.length) return undefined;
  return result;
}

function apply(op: string, a: number | undefined, b: number | undefined): number | undefined {
  // Short-circuit with one side unknown: false && ? is false, true || ? is true.
  if (op === '&&') return a === 0 || b === 0 ? 0 : a === undefined || b === undefined ? undefined : 1;
  if (op === '||') return (a !== undefined && a !== 0) || (b !== undefined && b !== 0) ? 1 : a === undefined || b === undefined ? undefined : 0;
  if (a === undefined || b === undefined) return undefined;
  switch (op) {
    case '|': return (a | b) >>> 0;
    case '^': return (a ^ b) >>> 0;
    case '&': return (a & b) >>> 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '<<': return a * 2 ** b;
    case '>>': return Math.floor(a / 2 ** b);
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? undefined : Math.trunc(a / b);
    case '%': return b === 0 ? undefined : a % b;
    default: return undefined;
  }
}
