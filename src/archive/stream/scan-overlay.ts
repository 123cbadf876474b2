/**
 * The scanner's view of the archive's index map (format §4.2): the load archive's own entries, with
 * the classes and objects the message being measured adds on top — the archive's map itself stays
 * untouched until the message decodes.
 */
import { addEntry, type IndexEntries, type LoadState } from '../objects/archive-state.js';
import type { IndexMap } from '../objects/object-header.js';

/** New classes and objects seen while scanning, on top of the archive's map (which stays untouched). */
export class ScanOverlay implements IndexMap {
  private readonly own: IndexEntries = { kinds: [], names: [], schemas: [] };
  /** Entries of the archive's map when the scan began (a scan is stale once the map grows). */
  readonly baseCount: number;

  constructor(private readonly base: LoadState) {
    this.baseCount = base.count;
  }

  get count(): number {
    return this.baseCount + this.own.kinds.length;
  }

  kindAt(i: number): number {
    return i < this.baseCount ? this.base.kindAt(i) : this.own.kinds[i - this.baseCount]!;
  }

  nameAt(i: number): string {
    return i < this.baseCount ? this.base.nameAt(i) : this.own.names[i - this.baseCount]!;
  }

  schemaAt(i: number): number {
    return i < this.baseCount ? this.base.schemaAt(i) : this.own.schemas[i - this.baseCount]!;
  }

  add(kind: number, name: string, schema: number, offset: number): number {
    return addEntry(this.own, this.count, this.base.maxObjects, kind, name, schema, offset);
  }
}

