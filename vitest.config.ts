import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // workers and the CLI run from dist/: never test a build older than the sources
    globalSetup: ['test/setup/freshBuild.ts'],
    expect: { requireAssertions: true },
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: true,
  },
});
