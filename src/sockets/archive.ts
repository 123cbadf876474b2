/**
 * `CArchive` over a `CSocketFile` (format §6): a load archive decodes values from the socket's
 * received bytes — a whole message atomically, waiting for all of its bytes — and a store archive
 * buffers values like CArchive does and sends them when the buffer fills, on `flush()` and on
 * close ("flushing the buffer of an archive attached to a socket is equivalent to sending a
 * message"). The index map of CObject pointers lives for the connection or for one message, as the
 * peer's archives do (SPEC §3 `archiveLifetime`).
 */
import {
  ArchiveWriter, LoadState, StoreState, TypeRegistry,
  type Limits, type MessageCodec, type MessageSink, type MessageSource, type ReadOptions, type TypeExpr, type WireOptions,
} from '../archive/index.js';
import type { ArchwayError } from '../archive/index.js';
import { ERR_INVALID_STATE, ERR_TIMEOUT } from './errors.js';
import { SerialQueue } from './serial-queue.js';
import type { SocketFile } from './socket-file.js';

export type ArchiveMode = 'load' | 'store';
export type ArchiveLifetime = 'connection' | 'message';

export interface ArchiveOptions extends WireOptions {
  /** CArchive's buffer (default 4096, at least 128, format §6.1): a store archive sends when it fills. */
  bufferSize?: number;
  /** How long the CObject index map lives (default `connection`). */
  lifetime?: ArchiveLifetime;
  /** Where type expressions compile (default: one registry shared by archives without one). */
  types?: TypeRegistry;
  /** Default read timeout (0 or none: wait as long as it takes, like MFC). */
  timeoutMs?: number;
}

let sharedTypes: TypeRegistry | undefined;

export class Archive implements MessageSource, MessageSink {
  readonly mode: ArchiveMode;
  readonly file: SocketFile;
  readonly lifetime: ArchiveLifetime;
  readonly bufferSize: number;
  /** Messages (or values) decoded / encoded through this archive. */
  messagesIn = 0;
  messagesOut = 0;
  private readonly types: TypeRegistry;
  private readonly wire: WireOptions;
  private readonly limits: Limits;
  private readonly timeoutMs: number | undefined;
  private readonly reads = new SerialQueue();
  private readonly codecs = new Map<string, MessageCodec>();
  private loadState: LoadState | undefined;
  private storeState: StoreState | undefined;
  private writer: ArchiveWriter | undefined;
  private lastSend: Promise<void> = Promise.resolve();
  private sendError: ArchwayError | undefined;
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
    this.timeoutMs = options.timeoutMs;
    // Closing the socket flushes a store archive first, as destroying a CArchive does.
    if (mode === 'store') this.unhook = file.socket.onBeforeClose(() => this.flush());
  }

  /** The codec of a type expression for this archive's peer (profile and code page). */
  codec(type: TypeExpr | MessageCodec): MessageCodec {
    if (typeof type === 'object' && 'encode' in type) return type;
    if (typeof type !== 'string') return this.types.codecFor(type, this.wire);
    let codec = this.codecs.get(type);
    if (codec === undefined) {
      codec = this.types.codecFor(type, this.wire);
      this.codecs.set(type, codec);
    }
    return codec;
  }

  /** `IsBufferEmpty()`: nothing received and unread (load), nothing unsent (store). */
  isBufferEmpty(): boolean {
    return this.mode === 'load' ? this.file.socket.buffer.length === 0 : (this.writer?.pos ?? 0) === 0;
  }

  // ---- load ------------------------------------------------------------------------------------

  /** `ar >> value` for any type: waits for all of its bytes; consumes them only on success. */
  read(type: TypeExpr | MessageCodec, options: ReadOptions = {}): Promise<unknown> {
    return this.readMessage(this.codec(type), options);
  }

  readMessage(codec: MessageCodec, options: ReadOptions = {}): Promise<unknown> {
    if (this.mode !== 'load') return Promise.reject(this.wrongMode('read from'));
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return this.reads.run(`reading ${codec.name}`, { timeoutMs, signal: options.signal }, (left) => this.decodeNext(codec, left));
  }

  /**
   * Decodes one value if all of its bytes are already here, without waiting: MFC's
   * `do { … } while (!ar.IsBufferEmpty())` inside `OnReceive`. `{ done: false, need }` when it would
   * wait for at least `need` more bytes.
   */
  tryRead(type: TypeExpr | MessageCodec): { done: true; value: unknown } | { done: false; need: number } {
    if (this.mode !== 'load') throw this.wrongMode('read from');
    // `need` 0: a read in progress goes first, bytes are not the question.
    if (this.reads.length > 0) return { done: false, need: 0 };
    const state = (this.loadState ??= new LoadState(this.limits));
    if (this.lifetime === 'message') state.reset();
    const result = this.file.socket.buffer.tryDecode(this.codec(type), state);
    this.file.socket.flowControl();
    if (!result.done) return result;
    this.messagesIn++;
    return { done: true, value: result.value };
  }

  /** `ar.Read(p, n)`: `n` raw bytes. */
  readBytes(n: number, options: ReadOptions = {}): Promise<Buffer> {
    if (this.mode !== 'load') return Promise.reject(this.wrongMode('read from'));
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return this.reads.run(`reading ${n} bytes`, { timeoutMs, signal: options.signal }, (left) => this.file.read(n, left));
  }

  private async decodeNext(codec: MessageCodec, left: ReadOptions): Promise<unknown> {
    const socket = this.file.socket;
    const buffer = socket.buffer;
    const deadline = left.timeoutMs === undefined ? undefined : Date.now() + left.timeoutMs;
    const state = (this.loadState ??= new LoadState(this.limits));
    if (this.lifetime === 'message') state.reset();
    for (;;) {
      const result = buffer.tryDecode(codec, state);
      socket.flowControl();
      if (result.done) {
        this.messagesIn++;
        return result.value;
      }
      const timeoutMs = deadline === undefined ? undefined : deadline - Date.now();
      if (timeoutMs !== undefined && timeoutMs <= 0) throw new ERR_TIMEOUT(`reading ${codec.name}`, left.timeoutMs!);
      await socket.waitForBytes(buffer.length + result.need, { timeoutMs, signal: left.signal });
    }
  }

  // ---- store -----------------------------------------------------------------------------------

  /** `ar << value` for any type: validated and buffered (nothing is buffered if it is invalid). */
  write(type: TypeExpr | MessageCodec, value: unknown): void {
    this.writeMessage(this.codec(type), value);
  }

  writeMessage(codec: MessageCodec, value: unknown): void {
    if (this.mode !== 'store') throw this.wrongMode('write to');
    if (this.sendError !== undefined) throw this.sendError;
    const w = (this.writer ??= new ArchiveWriter(256, this.limits.maxMessageBytes + this.bufferSize));
    let state: StoreState | undefined;
    if (this.lifetime === 'connection') state = this.storeState ??= new StoreState(this.limits);
    codec.encodeInto(w, value, state);
    this.messagesOut++;
    if (w.pos >= this.bufferSize) void this.sendBuffered();
  }

  /**
   * Several values as one unit: all are buffered, or none is (the first invalid one names its
   * place in `details.index`) — a request that fails half-way must not leave half a message.
   */
  writeMessages(items: readonly { codec: MessageCodec; value: unknown }[]): void {
    if (this.mode !== 'store') throw this.wrongMode('write to');
    if (this.sendError !== undefined) throw this.sendError;
    const w = (this.writer ??= new ArchiveWriter(256, this.limits.maxMessageBytes + this.bufferSize));
    const state = this.lifetime === 'connection' ? (this.storeState ??= new StoreState(this.limits)) : undefined;
    const start = w.pos;
    const mark = state?.begin();
    for (let i = 0; i < items.length; i++) {
      const { codec, value } = items[i]!;
      try {
        codec.encodeInto(w, value, state);
      } catch (err) {
        w.truncate(start);
        if (state !== undefined && mark !== undefined) state.rollback(mark);
        if (err instanceof Error && 'details' in err) (err as ArchwayError).with({ index: i });
        throw err;
      }
    }
    this.messagesOut += items.length;
    if (w.pos >= this.bufferSize) void this.sendBuffered();
  }

  /** `ar.Write(p, n)`: raw bytes. */
  writeBytes(bytes: Uint8Array): void {
    if (this.mode !== 'store') throw this.wrongMode('write to');
    if (this.sendError !== undefined) throw this.sendError;
    const w = (this.writer ??= new ArchiveWriter(256, this.limits.maxMessageBytes + this.bufferSize));
    w.bytes(bytes);
    if (w.pos >= this.bufferSize) void this.sendBuffered();
  }

  /** `Flush()`: sends what is buffered; resolves once the socket took it. */
  async flush(): Promise<void> {
    if (this.mode !== 'store') return;
    await this.sendBuffered();
    if (this.sendError !== undefined) throw this.sendError;
  }

  private sendBuffered(): Promise<void> {
    const w = this.writer;
    if (w === undefined || w.pos === 0) return this.lastSend;
    // The writer is dropped, not reused: its bytes go out without a copy, and an idle archive
    // holds no buffer.
    this.writer = undefined;
    const sent = this.file.write(w.view());
    sent.catch((err: ArchwayError) => {
      this.sendError ??= err;
    });
    this.lastSend = sent.catch(() => undefined);
    return this.lastSend;
  }

  /** `Abort()`: drops unsent bytes, never throws. */
  abort(): void {
    this.writer = undefined;
    this.unhook?.();
  }

  /** `Close()`: a store archive flushes. The socket stays open (MFC closes it separately). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.unhook?.();
    }
  }

  private wrongMode(what: string): ArchwayError {
    // MFC 9+ throws CArchiveException readOnly / writeOnly (format §6.3).
    const cause = this.mode === 'load' ? 'readOnly' : 'writeOnly';
    return new ERR_INVALID_STATE(`cannot ${what} a ${this.mode} archive`).with({ archiveCause: cause });
  }
}
