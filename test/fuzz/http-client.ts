/**
 * How the HTTP fuzz talks to the gateway: one undici Agent, a `send` that reads every answer in
 * full (bounded, and only the first event of a server-sent stream, which never ends by itself),
 * and the `call` that the fixtures use (authorised JSON in, parsed JSON out). Kept apart from the
 * driver so that sending stays one concern and the checks never see undici.
 */
import { Readable } from 'node:stream';
import { Agent } from 'undici';
import type { Call } from './world.js';

/** One answer as the fuzz saw it (status 0 and `error` when none came). */
export interface Answer {
  /** Epoch ms when the request was sent and when its answer was read. */
  sentAt?: number;
  doneAt?: number;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  truncated: boolean;
  ms: number;
  error?: string;
}

export interface HttpClient {
  /** One request as the fuzz made it; `sse`: a `text/event-stream` answer is read up to its first event. */
  send(method: string, path: string, headers: Record<string, string>, body: Buffer | AsyncIterable<Buffer> | undefined, sse?: boolean): Promise<Answer>;
  /** An authorised JSON request of the fixtures; throws when no answer came within `timeoutMs` (default: the hang limit). */
  call: Call;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** `http://127.0.0.1:PORT` of the gateway. */
  origin: string;
  /** Connections the agent may open. */
  connections: number;
  /** An answer later than this is a hang. */
  hangMs: number;
  /** The bearer token of `call`. */
  token: string;
}

/** More than any answer the document allows: past it, the body is cut and marked truncated. */
const RESPONSE_READ_MAX = 8 * 1024 * 1024;

/** No answer: status 0, an empty body and why. */
export const noAnswer = (ms: number, error: string): Answer => ({ status: 0, headers: {}, body: Buffer.alloc(0), truncated: false, ms, error });

export function createHttpClient({ origin, connections, hangMs, token }: HttpClientOptions): HttpClient {
  const agent = new Agent({ connections, keepAliveTimeout: 4000, headersTimeout: hangMs, bodyTimeout: hangMs, connectTimeout: 5000 });

  async function send(method: string, path: string, headers: Record<string, string>, body: Buffer | AsyncIterable<Buffer> | undefined, sse = false): Promise<Answer> {
    const start = performance.now();
    const sentAt = Date.now();
    const signal = AbortSignal.timeout(hangMs);
    try {
      const res = await agent.request({ origin, path, method: method as 'GET', headers, body: body === undefined || Buffer.isBuffer(body) ? body : Readable.from(body), signal });
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const ct = String(res.headers['content-type'] ?? '');
      if (sse && ct.startsWith('text/event-stream')) {
        // A stream never ends by itself: its first event is enough.
        const first = await Promise.race([
          (async () => {
            for await (const c of res.body) return c as Buffer;
            return Buffer.alloc(0);
          })(),
          new Promise<Buffer>((r) => setTimeout(() => r(Buffer.alloc(0)), 500)),
        ]);
        res.body.destroy();
        return { sentAt, doneAt: Date.now(), status: res.statusCode, headers: res.headers, body: first, truncated: true, ms: Math.round(performance.now() - start) };
      }
      for await (const c of res.body) {
        size += (c as Buffer).length;
        if (size > RESPONSE_READ_MAX) {
          truncated = true;
          res.body.destroy();
          break;
        }
        chunks.push(c as Buffer);
      }
      return { sentAt, doneAt: Date.now(), status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), truncated, ms: Math.round(performance.now() - start) };
    } catch (err) {
      const e = err as Error & { code?: string };
      return noAnswer(Math.round(performance.now() - start), `${e.name}${e.code ? ` ${e.code}` : ''}: ${e.message}`);
    }
  }

  const call: Call = async (method, path, body, timeoutMs) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const a = await Promise.race([
      send(method, path, headers, body === undefined ? undefined : Buffer.from(JSON.stringify(body))),
      new Promise<Answer>((r) => setTimeout(() => r(noAnswer(timeoutMs ?? hangMs, 'setup call timed out')), timeoutMs ?? hangMs)),
    ]);
    if (a.error !== undefined) throw new Error(`${method} ${path}: ${a.error}`);
    let parsed: unknown = a.body.toString('utf8');
    try {
      parsed = JSON.parse(parsed as string);
    } catch {
      // not JSON
    }
    return { status: a.status, body: parsed };
  };

  return { send, call, close: () => agent.close().catch(() => undefined) };
}
