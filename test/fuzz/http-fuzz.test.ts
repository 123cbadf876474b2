/**
 * Issue 10, "Done when": an HTTP-level fuzz over every operation of the gateway's OpenAPI document
 * (generated valid bodies and mutated invalid ones, answers validated against the document) gives
 * 0 undocumented statuses and 0 500s. This is its bounded form (a fixed seed, a few thousand
 * requests); `npm run fuzz:http -- --requests 50000 --seed N` runs the same driver for longer.
 *
 * Environment (set by the long form): FUZZ_SEED, FUZZ_REQUESTS, FUZZ_CONCURRENCY, FUZZ_BUDGET_MS
 * (0: no time limit), FUZZ_REPORT (where the full report goes), FUZZ_TRACE (a regular expression:
 * every request to a matching operation is logged with its answer), FUZZ_JOURNAL (a file: every
 * request before it is sent, and its status once answered).
 */
import { describe, expect, it } from 'vitest';
import { runHttpFuzz } from './driver.js';

const env = process.env;
const seed = Number(env.FUZZ_SEED ?? 20261201);
const requests = Number(env.FUZZ_REQUESTS ?? 3000);
const budgetMs = Number(env.FUZZ_BUDGET_MS ?? 15_000);
const concurrency = Number(env.FUZZ_CONCURRENCY ?? 8);
const long = env.FUZZ_REQUESTS !== undefined;

describe('HTTP fuzz of the OpenAPI document (issue 10)', () => {
  it(`${requests} generated and mutated requests (seed ${seed}) answer as the document says: no 500, no undocumented status, bodies match their schemas`, async () => {
    const report = await runHttpFuzz({
      seed,
      requests,
      concurrency,
      timeBudgetMs: budgetMs,
      // An answer later than this is a hang (the gateway under fuzz waits at most 2 s by config).
      hangMs: Number(env.FUZZ_HANG_MS ?? (long ? 8000 : 4000)),
      reportFile: env.FUZZ_REPORT,
      journal: env.FUZZ_JOURNAL,
      trace: env.FUZZ_TRACE === undefined ? undefined : new RegExp(env.FUZZ_TRACE),
      log: (l) => console.log(l),
    });
    console.log(`${report.text}\n\n(full report: ${report.reportFile})`);
    // The fuzz itself: it never aimed a name at a resolver, and it reached every operation.
    expect(report.safetyViolations, 'name lookups outside the loopback pool').toEqual([]);
    for (const [op, s] of report.perOperation) expect(s.sent, `requests sent to ${op}`).toBeGreaterThan(0);
    const titles = report.findings.map((f) => `[${f.kind}] ${f.op}: ${f.detail} ×${f.count}`);
    expect(titles, `the contract is broken; see the report above or ${report.reportFile}`).toEqual([]);
  }, long ? 0 : 60_000);
});
