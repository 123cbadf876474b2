/**
 * Stream tickets (SPEC §1 "Browser reach"): `EventSource` and `WebSocket` cannot send an
 * Authorization header, and the long-lived token must never travel in a URL (logs, history,
 * Referer keep URLs). A client holding the token asks `POST /tickets` for a ticket bound to one
 * session, and gives it as `?ticket=` on that session's `…/events` or `…/ws`: it is good once,
 * for ARCHWAY_TICKET_TTL_MS. A ticket is kept by its SHA-256 digest only, until it expires, so
 * that a second use is named as such; the book holds a bounded number of them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ERR_OVERLOADED, type ArchwayError } from '../../core/index.js';
import { ERR_TICKET } from '../errors.js';

/** Tickets not yet expired that the book holds at most (used ones included until they expire). */
const MAX_TICKETS = 10_000;

interface Entry {
  session: string;
  expiresAt: number;
  used: boolean;
}

export interface Ticket {
  ticket: string;
  session: string;
  expiresAt: string;
}

const digest = (ticket: string) => createHash('sha256').update(ticket).digest('base64url');

export class TicketBook {
  private readonly entries = new Map<string, Entry>();
  private prunedAt = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly max = MAX_TICKETS,
  ) {}

  /** A new ticket for `session`'s event stream or WebSocket. */
  issue(session: string, now = Date.now()): Ticket {
    // Expired tickets go once per lifetime, or at once when the book is full.
    if (this.entries.size >= this.max || now - this.prunedAt >= this.ttlMs) this.prune(now);
    if (this.entries.size >= this.max) {
      throw new ERR_OVERLOADED(`the gateway holds ${this.max} unexpired stream tickets: retry once some expire (ARCHWAY_TICKET_TTL_MS)`).with({ limit: this.max, held: this.entries.size });
    }
    // 256 random bits, URL-safe: guessing one is out of reach within its lifetime.
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = now + this.ttlMs;
    this.entries.set(digest(ticket), { session, expiresAt, used: false });
    return { ticket, session, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * Uses `ticket` for `session`: undefined when it is good, else why not. Any attempt uses it up,
   * a wrong session's too (a ticket seen where it does not belong may have leaked).
   */
  redeem(ticket: string, session: string | undefined, now = Date.now()): ArchwayError | undefined {
    const key = digest(ticket);
    const entry = this.entries.get(key);
    if (entry === undefined) return new ERR_TICKET('the ticket is not one this gateway issued, or it expired long ago');
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return new ERR_TICKET(`the ticket expired at ${new Date(entry.expiresAt).toISOString()}`);
    }
    if (entry.used) return new ERR_TICKET('the ticket was used already');
    entry.used = true;
    if (entry.session !== session) return new ERR_TICKET(`the ticket is for session '${entry.session}', not this one`).with({ session: entry.session });
    return undefined;
  }

  /** Forgets expired tickets. */
  prune(now = Date.now()): void {
    this.prunedAt = now;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
