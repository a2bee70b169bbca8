// state-file and from: last-run through run(), in this process, with the time injected: what a
// run reads, what it sends, and what it leaves for the next one.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import {
  artifactEnv,
  type FakeArtifactService,
  startFakeArtifactService,
} from '../test-support/fake-artifact-service.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { runInProcess } from '../test-support/run-in-process.ts'
import { readRunnerLog } from '../test-support/runner-log.ts'
import { COVERAGE_PARTICIPANT, coverageArchive } from '../test-support/task-coverage-archive.ts'

const TOKEN = 'tok-run-memory-0123456789'
const NIGHT_1 = '2026-03-01T02:00:00.000Z'
const NIGHT_2 = '2026-03-02T02:00:00.000Z'
let fake: FakeProlific
let service: FakeArtifactService
let runs = 0
beforeAll(async () => {
  fake = await startFakeProlific({ token: TOKEN, archive: coverageArchive([2, 3]) })
  service = await startFakeArtifactService()
})
afterAll(async () => {
  await fake.close()
  await service.close()
})

interface State {
  batches: Record<string, Record<string, unknown> & { window: { from: string | null; to: string | null } }>
  collections: Record<string, unknown>
}

const stateFolder = () => mkdtempSync(join(tmpdir(), 'run-memory-'))
const readStateFile = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as State

async function night(at: string, inputs: Record<string, string>) {
  const requests = fake.requests.length
  const uploads = service.created.length
  const run = await runInProcess({
    inputs: {
      'batch-id': EXPORT_BATCH_ID,
      'api-url': fake.url,
      'poll-interval': '10ms',
      'artifact-name': `night-${++runs}.zip`,
      ...inputs,
    },
    env: { PROLIFIC_TOKEN: TOKEN, ...artifactEnv(service) },
    clock: fakeClock(Date.parse(at)),
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

describe('state-file', () => {
  it('first run: a full export, recorded with digests, counts, window and time; no secret, URL or participant', async () => {
    const path = join(stateFolder(), 'state', 'prolific.json')
    const { run, errors, posts } = await night(NIGHT_1, { 'state-file': path })
    expect(errors).toEqual([])
    expect(posts.map((r) => r.query)).toEqual([{}])
    expect(run.outputs).toMatchObject({ 'window-from': '', 'window-to': '' })
    const entry = readStateFile(path).batches[EXPORT_BATCH_ID]
    expect(entry).toEqual({
      'content-digest': run.outputs['content-digest'],
      sha256: run.outputs.sha256,
      'submission-count': 3,
      'task-count': 2,
      'file-count': 2,
      'instruction-count': 4,
      'min-task-responses': 2,
      'max-task-responses': 3,
      window: { from: null, to: null },
      'exported-at': NIGHT_1,
    })
    const text = readFileSync(path, 'utf8')
    for (const secret of [TOKEN, fake.url, '127.0.0.1', 'http', COVERAGE_PARTICIPANT, 'X-Amz']) {
      expect(text).not.toContain(secret)
    }
  })

  it('second run: the state supplies previous-digest, so an unchanged export is not uploaded; the file is still rewritten', async () => {
    const path = join(stateFolder(), 'prolific.json')
    await night(NIGHT_1, { 'state-file': path })
    const { run, uploads } = await night(NIGHT_2, { 'state-file': path })
    expect(run.code).toBe(0)
    expect(run.outputs.changed).toBe('false')
    expect(uploads).toBe(0)
    expect(run.outputs['artifact-id']).toBe('')
    expect(readStateFile(path).batches[EXPORT_BATCH_ID]?.['exported-at']).toBe(NIGHT_2)
  })

  it('an explicit previous-digest wins over the state', async () => {
    const path = join(stateFolder(), 'prolific.json')
    await night(NIGHT_1, { 'state-file': path })
    const { run, uploads } = await night(NIGHT_2, { 'state-file': path, 'previous-digest': 'c'.repeat(64) })
    expect(run.outputs.changed).toBe('true')
    expect(uploads).toBe(1)
  })

  it('keeps the entries of IDs this run did not export', async () => {
    const path = join(stateFolder(), 'prolific.json')
    await night(NIGHT_1, { 'state-file': path, 'batch-id': 'other-batch' })
    await night(NIGHT_2, { 'state-file': path })
    const state = readStateFile(path)
    expect(Object.keys(state.batches)).toEqual([EXPORT_BATCH_ID, 'other-batch'])
    expect(state.batches['other-batch']?.['exported-at']).toBe(NIGHT_1)
    expect(state.batches[EXPORT_BATCH_ID]?.['exported-at']).toBe(NIGHT_2)
  })

  it('a failed run leaves the state as it was', async () => {
    const path = join(stateFolder(), 'prolific.json')
    await night(NIGHT_1, { 'state-file': path })
    const before = readFileSync(path, 'utf8')
    const { run } = await night(NIGHT_2, { 'state-file': path, 'min-submissions': '10' })
    expect(run.code).toBe(1)
    expect(readFileSync(path, 'utf8')).toBe(before)
  })

  it('a corrupt state: a warning, a full export as on a first run, and a good state written after it', async () => {
    const path = join(stateFolder(), 'prolific.json')
    writeFileSync(path, '{"version":1,"batches":{"x":{"sha256":')
    const { run, warnings, uploads } = await night(NIGHT_1, { 'state-file': path, from: 'last-run' })
    expect(run.code).toBe(0)
    expect(warnings).toEqual([
      expect.stringMatching(/^The state file .*prolific\.json cannot be used \(it is not JSON\)/),
    ])
    expect(uploads).toBe(1)
    expect(readStateFile(path).batches[EXPORT_BATCH_ID]?.window).toEqual({ from: null, to: NIGHT_1 })
  })

  it('a state file that cannot be written: the outputs are set, then the step fails saying so', async () => {
    const dir = stateFolder()
    writeFileSync(join(dir, 'file'), '')
    const { run, errors } = await night(NIGHT_1, { 'state-file': join(dir, 'file', 'state.json') })
    expect(run.code).toBe(1)
    expect(run.outputs['content-digest']).toMatch(/^[0-9a-f]{64}$/)
    expect(errors).toEqual([expect.stringMatching(/^Could not write the state file .*The exports succeeded/)])
  })
})

describe('from: last-run', () => {
  it('the first run sends no from and the time of the request as to; the next starts there', async () => {
    const path = join(stateFolder(), 'prolific.json')
    const first = await night(NIGHT_1, { 'state-file': path, from: 'last-run' })
    expect(first.posts.map((r) => r.query)).toEqual([{ to: NIGHT_1 }])
    expect(first.run.outputs).toMatchObject({ 'window-from': '', 'window-to': NIGHT_1 })
    const second = await night(NIGHT_2, { 'state-file': path, from: 'last-run' })
    expect(second.posts.map((r) => r.query)).toEqual([{ from: NIGHT_1, to: NIGHT_2 }])
    expect(second.run.outputs).toMatchObject({ 'window-from': NIGHT_1, 'window-to': NIGHT_2 })
    expect(readStateFile(path).batches[EXPORT_BATCH_ID]?.window).toEqual({ from: NIGHT_1, to: NIGHT_2 })
  })

  it('an explicit to is sent and recorded as it is', async () => {
    const path = join(stateFolder(), 'prolific.json')
    const to = '2026-02-28T00:00:00Z'
    const { posts } = await night(NIGHT_1, { 'state-file': path, from: 'last-run', to })
    expect(posts.map((r) => r.query)).toEqual([{ to }])
    expect(readStateFile(path).batches[EXPORT_BATCH_ID]?.window.to).toBe(to)
  })

  it('an entry from a run without a window: a full export up to now', async () => {
    const path = join(stateFolder(), 'prolific.json')
    await night(NIGHT_1, { 'state-file': path })
    const { posts } = await night(NIGHT_2, { 'state-file': path, from: 'last-run' })
    expect(posts.map((r) => r.query)).toEqual([{ to: NIGHT_2 }])
  })

  it('a recorded to later than the to given: an input error before any request', async () => {
    const path = join(stateFolder(), 'prolific.json')
    await night(NIGHT_2, { 'state-file': path, from: 'last-run' })
    const { run, errors, posts } = await night(NIGHT_2, { 'state-file': path, from: 'last-run', to: NIGHT_1 })
    expect(run.code).toBe(1)
    expect(posts).toEqual([])
    expect(errors).toEqual([
      `The last run of batch ${EXPORT_BATCH_ID} exported up to ${NIGHT_2}, later than 'to' (${NIGHT_1}), so 'from: last-run' makes no window: set 'to' later, or leave it empty.`,
    ])
  })

  it('without state-file: an input error before any request', async () => {
    const { run, errors, posts } = await night(NIGHT_1, { from: 'last-run' })
    expect(run.code).toBe(1)
    expect(posts).toEqual([])
    expect(errors).toEqual([expect.stringMatching(/^Input 'from' is 'last-run', but 'state-file' is empty/)])
  })

  it('several IDs: each its own entry and window', async () => {
    const path = join(stateFolder(), 'prolific.json')
    await night(NIGHT_1, { 'state-file': path, from: 'last-run', 'batch-id': 'batch-a' })
    const { run, posts } = await night(NIGHT_2, {
      'state-file': path,
      from: 'last-run',
      'batch-id': 'batch-a\nbatch-b',
      'artifact-name': '',
      'upload-artifact': 'false',
    })
    expect(run.code).toBe(0)
    const sent = Object.fromEntries(posts.map((r) => [r.path.split('/')[5], r.query]))
    expect(sent).toEqual({ 'batch-a': { from: NIGHT_1, to: NIGHT_2 }, 'batch-b': { to: NIGHT_2 } })
    // The IDs' windows start apart: no one from to report for all of them.
    expect(run.outputs).toMatchObject({ 'window-from': '', 'window-to': NIGHT_2 })
    const results = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, unknown>>
    expect(results.map((r) => [r.id, r['window-from'], r['window-to']])).toEqual([
      ['batch-a', NIGHT_1, NIGHT_2],
      ['batch-b', '', NIGHT_2],
    ])
    const state = readStateFile(path)
    expect(state.batches['batch-a']?.window).toEqual({ from: NIGHT_1, to: NIGHT_2 })
    expect(state.batches['batch-b']?.window).toEqual({ from: null, to: NIGHT_2 })
    expect(existsSync(path)).toBe(true)
  })
})

describe('without state-file', () => {
  it('a window given as from and to: sent as written, and the window outputs say so', async () => {
    const window = { from: '2026-02-01T00:00:00Z', to: '2026-02-02T00:00:00+01:00' }
    const { run, posts } = await night(NIGHT_1, window)
    expect(run.code).toBe(0)
    expect(posts.map((r) => r.query)).toEqual([window])
    expect(run.outputs).toMatchObject({ 'window-from': window.from, 'window-to': window.to })
  })

  it('writes nothing and sends no window', async () => {
    const { run, posts } = await night(NIGHT_1, {})
    expect(run.code).toBe(0)
    expect(posts.map((r) => r.query)).toEqual([{}])
    expect(run.stdout).not.toContain('state file')
  })
})
