import { coverageFigures, tasksBelow } from '../archive/task-coverage.ts'
import { ActionError } from '../core/errors.ts'
import type { ArchiveSettings } from './place-archive.ts'
import type { ExportResult } from './result.ts'

/**
 * `min-responses-per-task`: every task of the batch has at least that many responses. A task
 * whose responses cannot be counted fails the gate: readiness that cannot be shown is not
 * readiness.
 */
export function tooFewPerTask(result: ExportResult, { minResponsesPerTask }: ArchiveSettings): ActionError | undefined {
  const coverage = result.archive.taskResponses
  if (minResponsesPerTask === 0 || coverage === undefined) return undefined
  const kept = `It is kept at ${result.zipPath} and the outputs are set.`
  const below = tasksBelow(coverage, minResponsesPerTask)
  if (below === undefined) {
    return new ActionError(
      `min-responses-per-task (${minResponsesPerTask}) cannot be checked: ${coverage.untold} task record(s) of ` +
        `responses-by-task.jsonl have no 'responses' array to count (first on line ${coverage.firstUntoldLine}). ${kept}`,
    )
  }
  if (below === 0) return undefined
  const { tasks, min } = coverageFigures(coverage)
  return new ActionError(
    `${below} of ${tasks} task(s) have fewer responses than min-responses-per-task (${minResponsesPerTask}); ` +
      `the fewest has ${min}. ${kept}`,
  )
}
