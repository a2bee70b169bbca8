import { coverageFigures, tasksBelow } from '../archive/task-coverage.ts'
import type { Exported } from '../pipeline/export-target.ts'

/** One export's coverage values; undefined (an empty output, null in `results`) where there is none. */
export interface CoverageValues {
  minTaskResponses: number | undefined
  maxTaskResponses: number | undefined
  tasksBelowMinimum: number | undefined
  /** Whether some task's responses could not be counted. */
  untold: boolean
}

export function coverageValues({ settings, result }: Exported): CoverageValues {
  const coverage = result?.archive.taskResponses
  if (!coverage)
    return { minTaskResponses: undefined, maxTaskResponses: undefined, tasksBelowMinimum: undefined, untold: false }
  const { min, max } = coverageFigures(coverage)
  const minimum = settings.minResponsesPerTask
  return {
    minTaskResponses: min,
    maxTaskResponses: max,
    tasksBelowMinimum: minimum === 0 ? undefined : tasksBelow(coverage, minimum),
    untold: coverage.untold > 0,
  }
}

/** Several exports' values: the min of the mins, the max of the maxes, the sum of the counts; empty where one cannot be told. */
export function combinedCoverage(finished: Exported[]): CoverageValues {
  const placed = finished.filter((one) => one.result?.archive.taskResponses !== undefined)
  const each = placed.map(coverageValues)
  const untold = each.some((values) => values.untold)
  const defined = (pick: (values: CoverageValues) => number | undefined) =>
    each.map(pick).filter((value) => value !== undefined)
  const mins = defined((values) => values.minTaskResponses)
  const maxes = defined((values) => values.maxTaskResponses)
  const below = defined((values) => values.tasksBelowMinimum)
  const asked = finished.some((one) => one.settings.minResponsesPerTask > 0)
  return {
    minTaskResponses: untold || mins.length === 0 ? undefined : Math.min(...mins),
    maxTaskResponses: untold || maxes.length === 0 ? undefined : Math.max(...maxes),
    tasksBelowMinimum: untold || !asked || placed.length === 0 ? undefined : below.reduce((sum, n) => sum + n, 0),
    untold,
  }
}

/** The window each export sent; with several, the value they all sent, else empty. */
export function sharedWindow(finished: Exported[]): { from: string; to: string } {
  const only = (values: string[]) => (values.every((value) => value === values[0]) ? (values[0] ?? '') : '')
  return {
    from: only(finished.map((one) => one.settings.filter.from ?? '')),
    to: only(finished.map((one) => one.settings.filter.to ?? '')),
  }
}
