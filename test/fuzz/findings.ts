/**
 * What the HTTP fuzz keeps of a failed check: one `Finding` per distinct kind, operation, status,
 * code and detail, counted, with a few mutation labels and the first request and answer as an
 * example, in text made here (previews that escape control characters and never keep a large body
 * alive). The checks decide what is wrong; this file only decides how it is remembered and shown.
 */
import type { Answer } from './http-client.js';
import type { FuzzRequest } from './requests.js';
import type { World } from './world.js';

export interface Finding {
  kind: string;
  op: string;
  status?: number;
  code?: string;
  detail: string;
  count: number;
  labels: Set<string>;
  example: { index: number; request: string; answer: string };
}

/** The start of a body for a report: a fresh small string (never a slice that keeps the whole body alive). */
function preview(buf: Buffer | undefined, max = 400): string {
  if (buf === undefined) return '(none)';
  const head = buf.subarray(0, max * 4);
  let valid = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: head.length < buf.length });
  } catch {
    valid = false;
  }
  let shown = Array.from(valid ? head.toString('utf8') : head.toString('latin1')).slice(0, max).join('');
  // oxlint-disable-next-line no-control-regex -- control characters are what this escapes
  shown = shown.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const note = valid ? '' : ' [invalid UTF-8; bytes shown as latin1]';
  return `${shown}${buf.length > max ? `…(${buf.length} bytes)` : ''}${note}`;
}

export function showRequest(req: FuzzRequest, world: World): string {
  const path = req.path.length > 200 ? `${Array.from(req.path.slice(0, 120)).join('')}…(${req.path.length} chars)` : req.path;
  const hdr = Object.entries(req.headers)
    .filter(([k]) => k !== 'authorization')
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  const auth = req.badAuth ? ` [${req.label}]` : '';
  const body = req.bodyPreview ?? (Buffer.isBuffer(req.body) ? preview(req.body) : req.body === undefined ? '(no body)' : '(stream)');
  const session = req.session !== undefined ? `  session ${JSON.stringify(req.session.slice(0, 40))}: ${world.label(req.session)}\n` : '';
  return `#${req.index} ${req.method} ${path}${auth}  (${req.label})\n${session}    ${hdr === '' ? '' : `${hdr}\n    `}body: ${body}`;
}

export function showAnswer(a: Answer): string {
  if (a.error !== undefined) return `no answer after ${a.ms} ms: ${a.error}`;
  return `${a.status} ${String(a.headers['content-type'] ?? '(no content type)')} in ${a.ms} ms: ${preview(a.body, 500)}`;
}

/** A copy that shares no memory with a larger string (V8 keeps a slice's parent alive). */
const fresh = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

/** A mutation label with its numbers and long quoted values folded, so that alike requests group. */
export const labelClass = (label: string) => label.split(' at ')[0]!.replace(/\d{2,}/g, 'N').replace(/"[^"]{12,}"/g, '"…"').slice(0, 70);

/** Distinct findings in the order first seen (findings proper, or notes that are not failures). */
export class Findings {
  private readonly byKey = new Map<string, Finding>();
  private readonly world: World;

  constructor(world: World) {
    this.world = world;
  }

  record(kind: string, req: FuzzRequest, a: Answer, detail: string, code?: string): void {
    const key = `${kind}|${req.op.key}|${a.status}|${code ?? ''}|${detail}`;
    let f = this.byKey.get(key);
    if (f === undefined) {
      f = { kind, op: req.op.key, status: a.status || undefined, code: code === undefined ? undefined : fresh(code.slice(0, 80)), detail: fresh(detail), count: 0, labels: new Set(), example: { index: req.index, request: fresh(showRequest(req, this.world)), answer: fresh(showAnswer(a)) } };
      this.byKey.set(key, f);
    }
    f.count++;
    if (f.labels.size < 6) f.labels.add(fresh(labelClass(req.label)));
  }

  get size(): number {
    return this.byKey.size;
  }

  list(): Finding[] {
    return [...this.byKey.values()];
  }
}
