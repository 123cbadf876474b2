/**
 * `CArchive` over a `CSocketFile` (format §6). A load archive owns the bytes its file receives (its
 * inbox) and decodes values from them — a whole message atomically, waiting for all of its bytes —
 * through its one read line. A store archive buffers values like CArchive does and sends them when
 * the buffer fills, on `flush()` and on close ("flushing the buffer of an archive attached to a
 * socket is equivalent to sending a message"). The index map of CObject pointers lives for the
 * connection or for one message, as the peer's archives do (SPEC §3 `archiveLifetime`).
 */
import { ArchwayError, DEFAULT_WAIT_MS, deadline, type ByteBudget, type WaitOptions } from '../core/index.js';
import {
  LoadState, StoreState, TypeRegistry, encodeAll,
  type EncodeItem, type Limits, type MessageCodec, type MessageSink, type MessageSource, type TypeExpr, type WireOptions, type JsonForm, type ReadOptions,
} from '../archive/index.js';
import { ERR_INVALID_STATE } from '../sockets/index.js';
import type { ReadValue, WriteValue } from './archive-values.js';
import { Inbox } from './inbox.js';
import { Outbox, type Outgoing } from './outbox.js';
import { ReadLine, type Reader } from './read-line.js';
import type { SocketFile } from './socket-file.js';
import { kLine, kOutbox, kStateForRead, kStoreState } from './symbols.js';

export type ArchiveMode = 'load' | 'store';
export type ArchiveLifetime = 'connection' | 'message';

export interface ArchiveOptions extends WireOptions {
  /** CArchive's buffer (default 4096, at least 128, format §6.1): a store archive sends when it fills. */
  bufferSize?: number;
  /** How long the CObject index map lives (default `connection`). */
  lifetime?: ArchiveLifetime;
  /** Where type expressions compile (default: one registry shared by archives without one). */
  types?: TypeRegistry;
  /** Default wait of reads and flushes (default 30 s; Infinity: as long as it takes, like MFC). */
  timeoutMs?: number;
  /** Load: received bytes kept before reading pauses (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Store: unsent bytes kept at most (default 16 MiB; one message of any size when none wait). */
  maxQueuedBytes?: number;
  /** The process-wide bound on bytes held for peers (default: none). */
  budget?: ByteBudget;
}

let sharedTypes: TypeRegistry | undefined;

export class Archive implements MessageSource, MessageSink {
  readonly mode: ArchiveMode;
  readonly file: SocketFile;
  readonly lifetime: ArchiveLifetime;
  readonly bufferSize: number;
  /** Messages (or values) encoded through this archive. */
  messagesOut = 0;
  private readNow = 0;
  private readonly types: TypeRegistry;
  private readonly wire: WireOptions;
  private readonly limits: Limits;
  private readonly timeoutMs: number;
  /** Made on first use: most of a gateway's thousands of idle sessions never name a type. */
  private codecs: Map<string, MessageCodec> | undefined;
  private readonly inbox: Inbox | undefined;
  private loadState: LoadState | undefined;
  readonly [kLine]: ReadLine | undefined;
  readonly [kOutbox]: Outbox | undefined;
  [kStoreState]: StoreState | undefined;
  private unhook: (() => void) | undefined;

  constructor(file: SocketFile, mode: ArchiveMode, options: ArchiveOptions = {}) {
    if (mode !== 'load' && mode !== 'store') throw new ERR_INVALID_STATE(`archive mode must be 'load' or 'store', got '${String(mode)}'`);
    this.file = file;
    this.mode = mode;
    this.lifetime = options.lifetime ?? 'connection';
    this.bufferSize = Math.max(128, options.bufferSize ?? 4096);
    this.types = options.types ?? (sharedTypes ??= new TypeRegistry());
    this.wire = { profile: options.profile, codePage: options.codePage };
    this.limits = this.types.limits;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    if (mode === 'load') {
      // The inbox serves its line from the first chunk on (no chunk comes before the next turn).
      this.inbox = new Inbox(file, options);
      const line = new ReadLine(this.inbox, file.socket, this);
      this.inbox.reader = line;
      this[kLine] = line;
    } else {
      this[kOutbox] = new Outbox(file, {
        bufferSize: this.bufferSize,
        maxMessageBytes: this.limits.maxMessageBytes,
        maxQueuedBytes: options.maxQueuedBytes ?? 16 * 1024 * 1024,
        budget: options.budget,
      });
      // Closing the socket flushes a store archive first, as destroying a CArchive does.
      this.unhook = file.socket.onBeforeClose(() => this.sendAll());
    }
  }

  /** The codec of a type expression for this archive's peer (profile and code page). */
  codec(type: TypeExpr | MessageCodec): MessageCodec {
    if (typeof type === 'object' && 'encode' in type) return type;
    if (typeof type !== 'string') return this.types.codecFor(type, this.wire);
    let codec = this.codecs?.get(type);
    if (codec === undefined) {
      codec = this.types.codecFor(type, this.wire);
      (this.codecs ??= new Map()).set(type, codec);
    }
    return codec;
  }

  /** Messages (or values) decoded through this archive. */
  get messagesIn(): number {
    return (this[kLine]?.decoded ?? 0) + this.readNow;
  }

  /** `IsBufferEmpty()`: nothing received and unread (load), nothing unsent (store). */
  isBufferEmpty(): boolean {
    return this.bufferedBytes === 0;
  }

  /** Bytes received and not read (load), or written and not handed to the kernel (store). */
  get bufferedBytes(): number {
    return this.mode === 'load' ? this.inbox!.length : this[kOutbox]!.queuedBytes;
  }

  // ---- load ------------------------------------------------------------------------------------

  /** The state a message is read with: the connection's, or a fresh one per message. */
  [kStateForRead](): LoadState {
    const state = (this.loadState ??= new LoadState(this.limits));
    if (this.lifetime === 'message') state.reset();
    return state;
  }

  private line(): ReadLine {
    const line = this[kLine];
    if (line === undefined) throw this.wrongMode('read from');
    return line;
  }

  /** `ar >> value` for any type: waits for all of its bytes; consumes them only on success. */
  read<T extends TypeExpr | MessageCodec>(type: T, options: ReadOptions = {}): Promise<ReadValue<T>> {
    return this.readMessage(this.codec(type), options) as Promise<ReadValue<T>>;
  }

  readMessage(codec: MessageCodec, options: ReadOptions = {}): Promise<unknown> {
    return this.enqueue({ codec, form: options.form }, `reading ${codec.name}`, options);
  }

  /** `ar.Read(p, n)`: exactly `n` raw bytes. */
  readBytes(n: number, options: WaitOptions = {}): Promise<Buffer> {
    return this.enqueue({ bytes: n }, `reading ${n} bytes`, options) as Promise<Buffer>;
  }

  /** `Receive`: 1 to `max` raw bytes, once some are there (empty at a graceful end). */
  receive(max: number, options: WaitOptions = {}): Promise<Buffer> {
    return this.enqueue({ bytes: max, partial: true }, `reading up to ${max} bytes`, options) as Promise<Buffer>;
  }

  /** Joins the read line until the deadline; a reader that never started consumed nothing. */
  private enqueue(what: Pick<Reader, 'codec' | 'bytes' | 'partial' | 'form'>, label: string, options: WaitOptions): Promise<unknown> {
    let line: ReadLine;
    try {
      line = this.line();
    } catch (err) {
      return Promise.reject(err);
    }
    const d = deadline(options, label, this.timeoutMs);
    return new Promise<unknown>((resolve, reject) => {
      const reader: Reader = {
        ...what,
        resolve: (v) => {
          d.dispose();
          resolve(v);
        },
        reject: (e) => {
          d.dispose();
          reject(e);
        },
      };
      if (d.reason !== undefined) return reject(d.reason);
      d.onExpire((err) => {
        if (line.withdraw(reader)) reject(err);
      });
      line.push(reader);
    });
  }

  /**
   * Decodes one value if all of its bytes are already here, without waiting: MFC's
   * `do { … } while (!ar.IsBufferEmpty())` inside `OnReceive`. `{ done: false, need }` when it would
   * wait for at least `need` more bytes (0: a read in line goes first).
   */
  tryRead(type: TypeExpr | MessageCodec, form: JsonForm = 'lossless'): { done: true; value: unknown } | { done: false; need: number } {
    const line = this.line();
    if (line.length > 0) return { done: false, need: 0 };
    const result = this.inbox!.tryDecode(this.codec(type), this[kStateForRead](), form);
    if (!result.done) return result;
    this.readNow++;
    return { done: true, value: result.value };
  }

  // ---- store -----------------------------------------------------------------------------------

  private outbox(): Outbox {
    const outbox = this[kOutbox];
    if (outbox === undefined) throw this.wrongMode('write to');
    return outbox;
  }

  private stateForWrite(): StoreState | undefined {
    return this.lifetime === 'connection' ? (this[kStoreState] ??= new StoreState(this.limits)) : undefined;
  }

  /** `ar << value` for any type: validated and buffered (nothing is buffered if it is invalid). */
  write<T extends TypeExpr | MessageCodec>(type: T, value: WriteValue<T>): Outgoing {
    return this.writeMessage(this.codec(type), typeof value === 'bigint' ? value.toString() : value);
  }

  writeMessage(codec: MessageCodec, value: unknown): Outgoing {
    return this.writeMessages([{ codec, value }]);
  }

  /**
   * Several values as one unit: all are buffered, or none is (the failing one named by
   * `details.index`) — a request that fails half-way must not leave half a message.
   */
  writeMessages(items: readonly EncodeItem[]): Outgoing {
    const outbox = this.outbox();
    const m = outbox.add(this.stateForWrite(), (w, state) => encodeAll(w, items, state ?? new StoreState(this.limits)));
    this.messagesOut += items.length;
    if (outbox.pending >= this.bufferSize) outbox.push();
    return m;
  }

  /** `ar.Write(p, n)`: raw bytes. */
  writeBytes(bytes: Uint8Array): Outgoing {
    const outbox = this.outbox();
    const m = outbox.add(undefined, (w) => w.bytes(bytes));
    if (outbox.pending >= this.bufferSize) outbox.push();
    return m;
  }

  /** `Flush()`: sends what is buffered; resolves once the socket took it (TIMEOUT past the wait). */
  async flush(options: WaitOptions = {}): Promise<void> {
    if (this.mode !== 'store') return;
    await deadline(options, 'flushing the store archive', this.timeoutMs).race(this.sendAll());
  }

  private async sendAll(): Promise<void> {
    const outbox = this.outbox();
    await outbox.flush();
    if (outbox.sendError !== undefined) throw outbox.sendError;
  }

  /** `Abort()`: drops unsent bytes, never throws; returns how many were dropped. */
  abort(): number {
    this.unhook?.();
    return this[kOutbox]?.abort() ?? 0;
  }

  /** `Close()`: a store archive flushes within the wait. The socket stays open (MFC closes it separately). */
  async close(options: WaitOptions = {}): Promise<void> {
    try {
      await this.flush(options);
    } finally {
      this.unhook?.();
    }
  }

  /** Gives the inbox's bytes back to the budget (the session is gone). */
  dispose(): void {
    this.inbox?.dispose();
    this.abort();
  }

  private wrongMode(what: string): ArchwayError {
    // MFC 9+ throws CArchiveException readOnly / writeOnly (format §6.3).
    const cause = this.mode === 'load' ? 'readOnly' : 'writeOnly';
    return new ERR_INVALID_STATE(`cannot ${what} a ${this.mode} archive`).with({ archiveCause: cause });
  }
}
