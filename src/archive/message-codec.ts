/**
 * One compiled message type: encoder, decoder, JSON Schema and example, built once from its plan.
 * Archives of the socket layer read and write whole messages through it (`codec.read(ar)`,
 * `codec.write(ar, v)`); the archive layer itself knows nothing of sockets, so those two calls hand
 * the codec to whatever archive implements `MessageSource` / `MessageSink`.
 */
import { ArchiveReader } from './archive-reader.js';
import { ArchiveWriter } from './archive-writer.js';
import { LoadState, StoreState } from './archive-state.js';
import { decoderFor, type Decoder } from './compile-decoder.js';
import { encoderFor, type Encoder } from './compile-encoder.js';
import { decodeError } from './errors.js';
import type { Limits } from './limits.js';
import type { DecodablePlan } from './load-buffer.js';
import { isNeedMore } from './need-more.js';
import type { Plan } from './type-plan.js';
import { exampleOf, typeSchemas, type TypeSchemas } from './type-schema.js';

export interface ReadOptions {
  /** Give up after this long; the bytes received so far stay for the next read. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A load archive that can decode whole messages (the socket layer's `Archive`). */
export interface MessageSource {
  readMessage(codec: MessageCodec, options?: ReadOptions): Promise<unknown>;
}

/** A store archive that can encode whole messages. */
export interface MessageSink {
  writeMessage(codec: MessageCodec, value: unknown): void;
}

export class MessageCodec implements DecodablePlan {
  readonly name: string;
  readonly plan: Plan;
  readonly limits: Limits;
  readonly encoder: Encoder;
  readonly decoder: Decoder;
  private readonly writer: ArchiveWriter;
  private readonly store: StoreState;
  private readonly load: LoadState;
  private readonly reader = new ArchiveReader(Buffer.alloc(0));
  private schemaCache: TypeSchemas | undefined;

  constructor(name: string, plan: Plan, limits: Limits) {
    this.name = name;
    this.plan = plan;
    this.limits = limits;
    this.encoder = encoderFor(plan);
    this.decoder = decoderFor(plan);
    this.writer = new ArchiveWriter(256, limits.maxMessageBytes);
    this.store = new StoreState(limits);
    this.load = new LoadState(limits);
  }

  /** The archive bytes of `value`. Without `state`, object indices start afresh (a new archive). */
  encode(value: unknown, state?: StoreState): Buffer {
    const w = this.writer;
    w.reset();
    this.encodeInto(w, value, state);
    return w.take();
  }

  /** Appends `value` to `w`; on failure nothing is appended and `state` is as it was. */
  encodeInto(w: ArchiveWriter, value: unknown, state?: StoreState): void {
    const s = state ?? this.freshStore();
    const start = w.pos;
    const mark = s.begin();
    try {
      this.encoder(w, value, s);
    } catch (err) {
      w.truncate(start);
      s.rollback(mark);
      throw err;
    }
  }

  /** Decodes exactly one message filling `bytes`. */
  decode(bytes: Uint8Array, state?: LoadState): unknown {
    const value = this.decodeAt(bytes, 0, state);
    const end = this.reader.pos;
    if (end !== bytes.length) {
      throw decodeError('generic', `${bytes.length - end} bytes follow the ${this.name} message`, end, 'the end of the input');
    }
    return value;
  }

  /** Decodes one message starting at `offset`; returns it and the offset after it. */
  decodeFrom(bytes: Uint8Array, offset = 0, state?: LoadState): { value: unknown; end: number } {
    const value = this.decodeAt(bytes, offset, state);
    return { value, end: this.reader.pos };
  }

  private decodeAt(bytes: Uint8Array, offset: number, state: LoadState | undefined): unknown {
    const s = state ?? this.freshLoad();
    const r = this.reader.reset(bytes, offset);
    const mark = s.count;
    s.zeroSize = 0;
    try {
      return this.decoder(r, s);
    } catch (err) {
      s.rollback(mark);
      if (isNeedMore(err)) {
        throw decodeError(
          'endOfFile',
          `the input ends ${err.need} byte(s) too early for ${this.name}${err.path ? ` (at ${err.path})` : ''}`,
          err.offset,
          `${err.need} more byte(s)`,
        ).with(err.path ? { path: err.path } : {});
      }
      throw err;
    }
  }

  /** The JSON Schema of this type's values, declared types under `refPrefix`. */
  schemas(refPrefix = '#/$defs/'): TypeSchemas {
    if (refPrefix !== '#/$defs/') return typeSchemas(this.plan, refPrefix);
    this.schemaCache ??= typeSchemas(this.plan, refPrefix);
    return this.schemaCache;
  }

  get example(): unknown {
    return exampleOf(this.plan);
  }

  /** `ar >> msg` for a whole message: waits for all of its bytes (see the socket layer). */
  read(source: MessageSource, options?: ReadOptions): Promise<unknown> {
    return source.readMessage(this, options);
  }

  /** `ar << msg`: buffered in the store archive until it flushes. */
  write(sink: MessageSink, value: unknown): void {
    sink.writeMessage(this, value);
  }

  private freshStore(): StoreState {
    const s = this.store;
    if (s.count !== 1) s.reset();
    return s;
  }

  private freshLoad(): LoadState {
    const s = this.load;
    if (s.count !== 1) s.reset();
    return s;
  }
}
