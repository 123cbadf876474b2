/**
 * The per-archive index map of WriteObject/ReadObject (format §4.2): one counter shared by classes
 * and objects, starting at 1, 0 being NULL. It lives as long as the archive: for a whole connection
 * (indices persist across messages, MFC's CHATSRVR pattern) or for one message. A failed message
 * rolls its additions back, so a load that fails or times out leaves the map as it was.
 */
import { decodeError, validationError } from '../errors.js';
import type { Limits } from '../values/limits.js';
import { DEFAULT_LIMITS, MFC_MAX_MAP_COUNT } from '../values/limits.js';
import type { IndexMap } from './object-header.js';

const KIND_NULL = 0;
export const KIND_CLASS = 1;
export const KIND_OBJECT = 2;

/** The parallel arrays of an index map: per index, the kind, the class name and the stored schema. */
export interface IndexEntries {
  kinds: number[];
  names: string[];
  schemas: number[];
}

/**
 * Appends `index` to `entries` (its arrays may start past index 0: the scanner's overlay), refusing
 * an archive of more than `maxObjects` classes and objects (MFC's own ceiling, format §4.1).
 */
export function addEntry(entries: IndexEntries, index: number, maxObjects: number, kind: number, name: string, schema: number, offset: number): number {
  if (index > maxObjects) {
    throw decodeError('limit', `more than ${maxObjects} classes and objects in one archive (maxObjects)`, offset);
  }
  entries.kinds.push(kind);
  entries.names.push(name);
  entries.schemas.push(schema);
  return index;
}

export class LoadState implements IndexMap, IndexEntries {
  /** Per index: KIND_NULL, KIND_CLASS or KIND_OBJECT. */
  kinds: number[] = [KIND_NULL];
  /** Per index: the class name (of the class, or of the object). */
  names: string[] = [''];
  /** Per class index: the schema number stored in the archive (for VERSIONABLE_SCHEMA). */
  schemas: number[] = [0];
  depth = 0;
  /** Elements that take no bytes decoded in the current message (capped by maxMessageBytes). */
  zeroSize = 0;
  readonly maxObjects: number;

  constructor(limits: Pick<Limits, 'maxObjects'> = DEFAULT_LIMITS) {
    this.maxObjects = Math.min(limits.maxObjects, MFC_MAX_MAP_COUNT);
  }

  get count(): number {
    return this.kinds.length;
  }

  kindAt(index: number): number {
    return this.kinds[index];
  }

  nameAt(index: number): string {
    return this.names[index];
  }

  schemaAt(index: number): number {
    return this.schemas[index];
  }

  add(kind: number, name: string, schema: number, offset: number): number {
    return addEntry(this, this.kinds.length, this.maxObjects, kind, name, schema, offset);
  }

  rollback(count: number): void {
    this.kinds.length = count;
    this.names.length = count;
    this.schemas.length = count;
    this.depth = 0;
  }

  reset(): void {
    this.rollback(1);
  }
}

export class StoreState {
  /** Class name → index. */
  classes = new Map<string, number>();
  /** Class name → the schema its descriptor carried: every later object of the class has it (format §4.3). */
  classSchemas = new Map<string, number>();
  /**
   * Object identity → index (MFC keys by address: the same object twice is a back-reference). Weak,
   * so a connection-long archive does not keep every value ever sent alive.
   */
  objects = new WeakMap<object, number>();
  /** Per index: the class name of an object, undefined for classes. */
  objectClass: (string | undefined)[] = [undefined];
  count = 1;
  depth = 0;
  /** `$id` labels of the message being encoded → index. */
  labels: Map<unknown, number> | undefined;
  readonly maxObjects: number;
  private journalClasses: string[] = [];
  private journalObjects: object[] = [];

  constructor(limits: Pick<Limits, 'maxObjects'> = DEFAULT_LIMITS) {
    this.maxObjects = Math.min(limits.maxObjects, MFC_MAX_MAP_COUNT);
  }

  private next(): number {
    if (this.count > this.maxObjects) {
      throw validationError(`more than ${this.maxObjects} classes and objects in one archive (maxObjects)`);
    }
    return this.count++;
  }

  addClass(name: string, schema: number): number {
    const index = this.next();
    this.classes.set(name, index);
    this.classSchemas.set(name, schema);
    this.objectClass[index] = undefined;
    this.journalClasses.push(name);
    return index;
  }

  addObject(obj: object, className: string): number {
    const index = this.next();
    this.objects.set(obj, index);
    this.objectClass[index] = className;
    this.journalObjects.push(obj);
    return index;
  }

  /** Starts a message: returns the mark to roll back to if it fails. */
  begin(): number {
    if (this.journalClasses.length !== 0) this.journalClasses.length = 0;
    if (this.journalObjects.length !== 0) this.journalObjects.length = 0;
    this.labels = undefined;
    this.depth = 0;
    return this.count;
  }

  rollback(mark: number): void {
    for (const name of this.journalClasses) {
      this.classes.delete(name);
      this.classSchemas.delete(name);
    }
    for (const obj of this.journalObjects) this.objects.delete(obj);
    this.objectClass.length = mark;
    this.count = mark;
    this.begin();
  }

  reset(): void {
    this.classes.clear();
    this.classSchemas.clear();
    this.objects = new WeakMap();
    this.objectClass = [undefined];
    this.count = 1;
    this.begin();
  }
}
