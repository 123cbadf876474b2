/** The shapes around `StreamSocket`: its states, options, events and close reasons. */
import type { ArchwayError } from '../archive/index.js';

export type StreamState = 'created' | 'listening' | 'connecting' | 'connected' | 'closed';

/** Why the peer side ended: FIN (`graceful`), RST (`reset`), or our own close (`local`). */
export interface CloseInfo {
  reason: 'graceful' | 'reset' | 'local';
  wsa?: string;
}

export interface StreamSocketOptions {
  /** Local port; 0 or none: any free port (`Create(nPort)`). */
  port?: number;
  /** Local numeric address; none: all interfaces, as MFC's NULL (`INADDR_ANY`). */
  address?: string;
  /** Bytes kept from the peer before reading pauses (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Where `listen` binds when `address` is not given (default `0.0.0.0`, MFC's INADDR_ANY). */
  listenAddress?: string;
}

/** The CAsyncSocket notifications (OnAccept, OnReceive, OnConnect, OnSend, OnClose). */
export interface StreamSocketEvents {
  accept: [];
  receive: [bytes: number];
  connect: [error?: ArchwayError];
  send: [];
  close: [info: CloseInfo];
}
