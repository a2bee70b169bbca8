// `npm start`: the bundled action, end to end, against the embedded fake Prolific API.
// No token and no network: the fake listens on 127.0.0.1 and checks a made-up token.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import { startFakeProlific } from '../test-support/fake-prolific.ts'
import { ROOT, maskedLog, runAction } from '../test-support/run-action.ts'

const fake = await startFakeProlific({ token: 'demo-token', pollsUntilComplete: 2 })
const outputDir = join(ROOT, 'demo-output')
mkdirSync(outputDir, { recursive: true })
try {
  const run = await runAction({
    cwd: outputDir,
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '250ms', extract: 'true' },
    env: { PROLIFIC_TOKEN: 'demo-token' },
  })
  console.log('── Log (as the runner shows it) ──')
  console.log(maskedLog(run).trim())
  console.log('\n── Outputs ──')
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name.padEnd(18)} ${value}`)
  console.log('\n── Job summary (markdown) ──')
  console.log(run.summary.trim())
  console.log(`\nExit code ${run.code}; ${fake.requests.length} request(s) reached the fake API.`)
  process.exitCode = run.code ?? 1
} finally {
  await fake.close()
}
