/**
 * A JSON-mode WebSocket (`?mode=json`, the default): each text frame is one message stored on the
 * session (json-frames.ts), and each message the peer sends is decoded as `?receive=T` and pushed
 * as `{"type": T, "value": v}` — the JSON of the REST answers.
 */
import type { JsonForm, MessageCodec } from '../../archive/index.js';
import { ERR_VALIDATION } from '../../archive/index.js';
import { frameMessage, inFrame } from './json-frames.js';
import { SessionRelay, type Push, type RelayOptions } from './session-relay.js';

export class JsonRelay extends SessionRelay {
  protected readonly errorFrames = true;
  private readonly receive: MessageCodec | undefined;
  private readonly send: MessageCodec | undefined;

  private readonly form: JsonForm;

  constructor(o: RelayOptions & { receive: MessageCodec | undefined; send: MessageCodec | undefined; form: JsonForm }) {
    super(o);
    this.receive = o.receive;
    this.send = o.send;
    this.form = o.form;
  }

  protected frame(data: Buffer, isBinary: boolean): void {
    const n = ++this.frames;
    if (isBinary) {
      this.reject(new ERR_VALIDATION('a binary frame on a JSON-mode WebSocket: send text frames of JSON (or open it with ?mode=binary)').with({ path: '' }), n);
      return;
    }
    let message;
    try {
      message = frameMessage(data, this.session, this.send);
    } catch (err) {
      this.reject(err, n);
      return;
    }
    const { codec, value, at } = message;
    this.store((store) => store.writeMessage(codec, value), (err) => this.reject(inFrame(err, at), n));
  }

  protected async next(): Promise<Push> {
    const codec = this.receive!;
    const reader = this.reader!;
    // A message already whole in the buffer is taken at once: no promise per message of a burst.
    const ready = reader.tryRead(codec, this.form);
    const value = ready.done ? ready.value : await reader.read(codec, { timeoutMs: Infinity, signal: this.stop.signal, form: this.form });
    return { data: JSON.stringify({ type: codec.name, value }), binary: false };
  }
}
