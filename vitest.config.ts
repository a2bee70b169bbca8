import { readFile } from 'node:fs/promises'
import { defineConfig } from 'vitest/config'

const workflowParser = /[\\/]node_modules[\\/]@actions[\\/]workflow-parser[\\/].*\.js$/

export default defineConfig({
  plugins: [
    {
      // Its published source maps name .ts files it does not ship: loaded without the map
      // comment, Vite has nothing to warn about on every run.
      name: 'workflow-parser-without-source-maps',
      async load(id) {
        if (!workflowParser.test(id)) return null
        return (await readFile(id, 'utf8')).replace(/^\/\/# sourceMappingURL=.*$/m, '')
      },
    },
  ],
  test: {
    include: ['__tests__/**/*.test.ts'],
    // End-to-end tests start the bundled action as a child process; allow for a slow machine.
    testTimeout: 30_000,
    // Two cores: one worker per core keeps the child processes of e2e tests from starving.
    maxWorkers: 2,
    // GitHub's workflow parser imports its JSON schemas without `with { type: 'json' }`, which
    // Node refuses; through Vite (inlined) the import works as its bundler-built users expect.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
})
