/**
 * A binary-mode WebSocket (`?mode=binary`): bytes both ways as they are, as websockify relays them
 * (its `binary` subprotocol is accepted). Binary frames are written to the peer; the bytes the
 * peer sends are pushed as binary frames of what has arrived, up to a chunk at a time. No text
 * frame goes either way: a text frame from the browser closes the WebSocket with 1003, and a
 * frame that cannot be stored closes it too (a hole in a byte stream cannot be told apart from
 * the bytes around it), with the close code and reason alone.
 */
import { ArchwayError } from '../../core/index.js';
import { CLOSE, failureClose } from './close-codes.js';
import { SessionRelay, type Push } from './session-relay.js';

/** The most bytes pushed in one frame (a TCP read's worth). */
const CHUNK = 64 * 1024;

export class BinaryRelay extends SessionRelay {
  protected readonly errorFrames = false;

  protected frame(data: Buffer, isBinary: boolean): void {
    const n = ++this.frames;
    if (!isBinary) {
      this.close({ code: CLOSE.UNSUPPORTED_DATA, reason: 'text frame in binary mode' });
      return;
    }
    this.store((store) => store.writeBytes(data), (err) => {
      this.close(err instanceof ArchwayError ? failureClose(err) : { code: CLOSE.INTERNAL, reason: 'INTERNAL' }, undefined);
      this.log.debug({ err, frame: n, session: this.session.name }, 'binary frame not stored: WebSocket closed');
    });
  }

  protected async next(): Promise<Push> {
    const bytes = await this.reader!.receive(CHUNK, { timeoutMs: Infinity, signal: this.stop.signal });
    if (bytes.length > 0) return { data: bytes, binary: true };
    // Received returns nothing once the peer closed gracefully and every byte was pushed.
    this.close({ code: CLOSE.PEER_CLOSED, reason: 'PEER_CLOSED' });
    return undefined;
  }
}
