// min-responses-per-task through run(), in this process: the gate, its outputs and summary, with
// one export and several, and the cases where the responses per task cannot be told.
import { existsSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildCollectionArchive } from '../test-support/collection-archive.ts'
import {
  artifactEnv,
  type FakeArtifactService,
  startFakeArtifactService,
} from '../test-support/fake-artifact-service.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { runInProcess } from '../test-support/run-in-process.ts'
import { readRunnerLog } from '../test-support/runner-log.ts'
import { summaryAsText } from '../test-support/summary-text.ts'
import { COVERAGE_PARTICIPANT, coverageArchive } from '../test-support/task-coverage-archive.ts'

const TOKEN = 'tok-coverage-gate-0123456789'
const BATCH = '67a1b2c3d4e5f60718293a4b'
let fake: FakeProlific | undefined
let service: FakeArtifactService
beforeAll(async () => {
  service = await startFakeArtifactService()
})
afterAll(async () => service.close())
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function exportWith(archive: Buffer | (() => Buffer), inputs: Record<string, string> = {}) {
  fake = await startFakeProlific({ token: TOKEN, archive, collectionArchive: buildCollectionArchive() })
  const created = service.created.length
  const run = await runInProcess({
    inputs: {
      'batch-id': BATCH,
      'api-url': fake.url,
      'poll-interval': '10ms',
      'artifact-name': `coverage-${service.created.length}.zip`,
      ...inputs,
    },
    env: { PROLIFIC_TOKEN: TOKEN, ...artifactEnv(service) },
  })
  const log = readRunnerLog(run.stdout)
  const errors = log.commands.filter((c) => c.name === 'error').map((c) => c.data)
  const warnings = log.commands.filter((c) => c.name === 'warning').map((c) => c.data)
  return { run, errors, warnings, uploaded: service.created.length - created, requests: fake.requests }
}

describe('min-responses-per-task, one batch', () => {
  const archive = coverageArchive([3, 1, 4, 1, 5])

  it('unset: no gate, but the fewest and most responses per task, and the distribution in the summary', async () => {
    const { run, errors } = await exportWith(archive)
    expect(errors).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      'min-task-responses': '1',
      'max-task-responses': '5',
      'tasks-below-minimum': '',
    })
    const summary = summaryAsText(run.summary)
    expect(summary).toContain('Responses per task')
    expect(summary).toContain('Over 5 task(s): min 1, median 3, max 5.')
    expect(summary).toMatch(/^1\s+2\s+█+$/m)
    // The log says it too, for whoever reads the run rather than its summary.
    expect(readRunnerLog(run.stdout).shown).toContain('Responses per task: min 1, median 3, max 5 over 5 task(s).')
  })

  it('met: the step succeeds, saying how many are below (none)', async () => {
    const { run, errors } = await exportWith(archive, { 'min-responses-per-task': '1' })
    expect(errors).toEqual([])
    expect(run.outputs['tasks-below-minimum']).toBe('0')
  })

  it('not met: archive kept, uploaded and outputs set, then the step fails naming the tasks and the fewest', async () => {
    const { run, errors, uploaded } = await exportWith(archive, { 'min-responses-per-task': '3' })
    expect(run.code).toBe(1)
    expect(errors).toEqual([
      expect.stringMatching(
        /^2 of 5 task\(s\) have fewer responses than min-responses-per-task \(3\); the fewest has 1\. It is kept at .*\.zip and the outputs are set\.$/,
      ),
    ])
    expect(existsSync(run.outputs.path ?? '')).toBe(true)
    expect(uploaded).toBe(1)
    expect(run.outputs['artifact-id']).not.toBe('')
    expect(run.outputs).toMatchObject({
      'min-task-responses': '1',
      'max-task-responses': '5',
      'tasks-below-minimum': '2',
    })
    expect(summaryAsText(run.summary)).toContain('2 below min-responses-per-task (3).')
  })

  it('never shows a participant: not in the log, the outputs or the summary', async () => {
    const { run } = await exportWith(archive, { 'min-responses-per-task': '3' })
    expect(run.stdout).not.toContain(COVERAGE_PARTICIPANT)
    expect(run.summary).not.toContain(COVERAGE_PARTICIPANT)
    expect(JSON.stringify(run.outputs)).not.toContain(COVERAGE_PARTICIPANT)
  })
})

describe('responses per task that cannot be told', () => {
  const untold = coverageArchive([2, null, 2, null])

  it('a warning, empty outputs, and no gate asked for: the step succeeds', async () => {
    const { run, errors, warnings } = await exportWith(untold)
    expect(errors).toEqual([])
    expect(warnings).toEqual([
      expect.stringMatching(/^2 record\(s\) in responses-by-task\.jsonl have no 'responses' array \(first on line 2\)/),
    ])
    expect(run.outputs).toMatchObject({ 'task-count': '4', 'min-task-responses': '', 'max-task-responses': '' })
    expect(summaryAsText(run.summary)).toContain("2 of 4 task record(s) have no 'responses' array")
  })

  it('a gate asked for fails rather than passes, after the archive is kept', async () => {
    const { run, errors, uploaded } = await exportWith(untold, { 'min-responses-per-task': '1' })
    expect(run.code).toBe(1)
    expect(errors).toEqual([
      expect.stringMatching(
        /^min-responses-per-task \(1\) cannot be checked: 2 task record\(s\) of responses-by-task\.jsonl have no 'responses' array to count \(first on line 2\)\. It is kept at /,
      ),
    ])
    expect(uploaded).toBe(1)
    expect(run.outputs['tasks-below-minimum']).toBe('')
  })

  it('with strict: an error, and no archive kept', async () => {
    const { run, errors } = await exportWith(untold, { strict: 'true' })
    expect(run.code).toBe(1)
    expect(errors).toEqual([expect.stringMatching(/strict is on.*have no 'responses' array/)])
    expect(run.outputs.path).toBeUndefined()
  })
})

describe('min-responses-per-task with collections and several batches', () => {
  it('above 0 with collection-id: an input error before any request', async () => {
    const { run, errors, requests } = await exportWith(coverageArchive([1]), {
      'batch-id': '',
      'collection-id': 'col-1',
      'min-responses-per-task': '2',
    })
    expect(run.code).toBe(1)
    expect(errors).toEqual([
      "Input 'min-responses-per-task' is 2, but a collection has no tasks: it applies to batches only. Leave it at 0 with 'collection-id'.",
    ])
    expect(requests).toHaveLength(0)
  })

  it('a collection: the coverage outputs are empty', async () => {
    const { run } = await exportWith(coverageArchive([1]), { 'batch-id': '', 'collection-id': 'col-1' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ 'min-task-responses': '', 'max-task-responses': '', 'tasks-below-minimum': '' })
  })

  it('several IDs: min of the mins, max of the maxes, sum of the counts, and each its own in results', async () => {
    const archives = [coverageArchive([2, 4]), coverageArchive([1, 6, 3])]
    let next = 0
    const { run } = await exportWith(() => archives[next++ % 2] as Buffer, {
      'batch-id': 'batch-a,batch-b',
      concurrency: '1',
      'artifact-name': '',
      // Default artifact names hold the second: two tests in one second would collide.
      'upload-artifact': 'false',
      'min-responses-per-task': '3',
    })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({
      'min-task-responses': '1',
      'max-task-responses': '6',
      'tasks-below-minimum': '2',
    })
    const results = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, unknown>>
    // Which ID gets which archive depends on which download the fake serves first: compare as sets.
    const each = results.map((r) => [r['min-task-responses'], r['max-task-responses'], r['tasks-below-minimum']])
    expect(each.sort()).toEqual([
      [1, 6, 1],
      [2, 4, 1],
    ])
    const summary = summaryAsText(run.summary)
    expect(summary).toContain('Responses per task: batch-a')
    expect(summary).toContain('Responses per task: batch-b')
  })

  it('several IDs, one of which cannot be told: the combined outputs are empty', async () => {
    const archives = [coverageArchive([2, 4]), coverageArchive([1, null])]
    let next = 0
    const { run } = await exportWith(() => archives[next++ % 2] as Buffer, {
      'batch-id': 'batch-a,batch-b',
      concurrency: '1',
      'artifact-name': '',
      // Default artifact names hold the second: two tests in one second would collide.
      'upload-artifact': 'false',
      'min-responses-per-task': '1',
    })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ 'min-task-responses': '', 'max-task-responses': '', 'tasks-below-minimum': '' })
    const results = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, unknown>>
    expect(results.map((r) => [r.status, r['tasks-below-minimum']]).sort()).toEqual([
      ['failed', null],
      ['success', 0],
    ])
  })
})
