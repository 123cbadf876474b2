/**
 * Measures a message's length as its bytes arrive, resumably: CArchive has no framing (format §9.1
 * point 2), so the only way to know where a message ends is to walk its type. The walk keeps its
 * place between chunks (an explicit stack, a forward-only cursor), so a message split into any
 * number of chunks is measured in time linear in its size; static-size runs are skipped in O(1).
 * Once the length is known, the compiled decoder reads the message in one pass.
 */
import { ArchiveReader } from '../wire/archive-reader.js';
import { addEntry, type IndexEntries, type LoadState } from '../objects/archive-state.js';
import type { ChunkQueue, QueueCursor } from './chunk-queue.js';
import { readCount } from '../wire/count.js';
import { decodeError } from '../errors.js';
import type { Limits } from '../values/limits.js';
import { NeedMore } from '../wire/need-more.js';
import { readObjectHeader, type IndexMap } from '../objects/object-header.js';
import { minSize, staticSize, type MapPlan, type Plan, type StructPlan } from '../types/type-plan.js';

interface Entry {
  plan: Plan;
  left: number;
  depth: number;
}

/** New classes and objects seen while scanning, on top of the archive's map (which stays untouched). */
class ScanOverlay implements IndexMap {
  private readonly own: IndexEntries = { kinds: [], names: [], schemas: [] };
  private readonly baseCount: number;

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

const pairs = new WeakMap<MapPlan, StructPlan>();

/** A map entry as a two-field struct, so pairs scan like any sequence. */
function pairOf(plan: MapPlan): StructPlan {
  let p = pairs.get(plan);
  if (p === undefined) {
    p = {
      kind: 'struct',
      name: 'pair',
      fields: [{ name: '0', plan: plan.key }, { name: '1', plan: plan.value }],
      recursive: false,
      limits: plan.limits,
    };
    pairs.set(plan, p);
  }
  return p;
}

/** Longest header any step reads: an object tag with a new class of a 63-byte name. */
const WINDOW = 80;

export class MessageScanner {
  /** Bytes of the message measured so far. */
  pos = 0;
  /** Elements of no bytes seen so far (capped like bytes: see the decoder). */
  private zeroSize = 0;
  readonly root: Plan;
  readonly baseCount: number;
  readonly generation: number;
  private readonly stack: Entry[];
  private readonly overlay: ScanOverlay;
  private readonly window = Buffer.alloc(WINDOW);
  private readonly cursor: QueueCursor;
  private readonly limits: Limits;

  constructor(root: Plan, state: LoadState, queue: ChunkQueue, limits: Limits) {
    this.root = root;
    this.stack = [{ plan: root, left: 1, depth: 0 }];
    this.overlay = new ScanOverlay(state);
    this.baseCount = state.count;
    this.cursor = queue.newCursor();
    this.generation = queue.generation;
    this.limits = limits;
  }

  /**
   * Walks as far as the queued bytes allow. Returns the message length when it is complete, or
   * minus the number of further bytes needed (at least). Throws ARCHIVE_DECODE / ARCHIVE_LIMIT.
   */
  step(queue: ChunkQueue): number {
    const stack = this.stack;
    const max = this.limits.maxMessageBytes;
    while (stack.length > 0) {
      const e = stack[stack.length - 1];
      if (e.left === 0) {
        stack.pop();
        continue;
      }
      const fixed = staticSize(e.plan);
      if (fixed !== undefined) {
        this.advance(fixed * e.left, queue, max);
        stack.pop();
        continue;
      }
      const need = this.one(e, queue, max);
      if (need > 0) return -need;
    }
    return this.pos <= queue.length ? this.pos : -(this.pos - queue.length);
  }

  private advance(n: number, queue: ChunkQueue, max: number): void {
    this.pos += n;
    if (this.pos > max) {
      throw decodeError('limit', `the message exceeds maxMessageBytes (${max})`, queue.consumed + this.pos - n);
    }
  }

  private push(plan: Plan, left: number, depth: number, queue: ChunkQueue): void {
    if (left > 0) {
      if (depth > this.limits.maxDepth) {
        throw decodeError('limit', `the message nests deeper than ${this.limits.maxDepth} levels (maxDepth)`, queue.consumed + this.pos);
      }
      this.stack.push({ plan, left, depth });
    }
  }

  /** A reader over the next header bytes; NeedMore from it means the header is incomplete. */
  private header(queue: ChunkQueue, size: number): ArchiveReader {
    const got = this.pos < queue.length ? queue.copyOut(this.window, this.pos, size, this.cursor) : 0;
    return new ArchiveReader(this.window, 0, got, queue.consumed + this.pos);
  }

  /** Processes one element of the entry; returns >0 (bytes needed) when the queue runs short. */
  private one(e: Entry, queue: ChunkQueue, max: number): number {
    const plan = e.plan;
    const shortBy = Math.max(0, this.pos - queue.length);
    try {
      switch (plan.kind) {
        case 'prim': {
          const r = this.header(queue, plan.prim.headerMax ?? WINDOW);
          const size = plan.prim.measure!(r);
          e.left--;
          this.advance(size, queue, max);
          return 0;
        }
        case 'struct': {
          e.left--;
          const depth = e.depth + (plan.recursive ? 1 : 0);
          for (let i = plan.fields.length - 1; i >= 0; i--) this.push(plan.fields[i].plan, 1, depth, queue);
          return 0;
        }
        case 'fixed':
          e.left--;
          this.push(plan.elem, plan.length, e.depth, queue);
          return 0;
        case 'list':
        case 'map': {
          const r = this.header(queue, 14);
          const at = r.offset;
          const n = readCount(r, plan.escape64);
          const elem = plan.kind === 'list' ? plan.elem : pairOf(plan);
          if (n > plan.limits.maxArrayLength) {
            throw decodeError('limit', `a count of ${n} exceeds maxArrayLength (${plan.limits.maxArrayLength})`, at);
          }
          const elemMin = minSize(elem);
          if (elemMin === 0 && (this.zeroSize += n) > max) {
            // As the decoder: elements of no bytes count as one byte each against the message cap.
            throw decodeError('limit', `more than ${max} elements that take no bytes in one message (maxMessageBytes)`, at);
          }
          if (this.pos + r.pos + n * elemMin > max) {
            throw decodeError('limit', `a count of ${n} makes the message exceed maxMessageBytes (${max})`, at);
          }
          e.left--;
          this.advance(r.pos, queue, max);
          this.push(elem, n, e.depth, queue);
          return 0;
        }
        case 'object': {
          const r = this.header(queue, WINDOW);
          const h = readObjectHeader(r, this.overlay, plan);
          e.left--;
          this.advance(r.pos, queue, max);
          if (h.cls !== undefined) this.push(h.cls, 1, e.depth, queue);
          return 0;
        }
      }
    } catch (err) {
      if (err instanceof NeedMore) return shortBy + err.need;
      throw err;
    }
  }
}
