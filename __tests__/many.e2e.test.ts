// Several batches in one step, collections, and the export-job slots, run as the runner runs
// the action against the fake Prolific API.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { COLLECTION_ID } from '../test-support/collection-archive.ts'
import { type FakeProlific, type FakeProlificOptions, startFakeProlific } from '../test-support/fake-prolific.ts'
import { type ActionRun, runAction } from '../test-support/run-action.ts'

let fake: FakeProlific | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

const TOKEN = 'many-token-123456'

async function exportWith(inputs: Record<string, string>, options: FakeProlificOptions = {}) {
  fake = await startFakeProlific({ token: TOKEN, ...options })
  const run = await runAction({
    inputs: { 'api-url': fake.url, 'poll-interval': '40ms', ...inputs },
    env: { PROLIFIC_TOKEN: TOKEN },
  })
  return { run, fake }
}

const errors = (run: ActionRun) => run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
const idOf = (path: string) => /\/(?:batches|collections)\/([^/]+)\/export/.exec(path)?.[1] ?? ''

/** The most exports that had work in flight at one moment: from each one's first request to its download. */
function mostInFlight(f: FakeProlific): number {
  const spans = new Map<string, [number, number]>()
  for (const request of f.requests) {
    if (request.route === 'download' || request.route === 'delete') continue
    const id = idOf(request.path)
    const span = spans.get(id) ?? [request.at, request.at]
    spans.set(id, [Math.min(span[0], request.at), Math.max(span[1], request.at)])
  }
  const edges = [...spans.values()].flatMap(([start, end]) => [
    [start, 1],
    [end, -1],
  ])
  edges.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0))
  let now = 0
  let most = 0
  for (const [, step] of edges) most = Math.max(most, (now += step ?? 0))
  return most
}

describe('several batches in one step', () => {
  it('exports each into its own ZIP, at most `concurrency` at a time, with results and totals', async () => {
    const { run, fake: f } = await exportWith(
      { 'batch-id': 'b1\nb2, b3\nb4', concurrency: '2' },
      { pollsUntilComplete: 3 },
    )
    expect(run.code).toBe(0)
    const results = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, unknown>>
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['b1', 'success'],
      ['b2', 'success'],
      ['b3', 'success'],
      ['b4', 'success'],
    ])
    for (const result of results) {
      const zip = readFileSync(String(result.path))
      expect(result.sha256).toBe(createHash('sha256').update(zip).digest('hex'))
      expect(result['submission-count']).toBe(3)
    }
    expect(new Set(results.map((r) => r.path)).size).toBe(4)
    expect(run.outputs['submission-count']).toBe('12') // a total
    expect(run.outputs['task-count']).toBe('8')
    expect(mostInFlight(f)).toBe(2)
    expect(run.summary).toMatch(/Prolific export of 4 batches/)
    expect(run.summary.match(/<td>b\d<\/td><td>ok<\/td>/g)).toHaveLength(4)
  })

  it('bounds the work in flight to 1 with concurrency: 1', async () => {
    const { run, fake: f } = await exportWith({ 'batch-id': 'b1,b2,b3', concurrency: '1' }, { pollsUntilComplete: 2 })
    expect(run.code).toBe(0)
    expect(mostInFlight(f)).toBe(1)
  })

  it('lets the others finish when one fails, then fails the step naming it', async () => {
    const { run } = await exportWith({ 'batch-id': 'b1,missing,b3' })
    expect(run.code).not.toBe(0)
    const results = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, unknown>>
    expect(results.map((r) => r.status)).toEqual(['success', 'failed', 'success'])
    expect(String(results[1]?.error)).toMatch(/HTTP 404/)
    expect(existsSync(String(results[0]?.path))).toBe(true)
    expect(existsSync(String(results[2]?.path))).toBe(true)
    expect(errors(run)).toEqual([
      expect.stringMatching(/^::error::1 of 3 exports failed: missing: Prolific API answered HTTP 404/),
    ])
  })

  it('keeps the outputs of a single ID exactly as before: no results', async () => {
    const { run } = await exportWith({ 'batch-id': 'b1' })
    expect(run.code).toBe(0)
    expect(run.outputs.results).toBeUndefined()
    expect(run.outputs['submission-count']).toBe('3')
  })
})

describe('collections', () => {
  it('exports a collection: its own API path and archive layout', async () => {
    const { run, fake: f } = await exportWith({ 'batch-id': '', 'collection-id': COLLECTION_ID })
    expect(run.code).toBe(0)
    expect(f.requests[0]?.path).toBe(`/api/v1/data-collection/collections/${COLLECTION_ID}/export`)
    expect(Number(run.outputs['submission-count'])).toBeGreaterThan(0)
    expect(run.outputs['task-count']).toBe('')
    expect(run.summary).toContain(`Prolific export of collection ${COLLECTION_ID}`)
  })
})
