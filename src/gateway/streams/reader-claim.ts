/**
 * One streaming reader per session (SPEC §1 "Browser reach"). A session's bytes are read by one
 * read line (archive-io/read-line.ts): a WebSocket in JSON mode with `receive`, one in binary mode,
 * and an event stream with `receive` each take every message as it comes, so at most one of them
 * holds the session at a time. While one does, REST loads, raw reads and exchanges on the session
 * are refused (409 INVALID_STATE): their answer would go to whichever asked first. Stores stay open
 * and interleave message by message.
 *
 * An event stream that resumes (Last-Event-ID) takes the reader over from an earlier event stream
 * of the session: that one's connection may be gone without the gateway knowing it yet. The earlier
 * stream stays open as a watcher; it sees the messages the new one reads, as every stream of the
 * session does.
 */
import type { WaitOptions } from '../../core/index.js';
import type { JsonForm, MessageCodec, ReadOptions } from '../../archive/index.js';
import type { ArchiveChannel, ReadsOwner } from '../../archive-io/index.js';
import { ERR_INVALID_STATE } from '../../sockets/index.js';

export type ReaderKind = 'WebSocket' | 'event stream';

export interface ReaderClaim {
  /** A whole message of `codec` (atomic: a wait that ends consumes nothing). */
  read(codec: MessageCodec, options: ReadOptions): Promise<unknown>;
  /** A whole message of `codec` if all of its bytes are here already, without waiting. */
  tryRead(codec: MessageCodec, form: JsonForm): { done: true; value: unknown } | { done: false };
  /** 1 to `max` raw bytes once some are here; empty once the peer closed gracefully. */
  receive(max: number, options: WaitOptions): Promise<Buffer>;
  /** True until released or taken over. */
  readonly held: boolean;
  release(): void;
}

/** The reader of a channel, recorded on the channel itself (its other reads are refused meanwhile). */
class Holder implements ReadsOwner {
  constructor(
    readonly kind: ReaderKind,
    /** Ends the holder's reading (its pending read is withdrawn: nothing consumed). */
    readonly takeOver: () => void,
  ) {}
}

/**
 * Makes `kind` the one reader of `channel`. Refused (INVALID_STATE) while another reader holds it
 * — unless `takeOver` and the other is an event stream — or while loads or exchanges wait in line.
 * `onTakenOver` runs when a resuming event stream takes the reader over.
 */
export function claimReader(channel: ArchiveChannel, kind: ReaderKind, options: { takeOver?: boolean; onTakenOver?: () => void } = {}): ReaderClaim {
  const current = channel.readsOwner;
  if (current !== undefined) {
    if (options.takeOver !== true || kind !== 'event stream' || !(current instanceof Holder) || current.kind !== 'event stream') {
      throw new ERR_INVALID_STATE(`the session's messages go to its ${current.kind} already: one reader per session (close it first)`);
    }
    current.takeOver();
  }
  if (channel.readers > 0) {
    throw new ERR_INVALID_STATE(`${channel.readers} load(s) or exchange(s) wait on the session: a ${kind} can read its messages once they are answered`);
  }
  let held = true;
  const load = channel.load;
  const release = () => {
    if (!held) return;
    held = false;
    if (channel.readsOwner === holder) channel.readsOwner = undefined;
  };
  const holder = new Holder(kind, () => {
    release();
    options.onTakenOver?.();
  });
  channel.readsOwner = holder;
  const lost = () => Promise.reject(new ERR_INVALID_STATE(`this ${kind} no longer reads the session's messages`));
  return {
    read: (codec, opts) => (held ? load.read(codec, opts) : lost()),
    tryRead: (codec, form) => {
      if (!held) return { done: false };
      const r = load.tryRead(codec, form);
      return r.done ? r : { done: false };
    },
    receive: (max, opts) => (held ? load.receive(max, opts) : (lost() as Promise<Buffer>)),
    get held() {
      return held;
    },
    release,
  };
}
