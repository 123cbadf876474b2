/**
 * A session (SPEC §3): a named socket held for web clients. A connected stream session owns one
 * load and one store archive (an ArchiveChannel, made when it connects, so that the peer's bytes
 * are read, counted and notified from the start); a datagram session owns a datagram socket and
 * refuses archives.
 */
import type { Static } from 'typebox';
import type { ByteBudget } from '../../core/index.js';
import type { MessageCodec, TypeExpr, TypeRegistry, WireOptions } from '../../archive/index.js';
import { ArchiveChannel, ERR_ARCHIVE_REQUIRES_STREAM, type ArchiveLifetime } from '../../archive-io/index.js';
import { ERR_INVALID_STATE, type CloseResult, type DatagramSocket, type StreamSocket } from '../../sockets/index.js';
import type { SessionInfo } from '../schemas/shared-schemas.js';

export interface SessionOptions {
  pipeline: number;
  archiveLifetime: ArchiveLifetime;
  wire: WireOptions;
}

/** Who counts the bytes a session's socket moves (the gateway's metrics). */
export interface ByteCounter {
  received(bytes: number): void;
  sent(bytes: number): void;
}

/** What every session of one gateway shares: caps, the memory budget, the byte counters. */
export interface SessionLimits {
  maxBufferedBytes: number;
  maxQueuedBytes: number;
  budget: ByteBudget;
  counter?: ByteCounter;
}

export type SessionInfoJson = Static<typeof SessionInfo>;

export class Session {
  readonly name: string;
  readonly socket: StreamSocket | DatagramSocket;
  readonly options: SessionOptions;
  readonly createdAt = Date.now();
  /** Last time an HTTP request used this session (idle policy). */
  lastUsed = this.createdAt;
  private channelOf: ArchiveChannel | undefined;
  private readonly types: TypeRegistry;
  private readonly limits: SessionLimits;

  constructor(name: string, socket: StreamSocket | DatagramSocket, options: SessionOptions, types: TypeRegistry, limits: SessionLimits) {
    this.name = name;
    this.socket = socket;
    this.options = options;
    this.types = types;
    this.limits = limits;
    const counter = limits.counter;
    if (counter !== undefined) {
      socket.on('receive', (n: number) => counter.received(n));
      socket.on('sent', (n: number) => counter.sent(n));
    }
    if (socket.kind === 'stream' && socket.state === 'connected') this.channel();
  }

  get kind(): 'stream' | 'datagram' {
    return this.socket.kind;
  }

  /** The stream socket, or INVALID_STATE naming what needed one. */
  stream(what: string): StreamSocket {
    if (this.socket.kind !== 'stream') throw new ERR_INVALID_STATE(`${what} needs a stream session; '${this.name}' is a datagram session`);
    return this.socket;
  }

  datagram(what: string): DatagramSocket {
    if (this.socket.kind !== 'datagram') throw new ERR_INVALID_STATE(`${what} needs a datagram session; '${this.name}' is a stream session`);
    return this.socket;
  }

  /** The session's archives; only a connected stream session has them (seed: not with datagrams). */
  channel(): ArchiveChannel {
    if (this.channelOf !== undefined) return this.channelOf;
    const socket = this.socket;
    if (socket.kind !== 'stream') throw new ERR_ARCHIVE_REQUIRES_STREAM().with({ session: this.name });
    if (socket.state !== 'connected') {
      throw new ERR_INVALID_STATE(`session '${this.name}' is ${socket.state}: archives need a connected stream session (connect or accept first)`)
        .with({ state: socket.state });
    }
    this.channelOf = new ArchiveChannel(socket, {
      types: this.types,
      pipeline: this.options.pipeline,
      lifetime: this.options.archiveLifetime,
      profile: this.options.wire.profile,
      codePage: this.options.wire.codePage,
      maxBufferedBytes: this.limits.maxBufferedBytes,
      maxQueuedBytes: this.limits.maxQueuedBytes,
      budget: this.limits.budget,
    });
    return this.channelOf;
  }

  /** The codec of a type for this session's peer (declared types carry their own profile). */
  codec(type: TypeExpr): MessageCodec {
    return this.types.codecFor(type, this.options.wire);
  }

  get state(): StreamSocket['state'] | DatagramSocket['state'] {
    return this.socket.state;
  }

  /** Bytes received and not read yet (stream), or queued datagram bytes. */
  get buffered(): number {
    return this.socket.kind === 'stream' ? (this.channelOf?.load.bufferedBytes ?? 0) : this.socket.bufferedBytes;
  }

  info(): SessionInfoJson {
    const s = this.socket;
    const local = s.localAddress !== undefined && s.localPort !== undefined ? { address: s.localAddress, port: s.localPort } : undefined;
    const remote = s.remoteAddress !== undefined && s.remotePort !== undefined ? { address: s.remoteAddress, port: s.remotePort } : undefined;
    const ch = this.channelOf;
    const info: SessionInfoJson = {
      name: this.name,
      kind: s.kind,
      state: s.state,
      pipeline: ch?.pipeline ?? this.options.pipeline,
      archiveLifetime: this.options.archiveLifetime,
      bytesIn: s.bytesIn,
      bytesOut: s.bytesOut,
      buffered: this.buffered,
      messagesIn: ch?.load.messagesIn ?? 0,
      messagesOut: ch?.messagesOut ?? 0,
      createdAt: new Date(this.createdAt).toISOString(),
    };
    if (local !== undefined) info.local = local;
    if (remote !== undefined) info.remote = remote;
    if (s.kind === 'stream') {
      if (s.state === 'listening') info.pendingConnections = s.pendingConnections;
      if (s.peerClosed !== undefined && s.peerClosed.reason !== 'local') {
        info.peerClosed = s.peerClosed.wsa === undefined ? { reason: s.peerClosed.reason } : { reason: s.peerClosed.reason, wsa: s.peerClosed.wsa };
      }
    } else {
      info.dropped = s.dropped;
    }
    return info;
  }

  /**
   * Flushes the store archive within `graceMs` (exchanges still waiting fail), then closes the
   * socket; past the grace period the connection is dropped. Says what did not go out.
   */
  async close(graceMs: number): Promise<CloseResult> {
    const started = Date.now();
    const ch = this.channelOf === undefined ? { flushed: true, unsentBytes: 0 } : await this.channelOf.close(graceMs);
    if (this.socket.kind === 'datagram') {
      await this.socket.close();
      return ch;
    }
    const sock = await this.socket.close(Math.max(1, graceMs - (Date.now() - started)));
    return { flushed: ch.flushed && sock.flushed, unsentBytes: ch.unsentBytes + sock.unsentBytes };
  }
}
