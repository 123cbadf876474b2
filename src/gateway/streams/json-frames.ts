/**
 * The text frames of a JSON-mode WebSocket (SPEC §1 "Browser reach"): `{"type": T, "value": v}`,
 * or with `?send=T` the bare value. A frame is one message: it is read whole here, and encoded
 * all-or-nothing when stored. What is wrong with a frame is an error a browser can act on, with
 * `path` the JSON pointer into the frame; the connection stays usable. Error frames are the
 * problem JSON of REST without its HTTP status: `{"error": {code, message, path…}, "frame": n}`.
 */
import { ArchwayError } from '../../core/index.js';
import { ERR_VALIDATION, type MessageCodec } from '../../archive/index.js';
import { MAX_JSON_DEPTH, tooDeepAt } from '../plugins/json-depth.js';
import { bareProblem } from '../plugins/problem.js';
import type { Session } from '../sessions/session.js';

export interface FrameMessage {
  codec: MessageCodec;
  value: unknown;
  /** Where `value` is in the frame, as a JSON pointer (`/value`, or `` for a bare value). */
  at: string;
}

/** The message a text frame carries; throws (MALFORMED_JSON, VALIDATION, UNKNOWN_TYPE) with its path. */
export function frameMessage(text: Buffer, session: Session, send: MessageCodec | undefined): FrameMessage {
  const deep = tooDeepAt(text);
  if (deep >= 0) throw new ArchwayError('MALFORMED_JSON', `the frame nests deeper than ${MAX_JSON_DEPTH} levels (at byte ${deep})`).with({ offset: deep });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.toString('utf8'));
  } catch (err) {
    throw new ArchwayError('MALFORMED_JSON', `the frame is not JSON: ${(err as Error).message}`);
  }
  if (send !== undefined) return { codec: send, value: parsed, at: '' };
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ERR_VALIDATION('the frame must be an object {"type": T, "value": v} (or open the WebSocket with ?send=T to send bare values)').with({ path: '' });
  }
  const frame = parsed as Record<string, unknown>;
  const extra = Object.keys(frame).find((k) => k !== 'type' && k !== 'value');
  if (extra !== undefined) throw new ERR_VALIDATION(`frame/${extra.slice(0, 64)} is not a property of a frame (only type and value)`).with({ path: `/${extra.slice(0, 64)}` });
  if (typeof frame.type !== 'string') throw new ERR_VALIDATION('frame/type must be the name of a message type').with({ path: '/type' });
  if (!Object.hasOwn(frame, 'value')) throw new ERR_VALIDATION('frame/value is required').with({ path: '/value' });
  let codec: MessageCodec;
  try {
    codec = session.codec(frame.type);
  } catch (err) {
    throw err instanceof ArchwayError ? err.with({ path: '/type' }) : err;
  }
  return { codec, value: frame.value, at: '/value' };
}

/** An encoder's error with its path made a pointer into the frame. */
export function inFrame(err: unknown, at: string): unknown {
  if (!(err instanceof ArchwayError) || at === '' || err.code !== 'VALIDATION') return err;
  return err.with({ path: `${at}${err.details.path ?? ''}` });
}

/** The error frame of `err` (problem JSON without the HTTP status); `frame` counts the browser's frames from 1. */
export function errorFrame(err: ArchwayError, frame?: number): string {
  const problem = bareProblem(err);
  return JSON.stringify(frame === undefined ? { error: problem } : { error: problem, frame });
}
