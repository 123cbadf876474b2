/**
 * `import-cpp` as a library call: parsed C++ sources in, a drafted type file and a report out.
 * Declarations are read from every file first; then each `Serialize(CArchive&)` definition, in
 * source order, is translated twice (storing and loading), the two compared, and the result
 * becomes a type named after its class, with `class`/`schema`/`versionable` from IMPLEMENT_SERIAL.
 */
import type { Entry, TranslationContext } from './translation-scope.js';
import { mergeDirections } from './branch-merge.js';
import { DEFAULT_BUILD, type BuildConfig } from './build-config.js';
import { Declarations, type SerializeDef } from './declarations.js';
import type { FieldDecl, TypeDecl, TypeExpr } from '../archive/types/type-file.js';
import { orderedTypeFile, uniqueFieldNames, type DraftTypeFile } from './draft-type-file.js';
import { MfcTypes } from './mfc-types.js';
import { translateBody } from './serialize-body.js';
import type { SourceFile } from './source-set.js';
import { sizeOfTypeText } from './struct-layout.js';

export interface ImportOptions {
  build?: BuildConfig;
  /** Draft only these classes and the types they use. */
  classes?: readonly string[];
}

export interface TodoLine {
  type: string;
  field: string;
  note: string;
}

export interface ImportReport {
  files: number;
  functions: number;
  types: number;
  fieldsTranslated: number;
  todos: TodoLine[];
  /** Storing/loading differences (each also a todo on its field). */
  differences: string[];
  /** `--class` names with no Serialize and no IMPLEMENT_SERIAL in the sources. */
  unknownClasses: string[];
}

export interface ImportResult {
  file: DraftTypeFile;
  report: ImportReport;
}

export function importCpp(sources: readonly SourceFile[], options: ImportOptions = {}): ImportResult {
  const build = options.build ?? DEFAULT_BUILD;
  const decls = new Declarations(build);
  decls.sizeOf = (t) => sizeOfTypeText(t, decls);
  for (const s of sources) decls.collect(s);
  decls.finish();
  const types = new MfcTypes(decls);
  const drafted = new Map<string, TypeDecl>();
  const differences: string[] = [];
  const seen = new Set<string>();
  for (const def of decls.serializeDefs) {
    if (seen.has(def.className)) continue; // a second definition (another #if branch): the first wins
    seen.add(def.className);
    const { decl, aux, diffs } = translateSerialize(def, decls, types);
    drafted.set(def.className, decl);
    for (const [name, a] of aux) drafted.set(name, a);
    differences.push(...diffs);
  }
  // IMPLEMENT_SERIAL classes without a Serialize of their own run their base's.
  for (const s of decls.serial.values()) {
    if (drafted.has(s.className)) continue;
    const base = types.serializeOwner(s.base);
    drafted.set(s.className, { ...classInfo(s.className, decls), ...(base !== undefined ? { extends: base } : {}), fields: [] });
  }
  const wanted = options.classes === undefined || options.classes.length === 0 ? undefined : closure(options.classes, drafted);
  const out: Record<string, TypeDecl> = {};
  for (const [name, decl] of drafted) if (wanted === undefined || wanted.has(name)) out[name] = decl;
  const file = orderedTypeFile({ profile: build.profile, types: out });
  const todos: TodoLine[] = [];
  let fieldsTranslated = 0;
  for (const [type, decl] of Object.entries(file.types)) {
    for (const f of decl.fields) {
      if (f.todo !== undefined) todos.push({ type, field: f.name, note: f.todo });
      else fieldsTranslated++;
    }
  }
  return {
    file,
    report: {
      files: sources.length,
      functions: decls.serializeDefs.length,
      types: Object.keys(file.types).length,
      fieldsTranslated,
      todos,
      differences: differences.filter((d) => todos.some((t) => t.note === d)),
      unknownClasses: (options.classes ?? []).filter((c) => !drafted.has(c)),
    },
  };
}

function classInfo(name: string, decls: Declarations): Omit<TypeDecl, 'fields'> {
  const s = decls.serial.get(name);
  if (s === undefined) return {};
  return { class: name, ...(s.schema !== undefined ? { schema: s.schema } : {}), ...(s.versionable ? { versionable: true } : {}) };
}

function translateSerialize(def: SerializeDef, decls: Declarations, types: MfcTypes): { decl: TypeDecl; aux: Map<string, TypeDecl>; diffs: string[] } {
  const run = (direction: 'store' | 'load') => {
    const aux = new Map<string, TypeDecl>();
    const ctx: TranslationContext = {
      decls, types, file: def.file, def, owner: def.className, typeName: def.className,
      addAux(name, fields) {
        let unique = name;
        for (let k = 2; aux.has(unique) || decls.classes.has(unique) || decls.serializeDefs.some((d) => d.className === unique); k++) unique = `${name}${k}`;
        aux.set(unique, { fields });
        return unique;
      },
    };
    const body = translateBody(ctx, direction);
    finishCounts(body.entries, def);
    return { ...body, aux };
  };
  const store = run('store');
  const load = run('load');
  const schema = decls.serial.get(def.className)?.schema;
  const merged = mergeDirections(store.entries, load.entries, def.file, schema);
  const diffs = [...merged.differences];
  const decl: TypeDecl = { ...classInfo(def.className, decls), fields: uniqueFieldNames(merged.fields) };
  const base = store.extends ?? load.extends;
  if (base !== undefined) {
    decl.extends = base;
    if (store.extends !== load.extends) {
      const node = (store.extends === undefined ? load.extendsNode : store.extendsNode)!;
      const note = def.file.note(`only the ${store.extends === undefined ? 'loading' : 'storing'} branch calls the base class's Serialize first`, node);
      diffs.push(note);
      decl.fields.unshift({ name: 'baseDiffers', type: 'TODO', todo: note });
    }
  }
  // Helper types of both branches must agree too; the storing branch's are kept.
  for (const [name, a] of store.aux) {
    const b = load.aux.get(name);
    if (b === undefined) continue;
    const m = mergeDirections(a.fields.map(asEntry(def)), b.fields.map(asEntry(def)), def.file, schema);
    a.fields = m.fields;
    diffs.push(...m.differences);
  }
  const aux = store.entries.length > 0 || load.aux.size === 0 ? store.aux : load.aux;
  return { decl, aux, diffs };
}

function asEntry(def: SerializeDef): (f: FieldDecl) => Entry {
  return (f) => ({ field: f, keys: [], node: def.node });
}

/** A WriteCount that no list or block took is a count with nothing the grammar can attach it to. */
function finishCounts(entries: Entry[], def: SerializeDef): void {
  for (const e of entries) {
    if (e.field.type === 'WriteCount') {
      e.field.type = 'TODO';
      e.field.todo ??= def.file.note('a WriteCount/ReadCount whose elements the importer could not find after it', e.node);
    }
  }
}

/** The named types and every declared type they reach (bases, objects, lists, switch cases). */
function closure(roots: readonly string[], types: ReadonlyMap<string, TypeDecl>): Set<string> {
  const out = new Set<string>();
  const stack = roots.filter((r) => types.has(r));
  const visitType = (t: TypeExpr) => {
    if (typeof t === 'string') { if (types.has(t)) stack.push(t); return; }
    if ('list' in t) visitType(t.list);
    else if ('fixed' in t) visitType(t.fixed);
    else if ('map' in t) t.map.forEach(visitType);
    else if ('object' in t) (Array.isArray(t.object) ? t.object : [t.object]).forEach((o) => stack.push(o));
    else if ('switch' in t) { Object.values(t.cases).forEach(visitType); if (t.default !== undefined) visitType(t.default); }
  };
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (out.has(name) || !types.has(name)) continue;
    out.add(name);
    const decl = types.get(name)!;
    if (decl.extends !== undefined) stack.push(decl.extends);
    decl.fields.forEach((f) => visitType(f.type));
  }
  return out;
}
