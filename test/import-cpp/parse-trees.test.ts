/**
 * Parse trees live in the parser's WebAssembly memory, which the collector does not see: an
 * import frees each file's tree once the draft is made, and when it fails too.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Tree } from 'web-tree-sitter';
import { importCpp } from '../../src/import-cpp/import-cpp.js';
import { listSourceFiles, withSources } from '../../src/import-cpp/source-set.js';
import { fixture, ROOT } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parse trees', () => {
  it('withSources frees every tree after the import', async () => {
    const freed = vi.spyOn(Tree.prototype, 'delete');
    const files = await listSourceFiles([fixture('scribble')]);
    const result = await withSources(files, (sources) => importCpp(sources), ROOT);
    expect(Object.keys(result.file.types)).toEqual(['CSketchDoc', 'CPenStroke']);
    expect(freed).toHaveBeenCalledTimes(files.length);
  });

  it('and when the import throws', async () => {
    const freed = vi.spyOn(Tree.prototype, 'delete');
    const files = await listSourceFiles([fixture('scribble')]);
    await expect(withSources(files, () => { throw new Error('boom'); }, ROOT)).rejects.toThrow('boom');
    expect(freed).toHaveBeenCalledTimes(files.length);
  });

  it('and those already parsed when a later file cannot be read', async () => {
    const freed = vi.spyOn(Tree.prototype, 'delete');
    const files = [...(await listSourceFiles([fixture('scribble')])), fixture('no-such-file.cpp')];
    await expect(withSources(files, (sources) => importCpp(sources), ROOT)).rejects.toThrow(/ENOENT/);
    expect(freed).toHaveBeenCalledTimes(files.length - 1);
  });
});
