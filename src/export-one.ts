import { ActionError } from './errors.ts'
import { type Dependencies, exportBatch, type Reporting } from './export-batch.ts'
import type { ExportResult } from './result.ts'
import type { Settings } from './settings.ts'

export interface Finished {
  settings: Settings
  /** Present when the archive was placed, even if something failed after that. */
  result?: ExportResult
  /** What went wrong, for the step's one error message; undefined when all went well. */
  problem?: string
}

/** One export to the end: the archive, then `min-submissions`; failures become a problem to report. */
export async function exportOne(settings: Settings, deps: Dependencies, reporting?: Reporting): Promise<Finished> {
  const { result, failure } = await exportBatch(settings, deps, reporting)
  const { submissions } = result.archive
  const tooFew =
    submissions < settings.minSubmissions
      ? new ActionError(
          `The archive holds ${submissions} submission record(s), fewer than min-submissions (${settings.minSubmissions}). ` +
            `It is kept at ${result.zipPath} and the outputs are set.`,
        ).message
      : undefined
  const problem = [failure, tooFew].filter((text) => text !== undefined).join(' ')
  return { settings, result, problem: problem || undefined }
}
