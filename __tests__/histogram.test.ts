// The distribution of responses per task in the job summary: bins a person takes in at a glance.
import * as core from '@actions/core'
import { describe, expect, it } from 'vitest'
import type { TaskResponses } from '../src/archive/task-coverage.ts'
import { addTaskCoverage, bar, coverageLine, histogramBuckets } from '../src/report/histogram.ts'
import { summaryAsText } from '../test-support/summary-text.ts'

const coverage = (pairs: Array<[number, number]>, untold = 0): TaskResponses => ({
  counts: pairs.map(([responses, tasks]) => ({ responses, tasks })),
  untold,
  firstUntoldLine: untold > 0 ? 4 : 0,
})

function rendered(responses: TaskResponses, minimum = 0): string {
  addTaskCoverage(core.summary, responses, minimum)
  const html = core.summary.stringify()
  core.summary.emptyBuffer()
  return summaryAsText(html)
}

describe('histogramBuckets', () => {
  it('one bar per count when there are few, the empty ones kept so gaps show', () => {
    expect(
      histogramBuckets(
        coverage([
          [2, 3],
          [4, 1],
          [5, 6],
        ]).counts,
      ),
    ).toEqual([
      { low: 2, high: 2, tasks: 3 },
      { low: 3, high: 3, tasks: 0 },
      { low: 4, high: 4, tasks: 1 },
      { low: 5, high: 5, tasks: 6 },
    ])
  })

  it('at most ten bars of equal width for a wide spread, every task in one', () => {
    const buckets = histogramBuckets(
      coverage([
        [0, 5],
        [7, 2],
        [50, 1],
        [99, 4],
      ]).counts,
    )
    expect(buckets).toHaveLength(10)
    expect(buckets[0]).toEqual({ low: 0, high: 9, tasks: 7 })
    expect(buckets[5]).toEqual({ low: 50, high: 59, tasks: 1 })
    expect(buckets.at(-1)).toEqual({ low: 90, high: 99, tasks: 4 })
    expect(buckets.reduce((sum, b) => sum + b.tasks, 0)).toBe(12)
  })

  it('no tasks, no bars', () => {
    expect(histogramBuckets([])).toEqual([])
  })
})

describe('bar', () => {
  it('in proportion to the fullest, and at least one block for any task', () => {
    expect(bar(10, 10)).toBe('█'.repeat(24))
    expect(bar(5, 10)).toBe('█'.repeat(12))
    expect(bar(1, 1000)).toBe('█')
    expect(bar(0, 10)).toBe('')
  })
})

describe('the summary section', () => {
  it('min, median, max, how many are below the minimum, and the bars', () => {
    const text = rendered(
      coverage([
        [1, 2],
        [3, 4],
        [4, 2],
      ]),
      3,
    )
    expect(text).toContain('Over 8 task(s): min 1, median 3, max 4. 2 below min-responses-per-task (3).')
    expect(text).toMatch(/^1\s+2\s+█{12}$/m)
    expect(text).toMatch(/^2\s+0$/m)
    expect(text).toMatch(/^3\s+4\s+█{24}$/m)
  })

  it('says so, and draws nothing, where some task cannot be counted', () => {
    const text = rendered(coverage([[3, 2]], 1))
    expect(text).toContain("1 of 3 task record(s) have no 'responses' array, so the responses per task cannot be told.")
    expect(text).not.toContain('█')
    expect(coverageLine(coverage([]), 0)).toBe('No tasks, so no responses per task.')
  })
})
