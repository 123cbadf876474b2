/**
 * Helpers of the import-cpp tests: draft a fixture folder with the importer, load a drafted file
 * into the project's codec, and compare bytes with golden hex written by hand in the tests.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { expect } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { DEFAULT_BUILD, type BuildConfig } from '../../src/import-cpp/build-config.js';
import type { Profile } from '../../src/archive/index.js';
import { importCpp, type ImportResult } from '../../src/import-cpp/import-cpp.js';
import { listSourceFiles, withSources } from '../../src/import-cpp/source-set.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** Drafts the type file of a fixture folder, paths in notes relative to the repository. */
export async function draft(name: string, options: { profile?: Partial<Profile>; classes?: string[]; build?: Partial<BuildConfig> } = {}): Promise<ImportResult> {
  const files = await listSourceFiles([fixture(name)]);
  const build: BuildConfig = { ...DEFAULT_BUILD, ...options.build, profile: { ...DEFAULT_BUILD.profile, ...options.profile } };
  return withSources(files, (sources) => importCpp(sources, { build, ...(options.classes ? { classes: options.classes } : {}) }), ROOT);
}

/** The drafted file loaded as is into a registry (JSON text, exactly as the CLI writes it). */
export function load(result: ImportResult): TypeRegistry {
  const registry = new TypeRegistry();
  registry.addText(JSON.stringify(result.file, null, 2), 'drafted');
  return registry;
}

/** Spaced hex (`"02 00  FF FF"`, `|` allowed as a visual separator) → bytes. */
export function hex(spaced: string): Buffer {
  return Buffer.from(spaced.replace(/[\s|]+/g, ''), 'hex');
}

/** Encodes `value` as `type` and expects the golden bytes; then decodes them back to the value. */
export function expectGolden(registry: TypeRegistry, type: string, value: unknown, golden: string): void {
  const codec = registry.get(type);
  expect(codec.encode(value).toString('hex')).toBe(hex(golden).toString('hex'));
}

/** Drafts C++ given as text (one or more files), for small cases written in the test itself. */
export async function draftText(files: Record<string, string>, options: { profile?: Partial<Profile>; build?: Partial<BuildConfig> } = {}): Promise<ImportResult> {
  const { sourceFromText } = await import('../../src/import-cpp/source-set.js');
  const sources = await Promise.all(Object.entries(files).map(([path, text]) => sourceFromText(path, text)));
  const build: BuildConfig = { ...DEFAULT_BUILD, ...options.build, profile: { ...DEFAULT_BUILD.profile, ...options.profile } };
  try {
    return importCpp(sources, { build });
  } finally {
    for (const s of sources) s.close();
  }
}

/** The fields of one drafted type from a Serialize body of class C with the given members. */
export async function fieldsOf(members: string, body: string, extra = '', options: { profile?: Partial<Profile>; build?: Partial<BuildConfig> } = {}): Promise<unknown[]> {
  const text = `${extra}\nclass C : public CObject {\npublic:\n${members}\n  virtual void Serialize(CArchive& ar);\n};\nIMPLEMENT_SERIAL(C, CObject, 1)\nvoid C::Serialize(CArchive& ar)\n{\n${body}\n}\n`;
  const result = await draftText({ 'c.cpp': text }, options);
  return result.file.types.C?.fields ?? [];
}
