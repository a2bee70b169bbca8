// The bundled action, run as the runner runs it, against the fake Prolific API.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import archiver from 'archiver'
import { unzipSync } from 'fflate'
import { afterEach, describe, expect, it } from 'vitest'
import { buildExportArchive, EXPORT_BATCH_ID, submissionIds } from '../test-support/export-archive.ts'
import { type FakeProlific, type FakeProlificOptions, startFakeProlific } from '../test-support/fake-prolific.ts'
import { type ActionRun, maskedLog, runAction, type RunOptions } from '../test-support/run-action.ts'

let fake: FakeProlific | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

const TOKEN = 'tok-3f9a1c5e7b2d4f6a8c0e'

async function exportWith(
  fakeOptions: FakeProlificOptions = {},
  inputs: Record<string, string> = {},
  options: RunOptions = {},
) {
  fake = await startFakeProlific({ token: TOKEN, ...fakeOptions })
  const cwd = mkdtempSync(join(tmpdir(), 'e2e-'))
  const run = await runAction({
    cwd,
    ...options,
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '20ms', ...inputs },
    env: { PROLIFIC_TOKEN: TOKEN, ...options.env },
  })
  return { run, cwd, fake }
}

function errors(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
}

/** Secrets and participant data must not reach the log as shown, the outputs or the summary. */
function expectNothingLeaked(run: ActionRun, f: FakeProlific): void {
  const visible = [maskedLog(run), JSON.stringify(run.outputs), run.summary].join('\n')
  expect(visible).not.toContain(TOKEN)
  expect(visible).not.toMatch(/X-Amz-Signature=[0-9a-f]/)
  for (const id of submissionIds(3)) expect(visible).not.toContain(id)
  expect(run.stdout.indexOf(`::add-mask::${TOKEN}`)).toBe(0)
  expect(f.requests.filter((r) => r.route === 'download').every((r) => r.authorization === undefined)).toBe(true)
}

/** No file at path, no temporary file and no half-extracted folder beside it. */
function expectNothingLeftIn(folder: string): void {
  expect(readdirSync(folder).filter((name) => name !== 'output' && name !== 'summary')).toEqual([])
}

describe('the action, end to end', () => {
  it('exports, validates and reports with the newer API', async () => {
    const archive = buildExportArchive({ submissions: 3, tasks: 2, files: 2, instructions: 4 })
    const { run, cwd, fake: f } = await exportWith({ archive, pollsUntilComplete: 2 })
    expect(run.code).toBe(0)
    const { outputs } = run
    expect(outputs.path).toMatch(new RegExp(`^${cwd}/${EXPORT_BATCH_ID}-export-\\d{8}-\\d{6}\\.zip$`))
    expect(readFileSync(outputs.path ?? '').equals(archive)).toBe(true)
    expect(outputs).toMatchObject({
      'extract-path': '',
      'submission-count': '3',
      'task-count': '2',
      'file-count': '2',
      'instruction-count': '4',
      'size-bytes': String(archive.length),
      sha256: createHash('sha256').update(archive).digest('hex'),
      'export-id': f.jobs()[0]?.exportId,
      reused: 'false',
      'artifact-id': '',
      'artifact-url': '',
      'artifact-digest': '',
    })
    expect(f.jobs()[0]?.deleted).toBe(true) // delete-export defaults to true
    expect(run.stdout).toMatch(/::warning::Not running inside GitHub Actions.*upload was skipped/)
    // Validated as it downloaded: the Validate phase reports at once, without reading the file again.
    expect(run.stdout).toMatch(/validating as the bytes arrive/)
    expect(run.stdout).toMatch(/::group::Validate\nThe archive is valid: 7 entries, 3 submission/)
    expect(run.summary).toMatch(/<td>Submissions<\/td><td>3<\/td>/)
    expect(run.summary).toMatch(/Time per phase.*Request the export.*Download.*Validate/s)
    expectNothingLeaked(run, f)
    expect(readdirSync(cwd).filter((name) => name.startsWith('.'))).toEqual([])
  })

  it('takes an existing export from the older API: reused, no export id, nothing deleted', async () => {
    const { run, fake: f } = await exportWith({ generation: 'v1', existing: true })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ reused: 'true', 'export-id': '', 'submission-count': '3' })
    expect(f.requests.map((r) => r.route)).toEqual(['request', 'download'])
  })

  it('treats a server without the delete route as nothing to clean up', async () => {
    const { run, fake: f } = await exportWith({ generation: 'v1' })
    expect(run.code).toBe(0)
    expect(f.requests.at(-1)?.route).toBe('delete')
    expect(run.stdout).toContain('no route to delete export jobs')
    expect(run.stdout).not.toContain('::warning::Could not delete')
  })

  it('keeps the export job with delete-export: false', async () => {
    const { run, fake: f } = await exportWith({}, { 'delete-export': 'false' })
    expect(run.code).toBe(0)
    expect(f.requests.some((r) => r.route === 'delete')).toBe(false)
  })

  it('extracts into a folder beside the ZIP and writes into a path ending in /', async () => {
    const { run, cwd } = await exportWith({}, { path: 'exports/nightly/', extract: 'true' })
    expect(run.code).toBe(0)
    expect(dirname(run.outputs.path ?? '')).toBe(join(cwd, 'exports', 'nightly'))
    expect(run.outputs['extract-path']).toBe(run.outputs.path?.replace(/\.zip$/, ''))
    expect(readdirSync(join(run.outputs['extract-path'] ?? '', 'files'))).toHaveLength(2)
  })

  it('validates an archive with data descriptors from disk, and says why in the log', async () => {
    // The standard export, rewritten by a streaming writer that puts sizes after the data.
    const tree = mkdtempSync(join(tmpdir(), 'e2e-tree-'))
    for (const [name, data] of Object.entries(unzipSync(buildExportArchive()))) {
      const path = join(tree, 'x', name)
      mkdirSync(name.endsWith('/') ? path : dirname(path), { recursive: true })
      if (!name.endsWith('/')) writeFileSync(path, data)
    }
    const zip = archiver('zip')
    const chunks: Buffer[] = []
    zip.on('data', (chunk: Buffer) => chunks.push(chunk))
    zip.directory(join(tree, 'x'), false)
    await zip.finalize()
    const { run } = await exportWith({ archive: Buffer.concat(chunks) })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /::group::Validate\nReading the archive again to validate it: it has encrypted entries or sizes in a data descriptor/,
    )
    expect(run.outputs['submission-count']).toBe('3')
  })

  it('uses the token input before PROLIFIC_TOKEN, and a trailing / on api-url', async () => {
    fake = await startFakeProlific({ token: 'input-token-1234567' })
    const run = await runAction({
      inputs: { 'batch-id': 'b1', 'api-url': `${fake.url}/`, token: 'input-token-1234567', 'poll-interval': '20ms' },
      env: { PROLIFIC_TOKEN: 'other' },
    })
    expect(run.code).toBe(0)
    expect(maskedLog(run)).not.toContain('input-token-1234567')
  })
})

describe('the action, when it must fail', () => {
  it('fails at once on 401 with the status and the API own words, leaving nothing behind', async () => {
    const { run, cwd, fake: f } = await exportWith({ token: 'the-right-token' })
    expect(run.code).not.toBe(0)
    expect(errors(run)).toEqual([
      expect.stringMatching(/^::error::Prolific API answered HTTP 401 to POST .*Unauthorized: Invalid token/),
    ])
    expect(f.requests).toHaveLength(1)
    expect(run.outputs).toEqual({})
    expectNothingLeftIn(cwd)
  })

  it('fails on an invalid input before any request, naming it', async () => {
    const { run, fake: f } = await exportWith({}, { timeout: 'ten minutes' })
    expect(errors(run)).toEqual([
      expect.stringMatching(/Input 'timeout' is "ten minutes": expected a positive duration/),
    ])
    expect(f.requests).toHaveLength(0)
  })

  it('refuses to upload from a public repository before any request', async () => {
    const event = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json')
    writeFileSync(event, JSON.stringify({ repository: { private: false } }))
    const { run, fake: f } = await exportWith({}, {}, { env: { GITHUB_EVENT_PATH: event } })
    expect(errors(run)[0]).toMatch(/repository is public/)
    expect(f.requests).toHaveLength(0)
  })

  it('rejects an archive with a bad JSONL line, by file and line, keeping nothing', async () => {
    const archive = buildExportArchive({ replace: { 'responses-by-task.jsonl': '{"task_id":"t1"}\n{"task_id": \n' } })
    const { run, cwd, fake: f } = await exportWith({ archive }, { extract: 'true' })
    expect(errors(run)).toEqual([expect.stringMatching(/responses-by-task\.jsonl line 2 is not valid JSON/)])
    expectNothingLeftIn(cwd)
    expect(f.jobs()[0]?.deleted).toBe(false) // the export is not deleted when the data is not safe
  })

  it('rejects an unsafe archive and writes nothing outside (or inside) the target', async () => {
    const archive = buildExportArchive({ extra: [{ name: '../../escape.txt', data: 'x' }] })
    const { run, cwd } = await exportWith({ archive }, { extract: 'true' })
    expect(errors(run)[0]).toMatch(/archive is unsafe: .* climbs out/)
    expectNothingLeftIn(cwd)
    expect(existsSync(join(cwd, '..', 'escape.txt'))).toBe(false)
  })

  it('rejects an HTML page served as the download', async () => {
    const { run, cwd } = await exportWith({ archive: Buffer.from('<html><body>Maintenance</body></html>') })
    expect(errors(run)[0]).toMatch(/not a readable ZIP archive.*HTML/)
    expectNothingLeftIn(cwd)
  })

  it('fails min-submissions after setting the outputs, keeping the archive', async () => {
    const { run } = await exportWith({}, { 'min-submissions': '10' })
    expect(run.code).not.toBe(0)
    expect(errors(run)[0]).toMatch(/holds 3 submission record\(s\), fewer than min-submissions \(10\)/)
    expect(run.outputs['submission-count']).toBe('3')
    expect(existsSync(run.outputs.path ?? '')).toBe(true)
    expect(run.summary).toMatch(/Step failed/)
  })

  it('stops at the deadline when the export never finishes', async () => {
    const { run, cwd } = await exportWith(
      { pollsUntilComplete: 1_000_000 },
      { timeout: '1s', 'poll-interval': '100ms' },
    )
    expect(errors(run)).toEqual([
      expect.stringMatching(
        /timeout of 1s passed while (waiting for Prolific|polling the export)|while waiting for Prolific.* would pass the timeout of 1s/,
      ),
    ])
    expect(run.code).toBe(1) // exited by itself, not killed by runAction's safety net
    expectNothingLeftIn(cwd)
  })

  it('requests a failed export again, at most twice more', async () => {
    const { run, fake: f } = await exportWith({ failJobs: 3 })
    expect(errors(run)[0]).toMatch(/failed 3 times in a row/)
    expect(f.requests.filter((r) => r.route === 'request')).toHaveLength(3)
  })

  it('retries a 503, then succeeds', async () => {
    fake = await startFakeProlific({ token: TOKEN })
    fake.script('request', {
      status: 503,
      body: { error: { status: 503, error_code: 1, title: 'Unavailable', detail: 'x' } },
    })
    const run = await runAction({
      inputs: { 'batch-id': 'b1', 'api-url': fake.url, 'poll-interval': '20ms' },
      env: { PROLIFIC_TOKEN: TOKEN },
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Requesting the export failed \(Prolific API answered HTTP 503.*Unavailable/)
  })
})
