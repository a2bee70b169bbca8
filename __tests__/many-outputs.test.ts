// The step's outputs with several IDs, from run() in src/, in this process.
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { runInProcess } from '../test-support/run-in-process.ts'

let fake: FakeProlific | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

describe('several IDs: the totals', () => {
  it('collections have no tasks: the total task-count stays empty, not 0', async () => {
    fake = await startFakeProlific({ token: 'many-token-123456' })
    const run = await runInProcess({
      inputs: { 'collection-id': 'col1, col2', 'batch-id': '', 'api-url': fake.url, 'poll-interval': '10ms' },
      env: { PROLIFIC_TOKEN: 'many-token-123456' },
    })
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['task-count']).toBe('')
    const results = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, unknown>>
    expect(results.map((r) => r['task-count'])).toEqual([null, null])
    expect(Number(run.outputs['submission-count'])).toBe(
      results.reduce((sum, r) => sum + Number(r['submission-count']), 0),
    )
  })

  it('batches: the total task-count is the sum', async () => {
    fake = await startFakeProlific({ token: 'many-token-123456' })
    const run = await runInProcess({
      inputs: { 'batch-id': 'b1\nb2', 'api-url': fake.url, 'poll-interval': '10ms' },
      env: { PROLIFIC_TOKEN: 'many-token-123456' },
    })
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['task-count']).toBe('4')
  })
})
