import { ActionError } from '../core/errors.ts'
import { type Exported, problemsText } from '../pipeline/export-target.ts'
import { setExportOutputs, setManyOutputs, setWindowOutputs } from './outputs.ts'
import { appendSummary, buildSummary } from './summary.ts'
import { buildManySummary } from './summary-many.ts'

/**
 * What the step tells of its exports: the outputs, the job summary, and the failure to fail the
 * step with (undefined when all went well). One export reports its own outputs; several report
 * `results` and totals.
 */
export async function report(exported: Exported[], env: NodeJS.ProcessEnv): Promise<ActionError | undefined> {
  const [one] = exported
  if (exported.length === 1 && one) {
    const problem = problemsText(one)
    if (one.result) {
      setExportOutputs({ ...one, result: one.result })
      setWindowOutputs(exported)
      await appendSummary(buildSummary(one.result, problem, one.settings.minResponsesPerTask), env)
    }
    return problem === undefined ? undefined : new ActionError(problem)
  }
  setManyOutputs(exported)
  setWindowOutputs(exported)
  await appendSummary(buildManySummary(exported), env)
  const failed = exported.filter((each) => each.problems.length > 0)
  if (failed.length === 0) return undefined
  return new ActionError(
    `${failed.length} of ${exported.length} exports failed: ` +
      failed.map((each) => `${each.settings.targetId}: ${problemsText(each)}`).join(' | '),
  )
}
