// run() from src/, in this process, against the fake API: the story of one export as the step
// tells it (outputs, summary, failure). A change in src/ fails here without a rebuild.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { buildExportArchive, EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { runInProcess } from '../test-support/run-in-process.ts'
import { readRunnerLog } from '../test-support/runner-log.ts'

const TOKEN = 'tok-run-in-process-0123456789'
let fake: FakeProlific | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function exportOnce(inputs: Record<string, string> = {}) {
  const archive = buildExportArchive({ submissions: 3, tasks: 2, files: 2 })
  fake = await startFakeProlific({ token: TOKEN, archive })
  const run = await runInProcess({
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '10ms', ...inputs },
    env: { PROLIFIC_TOKEN: TOKEN },
  })
  return { run, archive, fake }
}

describe('run(), one export', () => {
  it('sets every output, writes the summary and succeeds', async () => {
    const { run, archive, fake: f } = await exportOnce()
    expect(run.code, run.stdout).toBe(0)
    expect(readFileSync(run.outputs.path ?? '').equals(archive)).toBe(true)
    expect(run.outputs).toMatchObject({
      'submission-count': '3',
      'task-count': '2',
      'file-count': '2',
      sha256: createHash('sha256').update(archive).digest('hex'),
      'export-id': f.jobs()[0]?.exportId,
      reused: 'false',
      changed: 'true',
      'artifact-id': '',
    })
    expect(run.summary).toContain(`Prolific export of batch ${EXPORT_BATCH_ID}`)
    expect(run.summary).toContain('not uploaded (not running inside GitHub Actions)')
    expect(readRunnerLog(run.stdout).commands.filter((c) => c.name === 'error')).toEqual([])
  })

  it('with too few submissions: keeps the archive, sets the outputs, then fails the step saying so', async () => {
    const { run } = await exportOnce({ 'min-submissions': '5' })
    expect(run.code).toBe(1)
    expect(run.outputs['submission-count']).toBe('3')
    expect(readFileSync(run.outputs.path ?? '').length).toBeGreaterThan(0)
    const errors = readRunnerLog(run.stdout).commands.filter((c) => c.name === 'error')
    expect(errors.map((e) => e.data)).toEqual([
      expect.stringMatching(
        /^The archive holds 3 submission record\(s\), fewer than min-submissions \(5\)\. It is kept at /,
      ),
    ])
    expect(run.summary).toContain('<strong>Step failed:</strong> The archive holds 3 submission record(s)')
  })

  it('a failure before the archive is in place: no outputs, no summary, one error', async () => {
    const { run } = await exportOnce({ 'batch-id': 'missing' })
    expect(run.code).toBe(1)
    expect(run.outputs.path).toBeUndefined()
    expect(run.summary).toBe('')
    expect(readRunnerLog(run.stdout).commands.filter((c) => c.name === 'error')).toHaveLength(1)
  })
})
