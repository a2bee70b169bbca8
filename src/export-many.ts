import * as core from '@actions/core'
import { ActionError, messageOf } from './errors.ts'
import type { Dependencies } from './export-batch.ts'
import { exportOne, type Finished } from './export-one.ts'
import type { RunSettings } from './inputs.ts'
import { inert, prefixedLog } from './log.ts'
import { setManyOutputs } from './outputs.ts'
import { writeManySummary } from './summary-many.ts'

/**
 * Several IDs: each exported into its own ZIP and artifact, at most `concurrency` at a time
 * (workers take the next ID only when one is done, so the limit holds for all the work in
 * flight). A failing export does not stop the others; the step fails once all have finished.
 */
export async function exportMany(
  { exports, concurrency }: RunSettings,
  deps: Dependencies,
): Promise<ActionError | undefined> {
  core.info(
    inert(
      `Exporting ${exports.length} ${exports[0]?.kind === 'collection' ? 'collections' : 'batches'}, at most ${concurrency} at a time.`,
    ),
  )
  const finished: Finished[] = new Array(exports.length)
  let next = 0
  const worker = async () => {
    for (let index = next++; index < exports.length; index = next++) {
      const settings = exports[index] as Finished['settings']
      const log = prefixedLog(settings.targetId)
      finished[index] = await exportOne(settings, deps, { log, setOutputs: false }).catch((error: unknown) => {
        if (!(error instanceof ActionError)) core.debug(inert(error instanceof Error ? (error.stack ?? '') : ''))
        const problem = error instanceof ActionError ? error.message : `Unexpected error: ${messageOf(error)}.`
        log.info(`Failed: ${problem}`)
        return { settings, problem }
      })
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, exports.length) }, worker))
  setManyOutputs(finished)
  await writeManySummary(finished)
  const failed = finished.filter((one) => one.problem)
  if (failed.length === 0) return undefined
  return new ActionError(
    `${failed.length} of ${finished.length} exports failed: ` +
      failed.map((one) => `${one.settings.targetId}: ${one.problem}`).join(' | '),
  )
}
