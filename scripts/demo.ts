// `npm start`: the bundled action, end to end, against the embedded fake Prolific API.
// No token and no network: the fake listens on 127.0.0.1 and checks a made-up token. The log
// and the job summary are printed as a person sees them on the run's page.
import { mkdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import { startFakeProlific } from '../test-support/fake-prolific.ts'
import { ROOT, runAction } from '../test-support/run-action.ts'
import { readRunnerLog } from '../test-support/runner-log.ts'
import { summaryAsText } from '../test-support/summary-text.ts'

const fake = await startFakeProlific({ token: 'demo-token', pollsUntilComplete: 2 })
// git-ignored; DEMO_OUTPUT_DIR lets a test send it elsewhere.
const outputDir = process.env.DEMO_OUTPUT_DIR ?? join(ROOT, 'demo-output')
mkdirSync(outputDir, { recursive: true })
try {
  const run = await runAction({
    cwd: outputDir,
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '250ms', extract: 'true' },
    env: { PROLIFIC_TOKEN: 'demo-token' },
  })
  console.log('── The step’s log, as the run’s page shows it ──')
  console.log(readRunnerLog(`${run.stdout}\n${run.stderr}`, { person: true }).shown.trim())
  console.log('\n── Outputs ──')
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name.padEnd(18)} ${value}`)
  console.log('\n── Job summary, as the run’s page shows it ──')
  console.log(summaryAsText(run.summary))
  const where = relative(process.cwd(), outputDir) || '.'
  console.log(
    `\nExit code ${run.code}; ${fake.requests.length} request(s) reached the fake API. The ZIP and its ` +
      `extracted folder are in ${where}/ (git-ignored): the outputs 'path' and 'extract-path' above.`,
  )
  process.exitCode = run.code ?? 1
} finally {
  await fake.close()
}
