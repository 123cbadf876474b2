/**
 * When exchanges' requests go out: at the end of the event loop's I/O phase (the check phase,
 * `setImmediate`), every channel's together, rather than each at the moment its turn comes.
 *
 * A turn of the loop reads many answers, of many sessions; each answer lets its session's next
 * request go. Written at once, each request woke the service for itself, and the service answered
 * them one wake-up at a time, while the gateway went on with the turn: the answer could not be read
 * before the next turn anyway (the loop reads what one poll returned). Written at the end of the
 * turn, the turn's requests reach the service together: one wake-up serves them all, and their
 * answers come back together for the next turn. Lock-step gateway exchanges over a pool of eight
 * sessions (bench:gateway, nine runs) went to 0.98–1.11× (`exchange`, eight runs ≥ 1.05×) and
 * 0.96–1.14× (the typed operation) a hand-rolled proxy that writes at once, from 0.88–1.09× over
 * twelve runs before; the echo service spent 17–19 µs per request instead of the proxy's 19–21.
 * The delay is the rest of the turn's I/O: nothing, when a lone request is all there is.
 * Within a turn, the session with the longest backlog sends first (sendDue): with it the gateway
 * met its target against the proxy (req/s and p99) in 23 and 22 bench:gateway runs of thirty
 * (`exchange`, the typed operation), against three and four of nine with the rotation alone.
 * An answer read in a turn with sends due is told after them (settleAfterSends): the HTTP responses
 * it sets off no longer hold back the requests it let go. Seven runs of ten rounds each way, side
 * by side: `exchange` 0.99–1.21× the proxy (median 1.11×) from 0.85–1.10× (0.99×), the typed
 * operation 1.05–1.26× (1.15×) from 0.94–1.11× (1.03×); then both passed in twelve full runs of
 * twelve.
 * A pipelined session's requests of one turn go out in one send (a flush at the end of the
 * microtask queue, which runs between every two answers of a chunk, sent each alone: bench:roundtrip).
 */
import { kSendTurn } from './symbols.js';

/** A channel whose requests wait for the end of the turn. */
export interface TurnSender {
  /** Sends what waits; never throws (a send's failure reaches the answers it concerns). */
  [kSendTurn](): void;
  /** Exchanges queued behind the one this turn sends. */
  readonly waiting: number;
}

/** Told an answer's value at the end of the turn (a read line's exchange). */
export interface Settling {
  resolve(value: unknown): void;
}

/** Senders waiting for the end of this turn: while there are any, the turn's send is armed. */
let due: TurnSender[] = [];
/** Answers read in this turn, told after its sends (settleAfterSends); two arrays, no pair each. */
let settling: Settling[] = [];
let values: unknown[] = [];
/** Turns so far: where in its list a turn starts sending (see sendDue). */
let turns = 0;

/** Sends `sender`'s waiting requests at the end of this turn's I/O (once per turn: the caller keeps count). */
export function sendAtTurnEnd(sender: TurnSender): void {
  if (due.push(sender) === 1) setImmediate(sendDue);
}

/**
 * Tells `reader` its answer after this turn's sends when a send is armed, else at once. What the
 * answer sets off (the gateway's HTTP response: a write that wakes its client, the costliest call
 * in its profile under load) then no longer stands between the turn's answers and the requests
 * they let go: the service works on those while the gateway writes its responses.
 */
export function settleAfterSends(reader: Settling, value: unknown): void {
  if (due.length === 0) return reader.resolve(value);
  settling.push(reader);
  values.push(value);
}

function sendDue(): void {
  // Requests queued while these go out (a failed send settling an answer) wait for the next turn.
  let senders = due;
  due = [];
  const n = senders.length;
  if (n > 1) {
    // The start moves at every turn. A service answers in the order its requests arrived, and the
    // order of a turn's answers makes the order of the next turn's sends: sent in list order, the
    // sessions sent last stayed last, their answers the ones most often too late for the next turn.
    const start = turns++ % n;
    if (start > 0) senders = senders.slice(start).concat(senders.slice(0, start));
    // The longest backlog first. A lock-step session that fell behind got as many new requests as
    // the others and could send no faster, so its callers stayed the slow ones for as long as the
    // load lasted (100 callers over eight sessions: one session held up to two thirds of the
    // requests above p99). Sent first, its answer is the likeliest to make the next turn.
    // The sort is stable: the rotation orders equal backlogs.
    senders.sort(longerBacklogFirst);
  }
  for (let i = 0; i < n; i++) senders[i]![kSendTurn]();
  const readers = settling;
  const answers = values;
  if (readers.length === 0) return;
  settling = [];
  values = [];
  for (let i = 0; i < readers.length; i++) readers[i]!.resolve(answers[i]);
}

function longerBacklogFirst(a: TurnSender, b: TurnSender): number {
  return b.waiting - a.waiting;
}
