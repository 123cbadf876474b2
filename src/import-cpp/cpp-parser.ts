/**
 * The C++ parser: tree-sitter's C++ grammar, compiled to WebAssembly and shipped inside the
 * `tree-sitter-cpp` npm package, run by `web-tree-sitter`. Nothing is built natively and nothing is
 * fetched at run time. Loaded on first use only, so the other CLI commands never pay for the wasm.
 */
import { createRequire } from 'node:module';
import type { Parser, Tree } from 'web-tree-sitter';

export type { Node as CppNode, Tree as CppTree } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;

async function load(): Promise<Parser> {
  const { Parser: ParserClass, Language } = await import('web-tree-sitter');
  await ParserClass.init();
  // The grammar package's own file, resolved the way Node resolves the package (no path guessing).
  const wasm = createRequire(import.meta.url).resolve('tree-sitter-cpp/tree-sitter-cpp.wasm');
  const language = await Language.load(wasm);
  const parser = new ParserClass();
  parser.setLanguage(language);
  return parser;
}

/**
 * Parses one translation unit's text. The tree lives in the parser's WebAssembly memory, which the
 * collector does not see (it frees a tree only if it ever finalizes the object, and the wasm heap
 * never shrinks): the caller frees it with `tree.delete()` when done.
 */
export async function parseCpp(text: string): Promise<Tree> {
  loading ??= load();
  const parser = await loading;
  const tree = parser.parse(text);
  if (tree === null) throw new Error('the C++ parser returned no tree');
  return tree;
}
