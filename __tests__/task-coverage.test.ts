// Responses per task, counted as responses-by-task.jsonl is checked: during the download and from disk alike.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { coverageFigures, TaskCoverage, tasksBelow } from '../src/archive/task-coverage.ts'
import { validateArchive } from '../src/archive/validate.ts'
import { Deadline } from '../src/core/deadline.ts'
import { buildCollectionArchive } from '../test-support/collection-archive.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { scanBytes } from '../test-support/scan-harness.ts'
import { coverageArchive } from '../test-support/task-coverage-archive.ts'

function counted(lines: Array<Record<string, unknown>>) {
  const coverage = new TaskCoverage()
  lines.forEach((record, i) => coverage.add(record, i + 1))
  return coverage.finish()
}

const responses = (n: number) => ({ responses: Array.from({ length: n }, () => ({})) })

async function fromDisk(bytes: Buffer, strict = false) {
  const path = join(mkdtempSync(join(tmpdir(), 'coverage-')), 'export.zip')
  writeFileSync(path, bytes)
  return validateArchive(path, { strict, deadline: new Deadline(fakeClock(), 60_000) })
}

describe('TaskCoverage', () => {
  it('keeps how many tasks have each count, fewest first', () => {
    expect(counted([responses(3), responses(1), responses(3), responses(0)])).toEqual({
      counts: [
        { responses: 0, tasks: 1 },
        { responses: 1, tasks: 1 },
        { responses: 3, tasks: 2 },
      ],
      untold: 0,
      firstUntoldLine: 0,
    })
  })

  it('holds one entry per distinct count, not one per task: 100,000 tasks, ten entries', () => {
    const coverage = new TaskCoverage()
    const arrays = Array.from({ length: 10 }, (_, n) => responses(n))
    for (let line = 1; line <= 100_000; line++) coverage.add(arrays[line % 10] as Record<string, unknown>, line)
    const { counts } = coverage.finish()
    expect(counts).toHaveLength(10)
    expect(counts.every((each) => each.tasks === 10_000)).toBe(true)
  })

  it('notes lines whose responses cannot be counted: no array, or something else under the name', () => {
    const coverage = counted([responses(2), {}, { responses: 'many' }, { responses: { length: 3 } }])
    expect(coverage.untold).toBe(3)
    expect(coverage.firstUntoldLine).toBe(2)
    expect(coverageFigures(coverage)).toEqual({ tasks: 4, min: undefined, median: undefined, max: undefined })
    expect(tasksBelow(coverage, 1)).toBeUndefined()
  })

  it('gives min, median (the mean of the two middles for an even count) and max', () => {
    expect(coverageFigures(counted([responses(5), responses(1), responses(9)]))).toEqual({
      tasks: 3,
      min: 1,
      median: 5,
      max: 9,
    })
    expect(coverageFigures(counted([responses(4), responses(1), responses(2), responses(9)])).median).toBe(3)
    expect(coverageFigures(counted([]))).toEqual({ tasks: 0, min: undefined, median: undefined, max: undefined })
  })

  it('counts the tasks under a minimum', () => {
    const coverage = counted([responses(0), responses(2), responses(3), responses(2)])
    expect(tasksBelow(coverage, 3)).toBe(3)
    expect(tasksBelow(coverage, 0)).toBe(0)
  })
})

describe('responses per task in the archive report', () => {
  const archive = coverageArchive([3, 1, 4, 1, 5])

  it('from disk', async () => {
    const report = await fromDisk(archive)
    expect(report.tasks).toBe(5)
    expect(report.taskResponses?.counts).toEqual([
      { responses: 1, tasks: 2 },
      { responses: 3, tasks: 1 },
      { responses: 4, tasks: 1 },
      { responses: 5, tasks: 1 },
    ])
    expect(report.warnings).toEqual([])
  })

  it('during the download, in chunks that split lines, with the same result', async () => {
    const scanned = await scanBytes(archive, { chunk: 7 })
    expect('report' in scanned && scanned.report.taskResponses).toEqual((await fromDisk(archive)).taskResponses)
  })

  it('a line without the array: a warning naming the line, or an error with strict', async () => {
    const untold = coverageArchive([2, null, 2])
    const report = await fromDisk(untold)
    expect(report.taskResponses).toMatchObject({ untold: 1, firstUntoldLine: 2 })
    expect(report.warnings).toEqual([
      expect.stringMatching(/^1 record\(s\) in responses-by-task\.jsonl have no 'responses' array \(first on line 2\)/),
    ])
    await expect(fromDisk(untold, true)).rejects.toThrow(/strict is on.*no 'responses' array \(first on line 2\)/)
  })

  it('a collection has no tasks to count', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'coverage-')), 'collection.zip')
    writeFileSync(path, buildCollectionArchive())
    const report = await validateArchive(path, {
      strict: true,
      kind: 'collection',
      deadline: new Deadline(fakeClock(), 60_000),
    })
    expect(report.taskResponses).toBeUndefined()
  })
})
