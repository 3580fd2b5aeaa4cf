import { defineConfig } from 'vitest/config';

// `npm test` runs the fast default suite; `npm run test:all` (JIANGUAN_SLOW=1, what .ci/run runs) adds the
// process-level tests, named *.slow.test.ts: they spawn the CLI many times or kill it mid-load.
const slow = process.env.JIANGUAN_SLOW === '1';
// `npm run test:crash` (JIANGUAN_CRASH=1, also in .ci/run) runs only the crash loop, *.crash.test.ts: it needs none of
// the shared generated warehouses, so no global setup either.
const crash = process.env.JIANGUAN_CRASH === '1';

export default defineConfig({
  test: {
    include: crash ? ['**/*.crash.test.ts'] : ['**/*.test.ts'],
    exclude: ['node_modules/**', 'tmp/**', ...(crash ? [] : ['**/*.crash.test.ts']), ...(slow || crash ? [] : ['**/*.slow.test.ts'])],
    // builds the generated warehouses several files share, once per run (testkit/shared.ts)
    globalSetup: crash ? [] : ['testkit/global-setup.ts'],
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
