/**
 * A Server-Sent Events client on fetch's body stream, as an EventSource reads it: `id:`, `event:`,
 * `data:` fields, comment lines skipped. `next()` waits for the next event, `end()` for the end
 * of the stream; `status` is the HTTP status (a 204 has no stream).
 */
import { within } from './until.js';

export interface SseEvent<D = unknown> {
  /** The `id:` field, or undefined for an event without one. */
  id: number | undefined;
  event: string;
  data: D;
}

export interface SseStream {
  status: number;
  headers: Headers;
  seen: SseEvent[];
  readonly ended: boolean;
  next<D = unknown>(ms?: number): Promise<SseEvent<D>>;
  end(ms?: number): Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const ac = new AbortController();
  const res = await fetch(url, { headers, signal: ac.signal });
  const seen: SseEvent[] = [];
  let ended = res.status !== 200 || res.body === null;
  let waiting: (() => void)[] = [];
  const wake = () => {
    for (const w of waiting.splice(0)) w();
  };
  const pump = ended
    ? Promise.resolve()
    : (async () => {
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let text = '';
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            text += decoder.decode(value, { stream: true });
            let cut: number;
            while ((cut = text.indexOf('\n\n')) >= 0) {
              const block = text.slice(0, cut);
              text = text.slice(cut + 2);
              const fields = new Map<string, string>();
              for (const line of block.split('\n')) {
                if (line.startsWith(':') || line === '') continue;
                const colon = line.indexOf(':');
                fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
              }
              const event = fields.get('event');
              if (event !== undefined) seen.push({ id: fields.has('id') ? Number(fields.get('id')) : undefined, event, data: JSON.parse(fields.get('data') ?? 'null') as unknown });
            }
            wake();
          }
        } catch {
          // aborted by close()
        }
        ended = true;
        wake();
      })();
  let taken = 0;
  return {
    status: res.status,
    headers: res.headers,
    seen,
    get ended() {
      return ended;
    },
    async next<D>(ms = 3000): Promise<SseEvent<D>> {
      while (seen.length <= taken) {
        if (ended) throw new Error(`no more events: the stream ended (got ${JSON.stringify(seen.map((e) => e.event))})`);
        await within(new Promise<void>((resolve) => waiting.push(resolve)), ms, `an event (got ${JSON.stringify(seen.map((e) => e.event))})`);
      }
      return seen[taken++] as SseEvent<D>;
    },
    async end(ms = 3000) {
      await within(pump, ms, 'the end of the event stream');
    },
    close() {
      ac.abort();
    },
  };
}
