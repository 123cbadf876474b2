/**
 * The bytes a load archive has received and not yet decoded, and the decoding of whole messages
 * from them: atomically (a message is consumed whole or not at all, and the archive's index map is
 * rolled back on failure) and incrementally (given too few bytes it says how many more it needs at
 * least, and resumes where it stopped, so a message split across any chunks costs linear time).
 */
import { ArchiveReader } from '../wire/archive-reader.js';
import type { LoadState } from '../objects/archive-state.js';
import { ChunkQueue } from './chunk-queue.js';
import type { Decoder } from '../compile/decoder.js';
import type { JsonForm } from '../values/json-form.js';
import { decodeError } from '../errors.js';
import type { Limits } from '../values/limits.js';
import { MessageScanner } from './message-scanner.js';
import { isNeedMore } from '../wire/need-more.js';
import { decodeAll } from '../types/message-codec.js';
import { minSize, type Plan } from '../types/type-plan.js';

const EMPTY = Buffer.alloc(0);

export type DecodeResult = { done: true; value: unknown; length: number } | { done: false; need: number };

/** What `LoadBuffer.tryDecode` needs of a compiled message type. */
export interface DecodablePlan {
  readonly plan: Plan;
  readonly limits: Limits;
  /** The compiled decoder giving `form` (SPEC §2 "Canonical and lossless JSON"). */
  decoderFor(form: JsonForm): Decoder;
}

export class LoadBuffer {
  readonly queue = new ChunkQueue();
  private scan: MessageScanner | undefined;

  /** Bytes received and not yet consumed. */
  get length(): number {
    return this.queue.length;
  }

  /** Archive offset of the next unread byte. */
  get offset(): number {
    return this.queue.consumed;
  }

  /** Bytes the message being scanned needs in all (0 when none is pending): raises the buffer cap. */
  get pendingMessageBytes(): number {
    return this.scan === undefined ? 0 : this.scan.pos;
  }

  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /** Takes `n` raw bytes off the front (raw reads); any message scan in progress restarts. */
  take(n: number): Buffer {
    const bytes = Buffer.from(this.queue.contiguous(n));
    this.queue.consume(n);
    this.scan = undefined;
    return bytes;
  }

  /** Decodes one message of `type` if all of its bytes are here; consumes nothing otherwise. */
  tryDecode(type: DecodablePlan, state: LoadState, form: JsonForm = 'lossless'): DecodeResult {
    const decoder = type.decoderFor(form);
    const q = this.queue;
    let scan = this.scan;
    if (scan !== undefined && (scan.root !== type.plan || scan.generation !== q.generation || scan.baseCount !== state.count)) {
      scan = this.scan = undefined;
    }
    if (scan === undefined) {
      if (q.length === 0) {
        const min = minSize(type.plan);
        if (min > 0) return { done: false, need: min };
        // A type whose Serialize writes nothing (no fields, or only empty ones) is complete at once.
        return this.decodeAt(decoder, state, EMPTY, 0, 0, q.consumed, false) ?? { done: false, need: 1 };
      }
      if (q.chunkCount === 1) {
        // Fast path: the whole message usually sits in one chunk; decode it in place.
        const { buf, start, end } = q.first()!;
        const result = this.decodeAt(decoder, state, buf, start, end, q.consumed - start, false);
        if (result !== undefined) return result;
      }
      scan = this.scan = new MessageScanner(type.plan, state, q, type.limits);
    }
    const measured = scan.step(q);
    if (measured < 0) return { done: false, need: -measured };
    this.scan = undefined;
    const buf = q.contiguous(measured);
    return this.decodeAt(decoder, state, buf, 0, measured, q.consumed, true)!;
  }

  /** Decodes from `buf[start, end)`; undefined when it ran short (only when `complete` is false). */
  private decodeAt(
    decoder: Decoder,
    state: LoadState,
    buf: Buffer,
    start: number,
    end: number,
    base: number,
    complete: boolean,
  ): DecodeResult | undefined {
    const r = new ArchiveReader(buf, start, end, base);
    let value: unknown;
    try {
      value = decodeAll(decoder, r, state, complete);
    } catch (err) {
      if (!isNeedMore(err)) throw err;
      if (!complete) return undefined;
      throw decodeError('generic', 'the message scanner and decoder disagree on the message length', r.offset);
    }
    const length = r.pos - start;
    this.queue.consume(length);
    return { done: true, value, length };
  }
}
