/**
 * ReadObject's checks, shared by the decoder and the scanner (format §4.3): an index past the last
 * one loaded or of the wrong kind is `badIndex`; an unknown or disallowed class is `badClass`; a
 * schema other than the class's, without VERSIONABLE_SCHEMA, is `badSchema`.
 */
import type { ArchiveReader } from '../wire/archive-reader.js';
import { KIND_CLASS, KIND_OBJECT } from './archive-state.js';
import { decodeError } from '../errors.js';
import { NEW_CLASS, readClassDescriptor, readTag } from './object-tags.js';
import type { ObjectPlan, StructPlan } from '../types/type-plan.js';

/** The index map as ReadObject sees it (a LoadState, or the scanner's overlay of one). */
export interface IndexMap {
  readonly count: number;
  kindAt(index: number): number;
  nameAt(index: number): string;
  schemaAt(index: number): number;
  add(kind: number, name: string, schema: number, offset: number): number;
}

/** What follows an object tag: nothing (null or a back-reference), or a new object to decode. */
interface ObjectHeader {
  /** -1 for null, else the referenced or new object's index. */
  index: number;
  /** The class of a new object; undefined for null and back-references. */
  cls: StructPlan | undefined;
  /** The schema stored for the class (differs from the declared one only for versionable classes). */
  schema: number;
}

function allowedNames(plan: ObjectPlan): string {
  const names = plan.classes.map((c) => c.cls!.name);
  return names.length === 0 ? 'no class (none is declared)' : names.join(' or ');
}

function classFor(plan: ObjectPlan, name: string, at: number): StructPlan {
  const cls = plan.byName.get(name);
  if (cls === undefined) {
    throw decodeError('badClass', `class '${name}' is not expected here`, at, `an object of class ${allowedNames(plan)}`);
  }
  return cls;
}

export function readObjectHeader(r: ArchiveReader, map: IndexMap, plan: ObjectPlan): ObjectHeader {
  const at = r.offset;
  const tag = readTag(r);
  if (tag === 0) return { index: -1, cls: undefined, schema: 0 };
  if (tag !== NEW_CLASS && (tag & 0x80000000) === 0) {
    if (tag >= map.count || map.kindAt(tag) !== KIND_OBJECT) {
      throw decodeError('badIndex', `back-reference to index ${tag}, which is not an object loaded so far`, at, `an object index below ${map.count}`);
    }
    classFor(plan, map.nameAt(tag), at);
    return { index: tag, cls: undefined, schema: 0 };
  }
  let name: string;
  let schema: number;
  let cls: StructPlan;
  if (tag === NEW_CLASS) {
    const stored = readClassDescriptor(r, at);
    name = stored.name;
    schema = stored.schema;
    cls = classFor(plan, name, at);
    const info = cls.cls!;
    if (schema !== info.schema && !info.versionable) {
      throw decodeError('badSchema', `class '${name}' has schema ${schema} in the archive but ${info.schema} here, and is not versionable`, at, `schema ${info.schema}`);
    }
    map.add(KIND_CLASS, name, schema, at);
  } else {
    const index = (tag & 0x7fffffff) >>> 0;
    if (index === 0 || index >= map.count || map.kindAt(index) !== KIND_CLASS) {
      throw decodeError('badIndex', `class tag for index ${index}, which is not a class loaded so far`, at, `a class index below ${map.count}`);
    }
    name = map.nameAt(index);
    schema = map.schemaAt(index);
    cls = classFor(plan, name, at);
  }
  return { index: map.add(KIND_OBJECT, name, schema, at), cls, schema };
}
