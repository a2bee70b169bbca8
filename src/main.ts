import { systemClock } from './core/clock.ts'
import { ActionError, UnexpectedError } from './core/errors.ts'
import { getSettings } from './settings/inputs.ts'
import { debug, setFailed } from './runner/log.ts'
import { removeScratchSync } from './runner/scratch.ts'
import type { Dependencies } from './pipeline/export-target.ts'

export function systemDependencies(): Dependencies {
  return {
    clock: systemClock,
    env: process.env,
    cwd: process.cwd(),
    cancel: cancellation(),
  }
}

/** What a cancelled step says, whichever phase the signal stopped. */
const CANCELLED = 'The step was cancelled; nothing half-done was kept.'
/** The runner sends SIGTERM 7.5 s after SIGINT and SIGKILL 2.5 s later: stop well before either. */
const CANCEL_BACKSTOP_MS = 2000

/**
 * A cancelled job gets SIGINT, then SIGTERM: every phase watches this signal and stops, so the
 * cleanup still runs. Should anything not stop in time, the backstop removes the temporary files
 * and ends the step itself, failed, before the runner's SIGKILL leaves them behind.
 */
function cancellation(): AbortSignal {
  const controller = new AbortController()
  const abort = () => {
    if (controller.signal.aborted) return
    controller.abort()
    setTimeout(() => {
      removeScratchSync()
      setFailed(CANCELLED)
      process.exit(1)
    }, CANCEL_BACKSTOP_MS).unref()
  }
  process.once('SIGINT', abort)
  process.once('SIGTERM', abort)
  return controller.signal
}

/**
 * The action: the settings, every export (one ID is the case of one), the report. The only place
 * that fails the step.
 */
export async function run(deps: Dependencies = systemDependencies()): Promise<void> {
  try {
    const now = new Date(deps.clock.now())
    const settings = await getSettings({ env: deps.env, cwd: deps.cwd, now })
    // Loaded once the inputs are known to be good: a bad input fails without loading the HTTP
    // client, the ZIP reader and the rest, so the step's start-up stays quick.
    const [{ exportAll }, { report }, { openRunMemory }] = await Promise.all([
      import('./pipeline/pool.ts'),
      import('./report/report.ts'),
      import('./pipeline/run-memory.ts'),
    ])
    const memory = await openRunMemory(settings, now)
    const exported = await exportAll(memory.plan, deps)
    const failure = await report(exported, deps.env)
    // Only a successful run is remembered: after a failure the next run covers the same window again.
    if (failure) setFailed(failure.message)
    else await memory.save(exported)
  } catch (error) {
    debug(error instanceof Error ? (error.stack ?? '') : '')
    setFailed(error instanceof ActionError ? error.message : new UnexpectedError(error).message)
  }
  // A cancel that came after the last phase it could stop still fails the step.
  if (deps.cancel?.aborted && process.exitCode !== 1) setFailed(CANCELLED)
}
