/**
 * MFC's declaration macros are not C++ a parser can read: `DECLARE_SERIAL(CStroke)` inside a class
 * has no semicolon, `BEGIN_MESSAGE_MAP(…) … END_MESSAGE_MAP()` is a table of macro calls, `afx_msg`
 * is an empty word before a member function. Unexpanded, they make tree-sitter recover with errors
 * that can swallow the declarations around them. This pass finds them in the raw text (outside
 * comments, strings and preprocessor lines), records the one that carries meaning for the archive
 * (`IMPLEMENT_SERIAL`, and the DYNAMIC/DYNCREATE ones, which mean "not serializable as an object"),
 * and blanks them with spaces so every other byte keeps its line and column.
 */

export interface MacroUse {
  /** `IMPLEMENT_SERIAL`, `IMPLEMENT_DYNCREATE`, … */
  name: string;
  /** The arguments as written, split at top-level commas, trimmed. */
  args: string[];
  /** 1-based line of the macro name. */
  line: number;
}

/** Macro calls with no trailing semicolon that declare or implement run-time class information. */
const CLASS_MACRO = /^(IMPLEMENT|DECLARE)_[A-Z0-9_]+$/;
const MAP_BEGIN = /^BEGIN_[A-Z0-9_]*MAP$/;
const MAP_END = /^END_[A-Z0-9_]*MAP$/;
/** Words that expand to nothing or to a calling convention / export attribute. */
const EMPTY_WORDS = new Set(['afx_msg', 'AFXAPI', 'AFX_EXT_CLASS', 'AFX_CDECL', 'AFX_NOVTABLE', 'AFX_DATA', 'AFX_INLINE']);

export interface MacroPass {
  /** The text with the macros blanked; same length and same line breaks as the input. */
  text: string;
  uses: MacroUse[];
}

export function blankMfcMacros(source: string): MacroPass {
  const out = source.split('');
  const uses: MacroUse[] = [];
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  let line = 1;
  let atLineStart = true;
  let mapStart = -1;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') { line++; atLineStart = true; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (atLineStart && c === '#') { i = skipDirective(source, i); continue; }
    atLineStart = false;
    if (c === '/' && source[i + 1] === '/') { i = source.indexOf('\n', i); if (i < 0) break; continue; }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      line += countLines(source, i, stop);
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") { i = skipQuoted(source, i); continue; }
    if (!/[A-Za-z_]/.test(c)) { i++; continue; }
    let j = i;
    while (j < source.length && /[A-Za-z0-9_]/.test(source[j]!)) j++;
    const word = source.slice(i, j);
    if (EMPTY_WORDS.has(word)) { blank(i, j); i = j; continue; }
    const isClassMacro = CLASS_MACRO.test(word);
    const isBegin = MAP_BEGIN.test(word);
    const isEnd = MAP_END.test(word);
    if (!isClassMacro && !isBegin && !isEnd) { i = j; continue; }
    const call = readArguments(source, j);
    const stop = call?.end ?? j;
    if (isClassMacro && mapStart < 0) {
      if (word.startsWith('IMPLEMENT_')) uses.push({ name: word, args: call?.args ?? [], line });
      blank(i, stop);
    } else if (isBegin) {
      mapStart = i;
    } else if (isEnd && mapStart >= 0) {
      blank(mapStart, stop);
      mapStart = -1;
    }
    line += countLines(source, i, stop);
    i = stop;
  }
  return { text: out.join(''), uses };
}

function countLines(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (s[k] === '\n') n++;
  return n;
}

/** Past a preprocessor line, with its backslash continuations; stops at the final newline. */
function skipDirective(s: string, i: number): number {
  let k = i;
  while (k < s.length) {
    const nl = s.indexOf('\n', k);
    if (nl < 0) return s.length;
    if (s[nl - 1] === '\\' || (s[nl - 1] === '\r' && s[nl - 2] === '\\')) { k = nl + 1; continue; }
    return nl;
  }
  return k;
}

function skipQuoted(s: string, i: number): number {
  const q = s[i];
  let k = i + 1;
  while (k < s.length && s[k] !== q && s[k] !== '\n') k += s[k] === '\\' ? 2 : 1;
  return k + 1;
}

/** `( a, b(c, d), e )` after optional blanks: the top-level arguments and the index past `)`. */
function readArguments(s: string, from: number): { args: string[]; end: number } | undefined {
  let k = from;
  while (k < s.length && (s[k] === ' ' || s[k] === '\t')) k++;
  if (s[k] !== '(') return undefined;
  const args: string[] = [];
  let depth = 0;
  let start = k + 1;
  for (; k < s.length; k++) {
    const c = s[k];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) {
        const last = s.slice(start, k).trim();
        if (last !== '' || args.length > 0) args.push(last);
        return { args, end: k + 1 };
      }
    } else if (c === ',' && depth === 1) {
      args.push(s.slice(start, k).trim());
      start = k + 1;
    }
  }
  return undefined;
}
