/**
 * The events of one session, numbered (SPEC §1 "Browser reach"): the socket notifications and the
 * messages an event stream reads, each with an id that counts per session — not per connection —
 * from the first event stream opened on it. Every event stream of the session gets every event;
 * the recent ones (up to ARCHWAY_EVENT_REPLAY_BYTES of them) are kept so that a stream that
 * reconnects with `Last-Event-ID` gets what it missed. Past the window a reconnect is told what it
 * cannot get (a `gap` event) rather than nothing. With no stream open and no window, an event is
 * only counted: it is never made.
 */

export interface JournalEvent {
  readonly id: number;
  readonly event: string;
  /** The whole Server-Sent Event, ready to write. */
  readonly text: string;
}

type Subscriber = (e: JournalEvent) => void;

export class EventJournal {
  /** The id of the latest event (0: none yet). */
  private lastId = 0;
  private readonly kept: JournalEvent[] = [];
  private keptBytes = 0;
  private readonly subscribers = new Set<Subscriber>();
  private readonly enders = new Set<() => void>();
  private ended = false;

  constructor(private readonly replayBytes: number) {}

  /** Numbers, keeps and sends an event to every stream of the session. */
  append(event: string, data: unknown): void {
    const id = ++this.lastId;
    // Nobody listens and nothing is kept (every socket chunk comes here): the id alone counts.
    if (this.subscribers.size === 0 && this.replayBytes === 0) return;
    const e: JournalEvent = { id, event, text: `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n` };
    this.kept.push(e);
    // Bytes, as the streams write them (a character of non-ASCII text is up to three).
    this.keptBytes += Buffer.byteLength(e.text);
    while (this.keptBytes > this.replayBytes && this.kept.length > 0) this.keptBytes -= Buffer.byteLength(this.kept.shift()!.text);
    for (const fn of this.subscribers) fn(e);
  }

  /**
   * The kept events after `lastId`, and the ids a reconnect missed for good (`missed`: from the
   * first it did not see to the last no longer kept). An id beyond the latest one is not this
   * session's (another gateway, or a session of the same name since): everything kept is sent.
   */
  since(lastId: number): { events: JournalEvent[]; missed?: { from: number; to: number } } {
    const from = lastId > this.lastId ? 0 : lastId;
    const events = this.kept.filter((e) => e.id > from);
    const firstKept = events[0]?.id ?? this.lastId + 1;
    return firstKept > from + 1 ? { events, missed: { from: from + 1, to: firstKept - 1 } } : { events };
  }

  /** `fn` gets every event from now on; returns the unsubscribe function. */
  subscribe(fn: Subscriber): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** `fn` runs once the session closed (at once if it did). Returns the unsubscribe function. */
  onEnd(fn: () => void): () => void {
    if (this.ended) {
      fn();
      return () => undefined;
    }
    this.enders.add(fn);
    return () => this.enders.delete(fn);
  }

  /** The session closed: every stream ends, and nothing is kept. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.kept.length = 0;
    this.keptBytes = 0;
    const enders = [...this.enders];
    this.enders.clear();
    this.subscribers.clear();
    for (const fn of enders) fn();
  }
}
