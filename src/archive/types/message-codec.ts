/**
 * One compiled message type: encoder, decoder, JSON Schema and example, built once from its plan.
 * Archives of the socket layer read and write whole messages through it (`codec.read(ar)`,
 * `codec.write(ar, v)`); the archive layer itself knows nothing of sockets, so those two calls hand
 * the codec to whatever archive implements `MessageSource` / `MessageSink`.
 */
import { ArchiveReader } from '../wire/archive-reader.js';
import { ArchiveWriter } from '../wire/archive-writer.js';
import { LoadState, StoreState } from '../objects/archive-state.js';
import { decoderFor, type Decoder } from '../compile/decoder.js';
import { encoderFor, type Encoder } from '../compile/encoder.js';
import { emitterFor, jsonWithin, type JsonEmitter } from '../compile/json-emitter.js';
import { ArchwayError, type WaitOptions } from '../../core/index.js';
import { decodeError } from '../errors.js';
import type { Limits } from '../values/limits.js';
import type { DecodablePlan } from '../stream/load-buffer.js';
import { isNeedMore } from '../wire/need-more.js';
import type { JsonForm, SchemaFlavor } from '../values/json-form.js';
import { staticSize, type Plan } from './type-plan.js';
import { exampleOf, typeSchemas, type TypeSchemas } from '../schema/type-schema.js';

/** A read's wait (`timeoutMs`, `signal`: one Deadline, core/deadline.ts) and the JSON form of its value. */
export interface ReadOptions extends WaitOptions {
  /** Canonical (one shape per MFC type) or lossless (reproduces the bytes); lossless unless asked. */
  form?: JsonForm;
}

/** A load archive that can decode whole messages (the socket layer's `Archive`). */
export interface MessageSource {
  readMessage(codec: MessageCodec, options?: ReadOptions): Promise<unknown>;
}

/** A store archive that can encode whole messages. */
export interface MessageSink {
  writeMessage(codec: MessageCodec, value: unknown): void;
}

/** One value to encode with its codec (several go out as one message, all or none). */
export interface EncodeItem {
  readonly codec: MessageCodec;
  readonly value: unknown;
}

/**
 * Appends every item to `w`, all or none: on failure nothing is appended, `state` is as it was, and
 * with several items the error names the failing one's `index`. The one all-or-nothing encode.
 */
export function encodeAll(w: ArchiveWriter, items: readonly EncodeItem[], state: StoreState): void {
  const start = w.pos;
  const mark = state.begin();
  let i = 0;
  try {
    for (; i < items.length; i++) items[i]!.codec.encoder(w, items[i]!.value, state);
  } catch (err) {
    w.truncate(start);
    state.rollback(mark);
    throw items.length > 1 && err instanceof ArchwayError ? err.with({ index: i }) : err;
  }
}

/**
 * Runs `decoder` at `r`, all or nothing: on any failure (a NeedMore too) the index map is as it was.
 * The one all-or-nothing decode: LoadBuffer decodes messages from a socket through it as well.
 */
export function decodeAll(decoder: Decoder, r: ArchiveReader, state: LoadState, exact = false): unknown {
  const mark = state.count;
  state.zeroSize = 0;
  try {
    const value = decoder(r, state);
    // A message measured beforehand must fill exactly the bytes measured.
    if (exact && r.pos !== r.end) {
      throw decodeError('generic', `the decoder read ${r.pos} of the ${r.end} bytes the scanner measured`, r.base);
    }
    return value;
  } catch (err) {
    state.rollback(mark);
    throw err;
  }
}

export class MessageCodec implements DecodablePlan {
  readonly name: string;
  readonly plan: Plan;
  readonly limits: Limits;
  readonly encoder: Encoder;
  /** The lossless decoder (decoding then encoding reproduces the bytes). */
  readonly decoder: Decoder;
  /** The canonical decoder, compiled on first use (a registry compiles every type it loads). */
  private canonical: Decoder | undefined;
  private emitter: JsonEmitter | undefined;
  private readonly writer: ArchiveWriter;
  private readonly store: StoreState;
  private readonly load: LoadState;
  private readonly reader = new ArchiveReader(Buffer.alloc(0));
  private readonly schemaCache = new Map<string, TypeSchemas>();
  private exampleMade: { value: unknown } | undefined;

  constructor(name: string, plan: Plan, limits: Limits) {
    this.name = name;
    this.plan = plan;
    this.limits = limits;
    this.encoder = encoderFor(plan);
    this.decoder = decoderFor(plan, 'lossless');
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
    encodeAll(w, [{ codec: this, value }], state ?? this.freshStore());
  }

  /** The compiled decoder giving `form`. */
  decoderFor(form: JsonForm): Decoder {
    return form === 'lossless' ? this.decoder : (this.canonical ??= decoderFor(this.plan, 'canonical'));
  }

  /**
   * The JSON text of a value this codec decoded (either form): JSON.stringify's text, from code
   * generated for the type (compile/json-emitter.ts).
   */
  json(value: unknown): string {
    return (this.emitter ??= emitterFor(this.plan))(value);
  }

  /** `json(value)`, or undefined when the value holds a string of `maxString` characters or more. */
  jsonWithin(value: unknown, maxString: number): string | undefined {
    return jsonWithin((this.emitter ??= emitterFor(this.plan)), value, maxString);
  }

  /** Decodes exactly one message filling `bytes`, as `form` JSON (lossless unless asked). */
  decode(bytes: Uint8Array, state?: LoadState, form: JsonForm = 'lossless'): unknown {
    const { value, end } = this.decodeFrom(bytes, 0, state, form);
    if (end !== bytes.length) throw this.trailingBytes(end, bytes.length);
    return value;
  }

  /** Decodes one message starting at `offset` as `form` JSON; returns it and the offset after it. */
  decodeFrom(bytes: Uint8Array, offset = 0, state?: LoadState, form: JsonForm = 'lossless'): { value: unknown; end: number } {
    const r = this.reader.reset(bytes, offset);
    try {
      return { value: decodeAll(this.decoderFor(form), r, state ?? this.freshLoad()), end: r.pos };
    } catch (err) {
      if (!isNeedMore(err)) throw err;
      // A type of fixed size says exactly how much is missing; otherwise the bytes ran out while
      // reading one value and more may be missing after it, so "at least".
      const size = staticSize(this.plan);
      const exact = size !== undefined ? size - (bytes.length - offset) : undefined;
      const need = exact === undefined ? `at least ${err.need}` : String(exact);
      throw decodeError(
        'endOfFile',
        `the input ends ${need} byte(s) too early for ${this.name}${err.path ? ` (at ${err.path})` : ''}`,
        err.offset,
        `${need} more byte(s)`,
      ).with(err.path ? { path: err.path } : {});
    }
  }

  /** The error for bytes after a message that should have filled the input. */
  trailingBytes(end: number, length: number): ArchwayError {
    return decodeError('generic', `${length - end} bytes follow the ${this.name} message`, end, 'the end of the input');
  }

  /**
   * The JSON Schema of this type's values in `flavor` (SPEC §2): `canonical` (what decoding gives by
   * default), `lossless`, or `input` (what encoding accepts); declared types under `refPrefix` as
   * `Name`, `NameLossless`, `NameInput`. Without a flavour: the input shapes under plain names.
   */
  schemas(refPrefix = '#/$defs/', flavor?: SchemaFlavor): TypeSchemas {
    const key = `${flavor ?? ''}|${refPrefix}`;
    let schemas = this.schemaCache.get(key);
    if (schemas === undefined) {
      schemas = typeSchemas(this.plan, refPrefix, flavor);
      // Few prefixes are ever asked for; an unusual one is not kept.
      if (refPrefix === '#/$defs/' || refPrefix === '#/components/schemas/') this.schemaCache.set(key, schemas);
    }
    return schemas;
  }

  /** An example value (canonical), made once; `undefined` when it would not be small (schema/type-example.ts). */
  get example(): unknown {
    if (this.exampleMade === undefined) this.exampleMade = { value: exampleOf(this.plan) };
    return this.exampleMade.value;
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
