/**
 * What one gateway instance keeps for the browsers streaming from its sessions (SPEC §1 "Browser
 * reach"): each session's event journal (made when its first event stream opens, fed by its
 * socket's notifications for the rest of its life), the one WebSocket a session may have, the
 * sessions held open by a stream (the idle policy leaves them alone: a quiet WebSocket is still a
 * client), and every open stream, so that shutting down ends them before sessions close.
 */
import { ERR_INVALID_STATE } from '../../sockets/index.js';
import type { Session } from '../sessions/session.js';
import { EventJournal } from './event-journal.js';

export class SessionStreams {
  private readonly journals = new WeakMap<Session, EventJournal>();
  private readonly websockets = new WeakSet<Session>();
  private readonly held = new Map<Session, number>();
  private readonly open = new Set<() => void>();
  private closing = false;

  constructor(private readonly replayBytes: number) {}

  /** True once the gateway is shutting down: no stream opens. */
  get isClosing(): boolean {
    return this.closing;
  }

  /** The session's journal, made (and fed from its socket) on first use. */
  journal(s: Session): EventJournal {
    let journal = this.journals.get(s);
    if (journal === undefined) {
      journal = new EventJournal(this.replayBytes);
      this.journals.set(s, journal);
      feed(journal, s);
    }
    return journal;
  }

  /** Makes the WebSocket of `s` (one at a time); returns its release. */
  claimWebSocket(s: Session): () => void {
    if (this.websockets.has(s)) {
      throw new ERR_INVALID_STATE(`session '${s.name}' has a WebSocket already: one per session (close it first)`).with({ session: s.name });
    }
    this.websockets.add(s);
    return () => this.websockets.delete(s);
  }

  /** True while a stream holds `s` (the idle sweep asks). */
  isHeld(s: Session): boolean {
    return this.held.has(s);
  }

  /**
   * Holds `s` open for a stream: the idle sweep leaves it while held, and counts its idle time from
   * the release. `close` ends the stream at shutdown. Returns the release (idempotent).
   */
  hold(s: Session, close: () => void): () => void {
    this.held.set(s, (this.held.get(s) ?? 0) + 1);
    this.open.add(close);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open.delete(close);
      s.lastUsed = Date.now();
      const n = (this.held.get(s) ?? 1) - 1;
      if (n > 0) this.held.set(s, n);
      else this.held.delete(s);
    };
  }

  /** Gateway shutdown: no new streams, every open one ends (WebSockets with 1001). */
  shutdown(): void {
    this.closing = true;
    for (const close of [...this.open]) close();
  }
}

/** Journals the socket's notifications (SPEC §1: OnAccept, OnReceive, OnConnect, OnClose). */
function feed(journal: EventJournal, s: Session): void {
  const socket = s.socket;
  if (socket.kind === 'stream') {
    socket.on('accept', () => journal.append('accept', { pendingConnections: socket.pendingConnections }));
    socket.on('receive', (bytes) => journal.append('receive', { bytes, buffered: s.buffered }));
    socket.on('connect', (err) =>
      journal.append('connect', err === undefined ? { remote: { address: socket.remoteAddress, port: socket.remotePort } } : { error: { code: err.code, message: err.message } }));
    socket.on('close', (info) => {
      journal.append('close', info);
      if (info.reason === 'local') journal.end();
    });
  } else {
    socket.on('receive', (bytes) => journal.append('receive', { bytes, queued: socket.queued }));
    socket.on('close', () => {
      journal.append('close', { reason: 'local' });
      journal.end();
    });
  }
}
