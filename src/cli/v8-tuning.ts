/**
 * V8 settings for a long-running gateway (`archway serve`), set as it starts unless the operator
 * chose otherwise on node's command line or in NODE_OPTIONS.
 *
 * Allocation-site pretenuring off. V8 allocates an object literal's later instances straight in the
 * old generation once most of its instances survived young-generation collections. A gateway
 * starts with a 1 MiB young generation and, under load, a hundred requests in flight: their
 * per-request objects outlive the first collections, and in about half of the processes V8
 * pretenured per-request sites for good. Those objects, dead a few milliseconds later, then keep
 * young ones alive until a full collection: every scavenge promoted 2.4 MB (18 KB otherwise), the
 * heap grew to 140 MB between mark-compacts, and old-generation pages were mapped and unmapped 30
 * times a second — about one page fault per request, 20–25 µs of CPU each on the benchmark machine
 * (`--trace-gc-nvp`, `--trace-pretenuring-statistics`, strace of every thread; bench:gateway shows
 * the faults per request). The flag is read at each collection, so setting it here takes effect.
 *
 * A larger young generation: semi-spaces of up to 32 MiB instead of 16. Under load every young
 * collection copies what a hundred requests in flight hold (0.5 MB, 3 ms a collection, about ten a
 * second at 16 MiB); half as many collections took the gateway 1–6 % less CPU per request (side by
 * side with an untuned one under the same load, bench:gateway's typed operation; 64 MiB: 2–8 %, at
 * twice the memory). The price is memory: under load the young generation grows to its ceiling and
 * stays there once the load stops (bench:sessions: 8.2 KiB of RSS per idle session against 6.3 at
 * 16 MiB and 12.1 at 64). V8 sizes the heap as the process starts, so this one is a startup flag:
 * `archway serve` starts its serving process with it (fresh-process.ts).
 */
import { setFlagsFromString } from 'node:v8';

const PRETENURING = /--(?:no-)?allocation[-_]site[-_]pretenuring\b/;
const SEMI_SPACE = /--max[-_]semi[-_]space[-_]size\b/;

/** Whether the operator set `flag` on node's command line or in NODE_OPTIONS: their choice stands. */
function chosen(flag: RegExp, execArgv: readonly string[], nodeOptions: string): boolean {
  return [...execArgv, nodeOptions].some((a) => flag.test(a));
}

/** The startup flags the serving process needs, given node's own arguments and NODE_OPTIONS. */
export function startupFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  return chosen(SEMI_SPACE, execArgv, nodeOptions) ? [] : ['--max-semi-space-size=32'];
}

/** The flags to set, given node's own arguments and NODE_OPTIONS: none the operator already chose. */
export function servingFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  return chosen(PRETENURING, execArgv, nodeOptions) ? [] : ['--no-allocation-site-pretenuring'];
}

/** Sets the serving flags in this process; returns those it set. */
export function tuneV8ForServing(): string[] {
  const flags = servingFlags(process.execArgv, process.env.NODE_OPTIONS);
  for (const f of flags) setFlagsFromString(f);
  return flags;
}
