import type * as core from '@actions/core'
import { coverageFigures, tasksBelow, type TaskResponses } from '../archive/task-coverage.ts'

/** More bars than this and the histogram is no longer taken in at a glance. */
const MOST_BARS = 10
/** The longest bar, in block characters. */
const BAR_WIDTH = 24

export interface Bucket {
  /** The fewest and the most responses a task in this bar has (equal for a bar of one value). */
  low: number
  high: number
  tasks: number
}

/**
 * The tasks binned by their response count, from the fewest to the most: one bar per count
 * where there are at most MOST_BARS of them, else MOST_BARS bars of equal width. Empty bars stay,
 * so the gaps show.
 */
export function histogramBuckets(counts: TaskResponses['counts']): Bucket[] {
  const first = counts[0]?.responses
  const last = counts.at(-1)?.responses
  if (first === undefined || last === undefined) return []
  const width = Math.ceil((last - first + 1) / MOST_BARS)
  const buckets: Bucket[] = []
  for (let low = first; low <= last; low += width) {
    buckets.push({ low, high: Math.min(low + width - 1, last), tasks: 0 })
  }
  for (const { responses, tasks } of counts) {
    const bucket = buckets[Math.floor((responses - first) / width)]
    if (bucket) bucket.tasks += tasks
  }
  return buckets
}

/** A bar in proportion to the fullest one; a bar with any task shows at least one block. */
export function bar(tasks: number, most: number): string {
  if (tasks === 0 || most === 0) return ''
  return '█'.repeat(Math.max(1, Math.round((tasks / most) * BAR_WIDTH)))
}

/** One sentence with min, median and max, and how many tasks are below the minimum where one is asked for. */
export function coverageLine(coverage: TaskResponses, minimum: number): string {
  const { tasks, min, median, max } = coverageFigures(coverage)
  if (coverage.untold > 0) {
    return (
      `${coverage.untold} of ${tasks} task record(s) have no 'responses' array, so the responses per task ` +
      'cannot be told.'
    )
  }
  if (min === undefined || max === undefined || median === undefined) return 'No tasks, so no responses per task.'
  const below = minimum > 0 ? ` ${tasksBelow(coverage, minimum)} below min-responses-per-task (${minimum}).` : ''
  return `Over ${tasks} task(s): min ${min}, median ${median}, max ${max}.${below}`
}

/** The distribution of responses per task as a heading, one line and a table of bars: counts only. */
export function addTaskCoverage(
  summary: typeof core.summary,
  coverage: TaskResponses,
  minimum: number,
  title = 'Responses per task',
): void {
  summary.addHeading(title, 3).addRaw(`<p>${coverageLine(coverage, minimum)}</p>`, true)
  if (coverage.untold > 0) return
  const buckets = histogramBuckets(coverage.counts)
  if (buckets.length === 0) return
  const most = Math.max(...buckets.map((bucket) => bucket.tasks))
  summary.addTable([
    [
      { data: 'Responses', header: true },
      { data: 'Tasks', header: true },
      { data: '', header: true },
    ],
    ...buckets.map(({ low, high, tasks }) => [
      low === high ? String(low) : `${low}–${high}`,
      String(tasks),
      bar(tasks, most),
    ]),
  ])
}
