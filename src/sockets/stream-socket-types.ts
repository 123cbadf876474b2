/** The shapes around `StreamSocket`: its states, options, events and close reasons. */
import type { ArchwayError } from '../core/index.js';

export type StreamState = 'created' | 'listening' | 'connecting' | 'connected' | 'closed';

/** Why the peer side ended: FIN (`graceful`), RST (`reset`), or our own close (`local`). */
export interface CloseInfo {
  reason: 'graceful' | 'reset' | 'local';
  wsa?: string;
}

/** What a bounded close achieved: everything went out, or the grace period ran out first. */
export interface CloseResult {
  /** All bytes handed to the socket reached the kernel before the connection was closed. */
  flushed: boolean;
  /** Bytes dropped because the peer did not take them within the grace period. */
  unsentBytes: number;
}

export interface StreamSocketOptions {
  /** Local port; 0 or none: any free port (`Create(nPort)`). */
  port?: number;
  /** Local numeric address; none: all interfaces, as MFC's NULL (`INADDR_ANY`). */
  address?: string;
  /** Bytes `receive()` keeps from the peer before reading pauses (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Where `listen` binds when `address` is not given (default `0.0.0.0`, MFC's INADDR_ANY). */
  listenAddress?: string;
}

/**
 * The CAsyncSocket notifications (OnAccept, OnReceive, OnConnect, OnSend, OnClose). `receive`
 * fires after the bytes went to whoever reads the socket (see `consume`).
 */
export interface StreamSocketEvents {
  accept: [];
  receive: [bytes: number];
  connect: [error?: ArchwayError];
  send: [];
  /** Bytes handed to the kernel by one send (for counters; MFC has no such notification). */
  sent: [bytes: number];
  close: [info: CloseInfo];
}

/** Who takes the bytes a connected socket receives, as they arrive (one reader per socket). */
export type ByteSink = (chunk: Buffer) => void;
