/**
 * When exchanges' requests go out: at the end of the event loop's I/O phase (the check phase,
 * `setImmediate`), every channel's together, rather than each at the moment its turn comes.
 *
 * A turn of the loop reads many answers, of many sessions; each answer lets its session's next
 * request go. Written at once, each request woke the service for itself, and the service answered
 * them one wake-up at a time, while the gateway went on with the turn: the answer could not be read
 * before the next turn anyway (the loop reads what one poll returned). Written at the end of the
 * turn, the turn's requests reach the service together: one wake-up serves them all, and their
 * answers come back together for the next turn. Lock-step gateway exchanges over a pool of sessions
 * (bench:gateway) went from 0.96–1.01× to 1.02–1.17× a hand-rolled proxy that writes at once.
 * The delay is the rest of the turn's I/O: nothing, when a lone request is all there is.
 * For pipelined requests it also makes one send of all those a session's turn lets go (21 vs 64
 * requests per send, measured by bench:roundtrip).
 */
import { kSendTurn } from './symbols.js';

/** A channel whose requests wait for the end of the turn. */
export interface TurnSender {
  /** Sends what waits; never throws (a send's failure reaches the answers it concerns). */
  [kSendTurn](): void;
}

let due: TurnSender[] = [];
let armed = false;

/** Sends `sender`'s waiting requests at the end of this turn's I/O (once per turn: the caller keeps count). */
export function sendAtTurnEnd(sender: TurnSender): void {
  due.push(sender);
  if (armed) return;
  armed = true;
  setImmediate(sendDue);
}

function sendDue(): void {
  armed = false;
  // Requests queued while these go out (a failed send settling an answer) wait for the next turn.
  const senders = due;
  due = [];
  for (const s of senders) s[kSendTurn]();
}
