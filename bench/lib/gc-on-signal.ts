/**
 * Preloaded into a server the benches measure (`node --expose-gc --import …/gc-on-signal.js`):
 * SIGWINCH runs a full garbage collection, so that a memory figure starts from what the process
 * really holds, not from garbage an earlier step left for a collection that had not come yet.
 * SIGWINCH because a server without a terminal never gets it otherwise (close-with-grace takes
 * SIGUSR2 as a stop).
 */
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('gc-on-signal needs node --expose-gc');
process.on('SIGWINCH', () => {
  collect();
  collect();
});
