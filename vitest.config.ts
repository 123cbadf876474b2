import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Socket and gateway tests open real listeners; two workers match CI's two cores.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/cluster/**'], sequence: { groupOrder: 0 } } },
      // Several gateways as processes (Redis, HAProxy, three gateways, a demo service): after the
      // rest and one file at a time, so that their start-up does not starve timing-sensitive tests
      // (and the reverse) on two cores.
      { extends: true, test: { name: 'cluster', include: ['test/cluster/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
