import { defineConfig } from 'vitest/config';

// `npm test` runs the fast default suite; `npm run test:all` (JIANGUAN_SLOW=1, what .ci/run runs) adds the
// process-level tests, named *.slow.test.ts: they spawn the CLI many times or kill it mid-load.
const slow = process.env.JIANGUAN_SLOW === '1';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', ...(slow ? [] : ['**/*.slow.test.ts'])],
    // builds the generated warehouses several files share, once per run (testkit/shared.ts)
    globalSetup: ['testkit/global-setup.ts'],
    // no wall-clock limits: a busy machine is slow, not wrong (0 = no timeout)
    testTimeout: 0,
    hookTimeout: 0,
    pool: 'forks',
    // test files share a worker's module cache (no state lives in modules; each file opens its own warehouse
    // copies): importing the sources once per worker instead of once per file saves ~10 s of a run on 2 cores
    isolate: false,
    maxWorkers: 2,
  },
});
