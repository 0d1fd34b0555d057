import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Vitest's default leaves a core idle (one worker on 2 cores), yet most suites wait on child
    // processes, sockets and servers rather than compute: two workers on 2 cores overlap those waits
    // (the whole suite on the 2-core machine: 722 s with one worker, 438 s with two).
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
