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
 */
import { setFlagsFromString } from 'node:v8';

const PRETENURING = /--(?:no-)?allocation[-_]site[-_]pretenuring\b/;

/** The flags to set, given node's own arguments and NODE_OPTIONS: none the operator already chose. */
export function servingFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const chosen = [...execArgv, nodeOptions].some((a) => PRETENURING.test(a));
  return chosen ? [] : ['--no-allocation-site-pretenuring'];
}

/** Sets the serving flags in this process; returns those it set. */
export function tuneV8ForServing(): string[] {
  const flags = servingFlags(process.execArgv, process.env.NODE_OPTIONS);
  for (const f of flags) setFlagsFromString(f);
  return flags;
}
