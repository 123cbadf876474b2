/**
 * `archway serve` turns V8's allocation-site pretenuring off as it starts (src/cli/v8-tuning.ts),
 * unless the operator chose a setting: the choice is respected, and setting the flag at run time
 * does stop V8's pretenuring decisions (a child process allocating objects that survive, with
 * `--trace-pretenuring-statistics`: V8 weighs its allocation sites without the call, never with it).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { servingFlags } from '../../src/cli/v8-tuning.js';
import { ROOT } from './helpers.js';

const run = promisify(execFile);
const TUNING = pathToFileURL(join(ROOT, 'dist', 'src', 'cli', 'v8-tuning.js')).href;

/** Objects from one literal kept alive across young collections: what V8 pretenures. */
const survivors = (tune: boolean) => `
${tune ? `(await import(${JSON.stringify(TUNING)})).tuneV8ForServing();` : ''}
const keep = [];
const make = (i) => ({ a: i, b: i + 1 });
for (let round = 0; round < 200; round++) {
  for (let i = 0; i < 20000; i++) keep.push(make(i));
  if (keep.length > 400000) keep.splice(0, 200000);
}
console.log('kept', keep.length);`;

async function sitesWeighed(tune: boolean): Promise<number> {
  const { stdout } = await run(process.execPath, ['--trace-pretenuring-statistics', '--input-type=module', '-e', survivors(tune)], { maxBuffer: 16 * 1024 * 1024 });
  expect(stdout).toContain('kept 400000');
  return stdout.split('\n').filter((l) => l.includes('pretenuring: AllocationSite(')).length;
}

describe('V8 tuning of archway serve', () => {
  it('turns pretenuring off unless node was told otherwise', () => {
    expect(servingFlags([], '')).toEqual(['--no-allocation-site-pretenuring']);
    expect(servingFlags(['--max-old-space-size=512'], '--max-semi-space-size=32')).toEqual(['--no-allocation-site-pretenuring']);
    expect(servingFlags(['--allocation-site-pretenuring'], '')).toEqual([]);
    expect(servingFlags([], '--max-semi-space-size=32 --no-allocation_site_pretenuring')).toEqual([]);
  });

  it('set at run time, stops V8 weighing allocation sites for pretenuring', async () => {
    const [untuned, tuned] = await Promise.all([sitesWeighed(false), sitesWeighed(true)]);
    expect(untuned).toBeGreaterThan(0);
    expect(tuned).toBe(0);
  });
});
