/**
 * A `ws` client for the gateway's session WebSockets in tests: frames as they come (`next()`
 * waits for the next one), the close code and reason (`closed`), the HTTP answer of a refused
 * handshake (`refused`). Nothing is waited for with a fixed sleep.
 */
import { WebSocket, type RawData } from 'ws';
import { within } from './until.js';

export interface Frame {
  text: string;
  binary: boolean;
  data: Buffer;
}

export interface TestSocket {
  ws: WebSocket;
  frames: Frame[];
  /** The next frame not yet taken (within `ms`). */
  next(ms?: number): Promise<Frame>;
  /** The next frame, parsed as JSON. */
  json<T = Record<string, unknown>>(ms?: number): Promise<T>;
  /** Resolves with the close code and reason once the WebSocket closed. */
  closed: Promise<{ code: number; reason: string }>;
}

function toBuffer(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** Opens `url`; resolves once open, rejects with the HTTP status of a refused handshake. */
export async function openSocket(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<TestSocket> {
  const ws = new WebSocket(url, options.protocols, { headers: options.headers });
  const frames: Frame[] = [];
  let taken = 0;
  let waiting: (() => void)[] = [];
  const wake = () => {
    for (const w of waiting.splice(0)) w();
  };
  ws.on('message', (data: RawData, binary: boolean) => {
    const buf = toBuffer(data);
    frames.push({ text: binary ? '' : buf.toString('utf8'), binary, data: buf });
    wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code: number, reason: Buffer) => {
    resolve({ code, reason: reason.toString() });
    wake();
  }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(Object.assign(new Error(`handshake refused: ${res.statusCode} ${body}`), { status: res.statusCode, body })));
    });
    ws.once('error', reject);
  });
  const next = async (ms = 3000): Promise<Frame> => {
    while (frames.length <= taken) {
      if (ws.readyState === WebSocket.CLOSED) throw new Error(`no frame: the WebSocket closed (${frames.length} frames came)`);
      await within(new Promise<void>((resolve) => waiting.push(resolve)), ms, `a frame (${frames.length} came)`);
    }
    return frames[taken++]!;
  };
  return {
    ws,
    frames,
    next,
    json: async <T>(ms?: number) => JSON.parse((await next(ms)).text) as T,
    closed,
  };
}

/** The handshake's refusal: status and problem body (the test expects one). */
export async function refusedHandshake(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const s = await openSocket(url, { headers });
    s.ws.terminate();
  } catch (err) {
    const e = err as { status?: number; body?: string };
    if (e.status !== undefined) return { status: e.status, body: JSON.parse(e.body ?? '{}') as Record<string, unknown> };
    throw err;
  }
  throw new Error(`the handshake to ${url} was accepted`);
}
