/**
 * Measures a message's length as its bytes arrive, resumably: CArchive has no framing (format §9.1
 * point 2), so the only way to know where a message ends is to walk its type. The walk keeps its
 * place between chunks (an explicit stack, a forward-only cursor), so a message split into any
 * number of chunks is measured in time linear in its size; static-size runs are skipped in O(1).
 * A struct whose layout depends on values read before (counts from fields, `when`, `switch`) is
 * walked field by field in a frame that keeps those values (scan-program.ts). Once the length is
 * known, the compiled decoder reads the message in one pass.
 */
import { MAX_EMPTY_ELEMENTS } from '../values/limits.js';
import { ArchiveReader } from '../wire/archive-reader.js';
import type { LoadState } from '../objects/archive-state.js';
import type { ChunkQueue, QueueCursor } from './chunk-queue.js';
import { readCount } from '../wire/count.js';
import { decodeError } from '../errors.js';
import type { Limits } from '../values/limits.js';
import { readerOf } from '../values/json-form.js';
import { NeedMore } from '../wire/need-more.js';
import { readObjectHeader } from '../objects/object-header.js';
import { decodeHelpers } from '../compile/decode-helpers.js';
import { NO_SCHEMA, minSize, staticSize, type CountPlan, type Plan, type StructPlan } from '../types/type-plan.js';
import { ScanOverlay } from './scan-overlay.js';
import { pairOf, scanProgram, type ConstStep, type FieldStep } from './scan-program.js';

/** One struct instance walked field by field, with the values its later fields read. */
interface Frame {
  readonly plan: StructPlan;
  readonly steps: readonly FieldStep[];
  next: number;
  readonly values: unknown[];
  readonly schema: number;
  /** The frame (and field) whose path reads through this struct: it gets the values when done. */
  readonly parent?: Frame;
  readonly slot: number;
}

interface Entry {
  plan: Plan;
  left: number;
  depth: number;
  frame?: Frame;
}

/** Longest header any step reads: an object tag with a new class of a 63-byte name. */
const WINDOW = 80;

export class MessageScanner {
  /** Bytes of the message measured so far. */
  pos = 0;
  /** Elements of no bytes seen so far (capped like bytes: see the decoder). */
  private zeroSize = 0;
  readonly root: Plan;
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
    this.cursor = queue.newCursor();
    this.generation = queue.generation;
    this.limits = limits;
  }

  /** Entries of the archive's index map when the scan began. */
  get baseCount(): number {
    return this.overlay.baseCount;
  }

  /**
   * Walks as far as the queued bytes allow. Returns the message length when it is complete, or
   * minus the number of further bytes needed (at least). Throws ARCHIVE_DECODE / ARCHIVE_LIMIT.
   */
  step(queue: ChunkQueue): number {
    const stack = this.stack;
    const max = this.limits.maxMessageBytes;
    while (stack.length > 0) {
      const e = stack[stack.length - 1]!;
      if (e.frame !== undefined) {
        const need = this.field(e.frame, e.depth, queue, max);
        if (need > 0) return -need;
        continue;
      }
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

  private push(plan: Plan, left: number, depth: number, queue: ChunkQueue, frame?: Frame): void {
    if (left > 0) {
      if (depth > this.limits.maxDepth) {
        throw decodeError('limit', `the message nests deeper than ${this.limits.maxDepth} levels (maxDepth)`, queue.consumed + this.pos);
      }
      this.stack.push(frame === undefined ? { plan, left, depth } : { plan, left, depth, frame });
    }
  }

  /** Starts walking a struct field by field (`parent`: a path of that frame reads through it). */
  private pushFrame(plan: StructPlan, depth: number, queue: ChunkQueue, schema: number, parent?: Frame, slot = -1): void {
    const frame: Frame = { plan, steps: scanProgram(plan, parent !== undefined), next: 0, values: [], schema, slot, ...(parent === undefined ? {} : { parent }) };
    this.push(plan, 1, depth + (plan.recursive ? 1 : 0), queue, frame);
  }

  /** A reader over the next header bytes; NeedMore from it means the header is incomplete. */
  private header(queue: ChunkQueue, size: number): ArchiveReader {
    const got = this.pos < queue.length ? queue.copyOut(this.window, this.pos, size, this.cursor) : 0;
    return new ArchiveReader(this.window, 0, got, queue.consumed + this.pos);
  }

  /** As the decoders: elements of no bytes count against one cap per message (values/limits.ts). */
  private countEmpty(n: number, elemMin: number, at: number): void {
    if (elemMin === 0 && (this.zeroSize += n) > MAX_EMPTY_ELEMENTS) decodeHelpers.tooManyEmpty(at);
  }

  /** Checks a count against the caps before its elements are pushed (none is ever allocated). */
  private checkCount(n: number, elem: Plan, headerBytes: number, at: number, limits: Limits, max: number): void {
    if (n > limits.maxArrayLength) throw decodeError('limit', `a count of ${n} exceeds maxArrayLength (${limits.maxArrayLength})`, at);
    const elemMin = minSize(elem);
    this.countEmpty(n, elemMin, at);
    if (this.pos + headerBytes + n * elemMin > max) {
      throw decodeError('limit', `a count of ${n} makes the message exceed maxMessageBytes (${max})`, at);
    }
  }

  /** Reads a count written before the elements; the reader's position is its size. */
  private count(count: Exclude<CountPlan, { kind: 'field' }>, r: ArchiveReader): number {
    if (count.kind === 'writeCount') return readCount(r, count.escape64);
    return decodeHelpers.count(readerOf(count.prim, 'canonical')(r), r, '');
  }

  /** The next field of a frame; returns >0 (bytes needed) when the queue runs short. */
  private field(frame: Frame, depth: number, queue: ChunkQueue, max: number): number {
    const i = frame.next;
    const f = frame.plan.fields[i];
    if (f === undefined) {
      this.stack.pop();
      if (frame.parent !== undefined) {
        frame.parent.values[frame.slot] = Object.fromEntries(frame.plan.fields.map((x, j) => [x.name, frame.values[j]]));
      }
      return 0;
    }
    const step = frame.steps[i]!;
    if (step.when !== undefined && step.when(frame.values, frame.schema) !== true) {
      frame.next++;
      return 0;
    }
    const shortBy = Math.max(0, this.pos - queue.length);
    const plan = f.plan;
    try {
      if (step.constant !== undefined) {
        frame.values[i] = this.constant(step.constant, queue, max);
        frame.next++;
        return 0;
      }
      if (step.prim !== undefined) {
        const r = this.header(queue, step.prim.size ?? WINDOW);
        frame.values[i] = readerOf(step.prim, 'canonical')(r);
        frame.next++;
        this.advance(r.pos, queue, max);
        return 0;
      }
      frame.next++;
      if (step.keep && plan.kind === 'struct') {
        this.pushFrame(plan, depth, queue, NO_SCHEMA, frame, i);
      } else if (step.arg !== undefined && plan.kind === 'switch') {
        const tag = step.arg(frame.values, frame.schema);
        const chosen = plan.cases.find((c) => c.tag === tag)?.plan ?? plan.fallback;
        if (chosen === undefined) {
          return decodeHelpers.noCase(this.header(queue, 0), tag, plan.tag.path, plan.cases.map((c) => String(c.tag)).join(', ') || 'none');
        }
        this.push(chosen, 1, depth, queue);
      } else if (step.arg !== undefined && (plan.kind === 'list' || plan.kind === 'map' || plan.kind === 'bytes')) {
        const r = this.header(queue, 0);
        const n = decodeHelpers.count(step.arg(frame.values, frame.schema), r, step.argPath!);
        if (plan.kind === 'bytes') {
          if (n > plan.limits.maxMessageBytes) decodeHelpers.tooManyBytes(n, plan.limits.maxMessageBytes, r.offset);
          this.advance(n, queue, max);
        } else {
          const elem = plan.kind === 'list' ? plan.elem : pairOf(plan);
          this.checkCount(n, elem, 0, r.offset, plan.limits, max);
          this.push(elem, n, depth, queue);
        }
      } else {
        this.push(plan, 1, depth, queue);
      }
      return 0;
    } catch (err) {
      if (err instanceof NeedMore) return shortBy + err.need;
      throw err;
    }
  }

  /**
   * Reads a const field and checks it as the decoder will, as soon as its bytes are here: a stream
   * with a wrong magic number fails at once instead of waiting for a length it never meant.
   */
  private constant(c: ConstStep, queue: ChunkQueue, max: number): unknown {
    const at = queue.consumed + this.pos;
    const size = c.size ?? c.measure!(this.header(queue, c.headerMax));
    if (size > c.bound) return decodeHelpers.badConst(at, `a value of ${size} bytes`, c.want);
    let r: ArchiveReader;
    if (size <= WINDOW) {
      r = this.header(queue, size);
    } else {
      const buf = Buffer.alloc(size);
      r = new ArchiveReader(buf, 0, this.pos < queue.length ? queue.copyOut(buf, this.pos, size, this.cursor) : 0, at);
    }
    const v = c.read(r);
    if (v !== c.want) decodeHelpers.badConst(at, v, c.want);
    this.advance(size, queue, max);
    return v;
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
          if (plan.layout.dynamic) {
            this.pushFrame(plan, e.depth, queue, NO_SCHEMA);
            return 0;
          }
          const depth = e.depth + (plan.recursive ? 1 : 0);
          for (let i = plan.fields.length - 1; i >= 0; i--) this.push(plan.fields[i]!.plan, 1, depth, queue);
          return 0;
        }
        case 'fixed':
          this.countEmpty(plan.length, minSize(plan.elem), queue.consumed + this.pos);
          e.left--;
          this.push(plan.elem, plan.length, e.depth, queue);
          return 0;
        case 'list':
        case 'map': {
          // A count from a field is a field's own type: frames handle it (`field`).
          const r = this.header(queue, 14);
          const at = r.offset;
          const n = this.count(plan.count as Exclude<CountPlan, { kind: 'field' }>, r);
          const elem = plan.kind === 'list' ? plan.elem : pairOf(plan);
          this.checkCount(n, elem, r.pos, at, plan.limits, max);
          e.left--;
          this.advance(r.pos, queue, max);
          this.push(elem, n, e.depth, queue);
          return 0;
        }
        case 'bytes': {
          const r = this.header(queue, 8);
          const at = r.offset;
          const n = this.count(plan.count as Exclude<CountPlan, { kind: 'field' }>, r);
          if (n > plan.limits.maxMessageBytes) decodeHelpers.tooManyBytes(n, plan.limits.maxMessageBytes, at);
          e.left--;
          this.advance(r.pos + n, queue, max);
          return 0;
        }
        case 'switch':
          // Only a field's own type, walked by its frame.
          throw decodeError('generic', 'a switch outside a struct', queue.consumed + this.pos);
        case 'object': {
          const r = this.header(queue, WINDOW);
          const h = readObjectHeader(r, this.overlay, plan);
          e.left--;
          this.advance(r.pos, queue, max);
          if (h.cls !== undefined) {
            if (h.cls.layout.dynamic) this.pushFrame(h.cls, e.depth, queue, h.schema);
            else this.push(h.cls, 1, e.depth, queue);
          }
          return 0;
        }
      }
    } catch (err) {
      if (err instanceof NeedMore) return shortBy + err.need;
      throw err;
    }
  }
}
