/**
 * The sends of one connection not yet handed to the kernel, oldest first. Node runs a socket's write
 * callbacks in the order of the writes, so one callback (`written`) serves every send: no closure
 * per send (two per message were made, and first-called through V8's lazy-compile stub, on the
 * gateway's hot path), and Node counts repeated writes with the same callback in one tick.
 */
import type { ArchwayError } from '../core/index.js';

type Done = (err?: ArchwayError) => void;

export class PendingSends {
  private readonly dones: Done[] = [];
  private readonly sizes: number[] = [];
  /** Set once the sends were failed: the callbacks Node still runs for them change nothing. */
  private dropped = false;
  /** The callback of every write: settles the oldest send. */
  readonly written: (err?: Error | null) => void;

  /** `sent(n)` runs for each send the kernel took; `failure` makes a write's error an ArchwayError. */
  constructor(sent: (bytes: number) => void, failure: (err: Error) => ArchwayError) {
    this.written = (err) => {
      if (this.dropped) return;
      const done = this.dones.shift()!;
      const bytes = this.sizes.shift()!;
      if (err) return done(failure(err));
      sent(bytes);
      done();
    };
  }

  get size(): number {
    return this.dones.length;
  }

  add(done: Done, bytes: number): void {
    this.dones.push(done);
    this.sizes.push(bytes);
  }

  /** Fails every send still waiting with `err`; Node's later callbacks for them are ignored. */
  failAll(err: ArchwayError): void {
    this.dropped = true;
    const dones = this.dones.splice(0);
    this.sizes.length = 0;
    for (const done of dones) done(err);
  }
}
