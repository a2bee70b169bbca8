import { messageOf } from './core/errors.ts'
import { setFailed } from './runner/log.ts'
import { run } from './main.ts'
import { removeScratchSync } from './runner/scratch.ts'

// The last resort: a crash still removes temporary files and fails with one clear message.
const crash = (error: unknown) => {
  removeScratchSync()
  setFailed(`Unexpected error: ${messageOf(error)}. Nothing was kept. Please report this.`)
  process.exit(1)
}
process.on('uncaughtException', crash)
process.on('unhandledRejection', crash)

await run()
