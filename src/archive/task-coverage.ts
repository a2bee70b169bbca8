/** The array on a responses-by-task.jsonl line that holds the task's responses. */
export const TASK_RESPONSES_FIELD = 'responses'

/** How many tasks have each number of responses, fewest first: what the distribution needs, nothing more. */
export interface TaskResponses {
  /** Distinct response counts with the number of tasks that have each, ascending by `responses`. */
  counts: Array<{ responses: number; tasks: number }>
  /** Lines whose responses cannot be counted (no `responses` array). */
  untold: number
  /** The first such line, for the warning; 0 when there is none. */
  firstUntoldLine: number
}

/**
 * Counts the responses of each task as responses-by-task.jsonl streams past. Only how many
 * tasks have each count is kept, not one number per task: n distinct counts need at least
 * 0 + 1 + … + (n - 1) responses, so the map stays tiny (a few thousand entries for ten million
 * responses) however many tasks there are.
 */
export class TaskCoverage {
  private readonly tasksWith = new Map<number, number>()
  private untold = 0
  private firstUntoldLine = 0

  /** One line's record: its responses counted, or the line noted as one that cannot be. */
  add(record: Record<string, unknown>, line: number): void {
    const responses = record[TASK_RESPONSES_FIELD]
    if (Array.isArray(responses)) {
      this.tasksWith.set(responses.length, (this.tasksWith.get(responses.length) ?? 0) + 1)
      return
    }
    if (this.untold++ === 0) this.firstUntoldLine = line
  }

  finish(): TaskResponses {
    const counts = [...this.tasksWith].map(([responses, tasks]) => ({ responses, tasks }))
    counts.sort((a, b) => a.responses - b.responses)
    return { counts, untold: this.untold, firstUntoldLine: this.firstUntoldLine }
  }

  /** Why some tasks' responses cannot be counted; undefined when every line has its array. */
  problem(file: string): string | undefined {
    if (this.untold === 0) return undefined
    return (
      `${this.untold} record(s) in ${file} have no '${TASK_RESPONSES_FIELD}' array (first on line ` +
      `${this.firstUntoldLine}), so their responses cannot be counted: min-task-responses and ` +
      'max-task-responses are empty and a min-responses-per-task gate fails.'
    )
  }
}

/** The distribution as a person reads it; min, median and max undefined where they cannot be told. */
export interface CoverageFigures {
  tasks: number
  min: number | undefined
  median: number | undefined
  max: number | undefined
}

/** Min, median and max; undefined where some line's count is unknown or there is no task. */
export function coverageFigures({ counts, untold }: TaskResponses): CoverageFigures {
  const tasks = counts.reduce((sum, each) => sum + each.tasks, 0)
  if (untold > 0 || tasks === 0) return { tasks: tasks + untold, min: undefined, median: undefined, max: undefined }
  // An even number of tasks has two middles: their mean, as a statistician would give it.
  const lower = nthResponses(counts, Math.floor((tasks - 1) / 2))
  const upper = nthResponses(counts, Math.floor(tasks / 2))
  return { tasks, min: counts[0]?.responses, median: (lower + upper) / 2, max: counts.at(-1)?.responses }
}

/** Tasks with fewer responses than `minimum`; undefined where some line's count is unknown. */
export function tasksBelow({ counts, untold }: TaskResponses, minimum: number): number | undefined {
  if (untold > 0) return undefined
  return counts.filter((each) => each.responses < minimum).reduce((sum, each) => sum + each.tasks, 0)
}

/** The response count of the task at `index` (0-based) in ascending order. */
function nthResponses(counts: TaskResponses['counts'], index: number): number {
  let seen = 0
  for (const each of counts) {
    seen += each.tasks
    if (index < seen) return each.responses
  }
  return NaN
}
