import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // End-to-end tests start the bundled action as a child process; allow for a slow machine.
    testTimeout: 30_000,
    // Two cores: one worker per core keeps the child processes of e2e tests from starving.
    maxWorkers: 2,
  },
})
