// dist/index.js against the fake API: the per-task coverage gate, and the state file across runs
// (previous digest, from: last-run, several IDs, a corrupt file). A few runs only: each costs ~1 s.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  artifactEnv,
  type FakeArtifactService,
  startFakeArtifactService,
} from '../test-support/fake-artifact-service.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { runAction } from '../test-support/run-action.ts'
import { readRunnerLog } from '../test-support/runner-log.ts'
import { summaryAsText } from '../test-support/summary-text.ts'
import { COVERAGE_PARTICIPANT, coverageArchive } from '../test-support/task-coverage-archive.ts'

const TOKEN = 'tok-coverage-state-e2e-0123456789'
const BATCH = '67a1b2c3d4e5f60718293a4b'
let fake: FakeProlific
let service: FakeArtifactService
let runs = 0
beforeAll(async () => {
  fake = await startFakeProlific({ token: TOKEN, archive: coverageArchive([3, 1, 4, 1, 5]) })
  service = await startFakeArtifactService()
})
afterAll(async () => {
  await fake.close()
  await service.close()
})

async function exportOnce(inputs: Record<string, string>) {
  const requests = fake.requests.length
  const uploads = service.created.length
  const run = await runAction({
    inputs: {
      'batch-id': BATCH,
      'api-url': fake.url,
      'poll-interval': '20ms',
      'artifact-name': `e2e-${++runs}.zip`,
      ...inputs,
    },
    env: { PROLIFIC_TOKEN: TOKEN, ...artifactEnv(service) },
  })
  const log = readRunnerLog(run.stdout)
  return {
    run,
    errors: log.commands.filter((c) => c.name === 'error').map((c) => c.data),
    warnings: log.commands.filter((c) => c.name === 'warning').map((c) => c.data),
    posts: fake.requests.slice(requests).filter((r) => r.route === 'request'),
    uploads: service.created.length - uploads,
  }
}

const stateFile = () => join(mkdtempSync(join(tmpdir(), 'coverage-state-e2e-')), 'state.json')
type Entry = { 'content-digest': string; window: { from: string | null; to: string | null } }
const entries = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { batches: Record<string, Entry> }).batches

describe('min-responses-per-task, on dist/index.js', () => {
  it('not met: the archive kept and uploaded, the outputs set, then the step fails', async () => {
    const { run, errors, uploads } = await exportOnce({ 'min-responses-per-task': '3' })
    expect(run.code).toBe(1)
    expect(errors).toEqual([
      expect.stringMatching(
        /^2 of 5 task\(s\) have fewer responses than min-responses-per-task \(3\); the fewest has 1\./,
      ),
    ])
    expect(existsSync(run.outputs.path ?? '')).toBe(true)
    expect(uploads).toBe(1)
    expect(run.outputs).toMatchObject({
      'min-task-responses': '1',
      'max-task-responses': '5',
      'tasks-below-minimum': '2',
    })
    const summary = summaryAsText(run.summary)
    expect(summary).toContain('Over 5 task(s): min 1, median 3, max 5. 2 below min-responses-per-task (3).')
    expect(summary).toMatch(/^1\s+2\s+█+$/m)
    expect(`${run.stdout}${run.summary}`).not.toContain(COVERAGE_PARTICIPANT)
  })

  it('met: the step succeeds with the same figures and none below', async () => {
    const { run, errors } = await exportOnce({ 'min-responses-per-task': '1' })
    expect(errors).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      'min-task-responses': '1',
      'max-task-responses': '5',
      'tasks-below-minimum': '0',
    })
  })

  it('cannot be told: a warning, empty outputs, and the gate fails rather than passes', async () => {
    fake.setArchive(coverageArchive([2, null, 2]))
    try {
      const { run, errors, warnings } = await exportOnce({ 'min-responses-per-task': '1' })
      expect(run.code).toBe(1)
      expect(warnings).toEqual([
        expect.stringMatching(/^1 record\(s\) in responses-by-task\.jsonl have no 'responses' array/),
      ])
      expect(errors).toEqual([expect.stringMatching(/^min-responses-per-task \(1\) cannot be checked/)])
      expect(existsSync(run.outputs.path ?? '')).toBe(true)
      expect(run.outputs).toMatchObject({
        'min-task-responses': '',
        'max-task-responses': '',
        'tasks-below-minimum': '',
      })
    } finally {
      fake.setArchive(coverageArchive([3, 1, 4, 1, 5]))
    }
  })
})

describe('state-file, on dist/index.js', () => {
  it('two nightly runs: the second asks from the first one’s to, sees changed=false and uploads nothing', async () => {
    const path = stateFile()
    const first = await exportOnce({ 'state-file': path, from: 'last-run' })
    expect(first.run.code).toBe(0)
    expect(first.uploads).toBe(1)
    const firstTo = first.posts[0]?.query.to ?? ''
    expect(firstTo).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(first.posts.map((r) => r.query)).toEqual([{ to: firstTo }])
    expect(first.run.outputs).toMatchObject({ 'window-from': '', 'window-to': firstTo })

    const second = await exportOnce({ 'state-file': path, from: 'last-run' })
    expect(second.run.code).toBe(0)
    const secondTo = second.posts[0]?.query.to ?? ''
    expect(second.posts.map((r) => r.query)).toEqual([{ from: firstTo, to: secondTo }])
    expect(Date.parse(secondTo)).toBeGreaterThanOrEqual(Date.parse(firstTo))
    expect(second.run.outputs).toMatchObject({ changed: 'false', 'artifact-id': '', 'window-from': firstTo })
    expect(second.uploads).toBe(0)
    expect(entries(path)[BATCH]?.window).toEqual({ from: firstTo, to: secondTo })
    const text = readFileSync(path, 'utf8')
    for (const secret of [TOKEN, fake.url, 'X-Amz', COVERAGE_PARTICIPANT]) expect(text).not.toContain(secret)
  })

  it('several IDs keep separate entries: each its own window and digest', async () => {
    const path = stateFile()
    const first = await exportOnce({ 'state-file': path, from: 'last-run', 'batch-id': 'batch-a' })
    const firstTo = first.posts[0]?.query.to ?? ''
    const { run, posts } = await exportOnce({
      'state-file': path,
      from: 'last-run',
      'batch-id': 'batch-a,batch-b',
      'artifact-name': '',
      'upload-artifact': 'false',
    })
    expect(run.code).toBe(0)
    const secondTo = posts[0]?.query.to ?? ''
    const sent = Object.fromEntries(posts.map((r) => [r.path.split('/')[5], r.query]))
    expect(sent).toEqual({ 'batch-a': { from: firstTo, to: secondTo }, 'batch-b': { to: secondTo } })
    const results = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, string>>
    const state = entries(path)
    expect(Object.keys(state)).toEqual(['batch-a', 'batch-b'])
    expect(state['batch-a']?.window).toEqual({ from: firstTo, to: secondTo })
    expect(state['batch-b']?.window).toEqual({ from: null, to: secondTo })
    for (const result of results) expect(state[result.id ?? '']?.['content-digest']).toBe(result['content-digest'])
  })

  it('a corrupt state file: a warning, a first run, and a good state after it', async () => {
    const path = stateFile()
    writeFileSync(path, 'not json at all')
    const { run, warnings, uploads } = await exportOnce({ 'state-file': path })
    expect(run.code).toBe(0)
    expect(warnings).toEqual([expect.stringMatching(/^The state file .*state\.json cannot be used \(it is not JSON\)/)])
    expect(uploads).toBe(1)
    expect(entries(path)[BATCH]?.['content-digest']).toBe(run.outputs['content-digest'])
  })
})
