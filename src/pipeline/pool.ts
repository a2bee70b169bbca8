import * as core from '@actions/core'
import { ActionError, UnexpectedError } from '../core/errors.ts'
import type { RunSettings } from '../settings/inputs.ts'
import { debug, inert, jobLog, prefixedLog } from '../runner/log.ts'
import { type Dependencies, type Exported, exportTarget } from './export-target.ts'

/**
 * Every export of the step; one ID is the case of one. At most `concurrency` run at once
 * (workers take the next ID only when one is done, so the limit holds for all the work in
 * flight). A failing export does not stop the others: its failure is its problem.
 */
export async function exportAll({ exports, concurrency }: RunSettings, deps: Dependencies): Promise<Exported[]> {
  const several = exports.length > 1
  if (several) {
    const kinds = exports[0]?.kind === 'collection' ? 'collections' : 'batches'
    core.info(inert(`Exporting ${exports.length} ${kinds}, at most ${concurrency} at a time.`))
  }
  const finished: Exported[] = new Array(exports.length)
  let next = 0
  const worker = async () => {
    for (let index = next++; index < exports.length; index = next++) {
      const settings = exports[index]
      if (!settings) continue
      // Several exports cannot share the log's groups: each line carries its ID instead.
      const log = several ? prefixedLog(settings.targetId) : jobLog
      finished[index] = await exportTarget(settings, deps, log).catch((error: unknown) => {
        const problem = asProblem(error)
        if (several) log.info(`Failed: ${problem.message}`)
        const { token, ...withoutToken } = settings
        return { settings: withoutToken, problems: [problem] }
      })
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, exports.length) }, worker))
  return finished
}

/** A typed failure as it is; anything else is a bug, reported as one, with its stack for debugging. */
function asProblem(error: unknown): ActionError {
  if (error instanceof ActionError) return error
  debug(error instanceof Error ? (error.stack ?? '') : '')
  return new UnexpectedError(error)
}
