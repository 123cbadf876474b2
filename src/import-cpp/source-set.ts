/**
 * The C++ files an import reads: files and folders from the command line, each parsed once after
 * the MFC macro pass, with the helpers every later stage uses to say where a construct is
 * (`file:line`) and to quote it.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { parseCpp, type CppNode, type CppTree } from './cpp-parser.js';
import { blankMfcMacros, type MacroUse } from './mfc-macros.js';

/** Extensions read when walking a folder (a file named on the command line is read whatever it is called). */
const CPP_EXTENSIONS = new Set(['.h', '.hh', '.hpp', '.hxx', '.inl', '.c', '.cc', '.cpp', '.cxx']);

/** Where a construct is: a node, or the head of one (a loop without its body). */
export interface Span {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: { readonly row: number };
}

/** The part of `node` before `end` (a loop header, a switch head). */
export function headOf(node: CppNode, end: number): Span {
  return { startIndex: node.startIndex, endIndex: end, startPosition: node.startPosition };
}

export class SourceFile {
  readonly root: CppNode;

  constructor(
    /** As shown in notes: relative to the working folder when inside it. */
    readonly path: string,
    /** The text as read; notes quote it, not the macro-blanked text the parser saw. */
    readonly text: string,
    private readonly tree: CppTree,
    readonly macros: readonly MacroUse[],
  ) {
    this.root = tree.rootNode;
  }

  /** Frees the parse tree; no node of this file may be used after. */
  close(): void {
    this.tree.delete();
  }

  where(node: Span): string {
    return `${this.path}:${node.startPosition.row + 1}`;
  }

  /** The construct as written, on one line, shortened past 120 characters. */
  quote(node: Span): string {
    const raw = this.text.slice(node.startIndex, node.endIndex);
    const one = raw.replace(/\/\/[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ').trim();
    return one.length > 120 ? `${one.slice(0, 117)}...` : one;
  }

  /** `<why> — <C++> (file:line)`: the shape of every todo note and report line. */
  note(why: string, node: Span): string {
    return `${why} — ${this.quote(node)} (${this.where(node)})`;
  }
}

/** Parses text as one file (tests and callers that hold the text already). */
export async function sourceFromText(path: string, raw: string): Promise<SourceFile> {
  // A UTF-8 byte order mark read as latin1 is three characters; blank them to keep columns.
  const text = raw.startsWith('\u00ef\u00bb\u00bf') ? `   ${raw.slice(3)}` : raw.replace(/^\ufeff/, ' ');
  const pass = blankMfcMacros(text);
  return new SourceFile(path, text, await parseCpp(pass.text), pass.uses);
}

/** Every C++ file under the given files and folders, in a stable order: as given, folders sorted by path. */
export async function listSourceFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input);
    if (info.isDirectory()) files.push(...(await walk(input)));
    else files.push(input);
  }
  return [...new Set(files)];
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(path)));
    else if (e.isFile() && CPP_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(path);
  }
  return out;
}

/** Reads and parses files. Sources of MFC services are usually in an ANSI code page: read as latin1, one byte one character. */
async function readSources(paths: readonly string[], cwd = process.cwd()): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  try {
    for (const path of paths) {
      const raw = await readFile(path, 'latin1');
      const shown = relative(cwd, path);
      out.push(await sourceFromText(shown.startsWith('..') || shown === '' ? path : shown, raw));
    }
  } catch (err) {
    closeAll(out);
    throw err;
  }
  return out;
}

/** Reads and parses files for `use`, then frees their parse trees, whether `use` returns or throws. */
export async function withSources<T>(paths: readonly string[], use: (sources: readonly SourceFile[]) => T, cwd = process.cwd()): Promise<T> {
  const sources = await readSources(paths, cwd);
  try {
    return use(sources);
  } finally {
    closeAll(sources);
  }
}

function closeAll(sources: readonly SourceFile[]): void {
  for (const s of sources) s.close();
}
