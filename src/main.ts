import * as core from '@actions/core'
import { systemClock } from './clock.ts'
import { ActionError, messageOf } from './errors.ts'
import type { Dependencies } from './export-batch.ts'
import { getSettings } from './inputs.ts'
import { writeSummary } from './summary.ts'

export function systemDependencies(): Dependencies {
  return {
    clock: systemClock,
    env: process.env,
    cwd: process.cwd(),
    cancel: cancellation(),
  }
}

/** A cancelled job gets SIGINT, then SIGTERM: stop the IO so the cleanup still runs. */
function cancellation(): AbortSignal {
  const controller = new AbortController()
  const abort = () => controller.abort()
  process.once('SIGINT', abort)
  process.once('SIGTERM', abort)
  return controller.signal
}

/** The action: settings, export, report. The only place that fails the step. */
export async function run(deps: Dependencies = systemDependencies()): Promise<void> {
  try {
    const settings = await getSettings({ env: deps.env, cwd: deps.cwd, now: new Date(deps.clock.now()) })
    // Loaded once the inputs are known to be good: a bad input fails without loading the HTTP
    // client, the ZIP reader and the rest, so the step's start-up stays quick.
    const { exportBatch } = await import('./export-batch.ts')
    const { result, failure } = await exportBatch(settings, deps)
    const { submissions } = result.archive
    const tooFew =
      submissions < settings.minSubmissions
        ? `The archive holds ${submissions} submission record(s), fewer than min-submissions (${settings.minSubmissions}). ` +
          `It is kept at ${result.zipPath} and the outputs are set.`
        : undefined
    const problems = [failure, tooFew].filter((problem) => problem !== undefined).join(' ')
    await writeSummary(result, problems || undefined)
    if (problems) core.setFailed(problems)
  } catch (error) {
    core.debug(error instanceof Error ? (error.stack ?? '') : '')
    core.setFailed(
      error instanceof ActionError ? error.message : `Unexpected error: ${messageOf(error)}. Please report it.`,
    )
  }
}
