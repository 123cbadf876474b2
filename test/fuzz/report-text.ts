/**
 * The text of the HTTP fuzz's report: requests and statuses per operation, memory, health and
 * safety figures, the findings with an example each, and the notes. Written to the report file and
 * printed by the test; apart from the driver so that the run and its account stay two concerns.
 */
import type { Finding } from './findings.js';
import { lookups } from './lookup-guard.js';
import type { ApiModel } from './openapi-model.js';
import type { World } from './world.js';

/** Requests sent to one operation, how many of them valid by the document, and the statuses seen (0: no answer). */
export interface OperationStats {
  sent: number;
  valid: number;
  statuses: Map<number, number>;
}

/** `process.memoryUsage()` after `at` requests. */
export interface MemorySample {
  at: number;
  rss: number;
  heap: number;
  external: number;
  arrayBuffers: number;
}

export interface ReportFacts {
  gatewayState: string;
  harnessErrors: Map<string, number>;
  seed: number;
  sent: number;
  durationMs: number;
  perOperation: Map<string, OperationStats>;
  findings: Finding[];
  notes: Finding[];
  memory: MemorySample[];
  health: number[];
  typesSize: number;
  closeNote: string;
  world: World;
  safetyViolations: string[];
  model: ApiModel;
}

export function summarize(r: ReportFacts): string {
  const MiB = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
  const lines: string[] = [];
  lines.push(`HTTP fuzz of the OpenAPI document: seed ${r.seed}, ${r.sent} requests in ${(r.durationMs / 1000).toFixed(1)} s (${Math.round(r.sent / (r.durationMs / 1000))}/s), ${r.model.operations.length} operations`);
  lines.push('');
  lines.push('requests per operation (valid by the document / all) and statuses seen:');
  for (const [op, s] of r.perOperation) {
    const statuses = [...s.statuses.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k === 0 ? 'none' : k}×${v}`).join(' ');
    lines.push(`  ${op.padEnd(40)} ${String(s.valid).padStart(5)} / ${String(s.sent).padEnd(5)} ${statuses}`);
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const h = sorted(r.health);
  const pct = (p: number) => (h.length === 0 ? 0 : h[Math.min(h.length - 1, Math.floor(p * h.length))]!);
  const peak = r.memory.reduce((m, x) => Math.max(m, x.rss), 0);
  lines.push('');
  lines.push(`memory (this process: the gateway and the fuzz${typeof (globalThis as { gc?: unknown }).gc === 'function' ? '; first and last samples after a full GC' : ''}): rss ${MiB(r.memory[0]!.rss)} at the start, peak ${MiB(peak)}, ${MiB(r.memory[r.memory.length - 1]!.rss)} at the end after closing every session; heap ${MiB(r.memory[0]!.heap)} → ${MiB(r.memory[r.memory.length - 1]!.heap)}, array buffers ${MiB(r.memory[0]!.arrayBuffers)} → ${MiB(r.memory[r.memory.length - 1]!.arrayBuffers)}, external ${MiB(r.memory[0]!.external)} → ${MiB(r.memory[r.memory.length - 1]!.external)}; ${r.gatewayState}`);
  lines.push(`GET /health between rounds: p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, max ${(h[h.length - 1] ?? 0).toFixed(1)} ms; GET /types at the end: ${(r.typesSize / 1024).toFixed(0)} KiB`);
  lines.push(`name lookups seen by the guard: ${[...lookups.names.entries()].map(([n, c]) => `${n}×${c}`).join(', ') || 'none'}`);
  lines.push(`safety: ${r.safetyViolations.length === 0 ? 'no lookup outside the loopback pool' : `LOOKUPS OUTSIDE THE POOL: ${r.safetyViolations.join(', ')}`}`);
  if (r.world.setupErrors.size > 0) lines.push(`fixture set-up problems: ${[...r.world.setupErrors.entries()].map(([k, c]) => `${k} ×${c}`).join('; ')}`);
  if (r.closeNote !== '') lines.push(`closing: ${r.closeNote}`);
  for (const [e, i] of r.harnessErrors) lines.push(`FUZZ ERROR (a bug of the fuzz, request #${i}): ${e}`);
  lines.push('');
  const byKind = new Map<string, number>();
  for (const f of r.findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + f.count);
  lines.push(`${r.findings.length} distinct findings (${[...byKind.entries()].map(([k, c]) => `${k}: ${c}`).join(', ') || 'none'}):`);
  const order = ['500', 'hang', 'no-answer', 'accepted-invalid', 'undocumented-status', 'undocumented-code', 'schema', 'media-type', 'not-json', 'problem', 'internals', 'oversized-error', 'auth'];
  const fs = [...r.findings].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.op.localeCompare(b.op) || b.count - a.count);
  for (const [i, f] of fs.entries()) {
    lines.push('');
    lines.push(`${i + 1}. [${f.kind}] ${f.op}: ${f.detail}  ×${f.count}`);
    lines.push(`   mutations: ${[...f.labels].join(' | ')}`);
    lines.push(`   request ${f.example.request.replace(/\n/g, '\n   ')}`);
    lines.push(`   answer  ${f.example.answer}`);
  }
  if (r.notes.length > 0) {
    lines.push('');
    lines.push(`notes (not failures): requests valid by the document that the gateway refused, so the document is looser than the code:`);
    for (const n of [...r.notes].sort((a, b) => b.count - a.count).slice(0, 40)) lines.push(`  - ${n.op}: ${n.detail} ×${n.count}  e.g. #${n.example.index}`);
  }
  return lines.join('\n');
}
