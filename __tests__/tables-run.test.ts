// `tables` through run(deps), against the fake Prolific API and the fake artifact service: the
// output, the folder beside the ZIP, the second artifact and what encrypt-to does to it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildExportArchive, EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import {
  artifactEnv,
  type FakeArtifactService,
  startFakeArtifactService,
} from '../test-support/fake-artifact-service.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { runInProcess } from '../test-support/run-in-process.ts'
import { buildTablesArchive, HOSTILE_TEXTS } from '../test-support/tables-archive.ts'

const TOKEN = 'tables-token-12345'
let prolific: FakeProlific
let service: FakeArtifactService
beforeAll(async () => {
  prolific = await startFakeProlific({ token: TOKEN, archive: buildTablesArchive(2).zip })
  service = await startFakeArtifactService()
})
afterAll(async () => {
  await prolific.close()
  await service.close()
})

function exportWith(inputs: Record<string, string>, env: Record<string, string | undefined> = {}) {
  return runInProcess({
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': prolific.url, 'poll-interval': '10ms', ...inputs },
    env: { PROLIFIC_TOKEN: TOKEN, ...artifactEnv(service), ...env },
  })
}

const TABLE_FILES = [
  'files.csv',
  'files.parquet',
  'instructions.csv',
  'instructions.parquet',
  'responses.csv',
  'responses.parquet',
]

/** The files of a zipped artifact, by name. */
const unzipped = (bytes: Buffer) => unzipSync(new Uint8Array(bytes))

function publicEvent(): string {
  const event = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json')
  writeFileSync(event, JSON.stringify({ repository: { private: false } }))
  return event
}

describe('tables in a run', () => {
  it('writes the tables beside the ZIP, sets tables-path and uploads <artifact-name without .zip>-tables', async () => {
    const run = await exportWith({ tables: 'csv, parquet', 'artifact-name': 'study.zip' })
    expect(run.code, run.stdout).toBe(0)
    const zipPath = run.outputs.path ?? ''
    expect(run.outputs['tables-path']).toBe(`${zipPath.slice(0, -'.zip'.length)}-tables`)
    const folder = run.outputs['tables-path'] ?? ''
    expect(readdirSync(folder).sort()).toEqual(TABLE_FILES)
    expect(service.created.map((artifact) => artifact.name)).toContain('study-tables')
    const files = unzipped(service.blob('study-tables')?.bytes ?? Buffer.alloc(0))
    expect(Object.keys(files).sort()).toEqual(TABLE_FILES)
    for (const name of TABLE_FILES)
      expect(Buffer.from(files[name] ?? []).equals(readFileSync(join(folder, name)))).toBe(true)
    // The ZIP's own artifact is unchanged: the ZIP byte for byte.
    expect(service.blob('study.zip')?.bytes.equals(readFileSync(zipPath))).toBe(true)
    // Participant data never reaches the log: not one answer.
    for (const text of HOSTILE_TEXTS.filter((t) => t.length > 6)) expect(run.stdout).not.toContain(text)
    expect(run.stdout).toMatch(
      /Made the tables \(csv, parquet\) in .*: 56 response\(s\), 3 instruction\(s\), 3 file\(s\)\./,
    )
  })

  it('makes no tables by default: tables-path is empty and only the ZIP is uploaded', async () => {
    const run = await exportWith({ 'artifact-name': 'plain-default.zip' })
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['tables-path']).toBe('')
    expect(existsSync(`${(run.outputs.path ?? '').slice(0, -4)}-tables`)).toBe(false)
    expect(service.created.map((artifact) => artifact.name)).not.toContain('plain-default-tables')
  })

  it('refuses a format it does not make, naming the input, before any request', async () => {
    const requests = prolific.requests.length
    const run = await exportWith({ tables: 'csv, xlsx' })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::error::Input 'tables' is "csv, xlsx": expected 'csv', 'parquet', or both/)
    expect(prolific.requests.length).toBe(requests)
  })

  it('uploads no tables where the ZIP is not uploaded, and keeps them on disk', async () => {
    const run = await exportWith({ tables: 'parquet', 'upload-artifact': 'false', 'artifact-name': 'kept-here.zip' })
    expect(run.code, run.stdout).toBe(0)
    expect(readdirSync(run.outputs['tables-path'] ?? '').sort()).toEqual([
      'files.parquet',
      'instructions.parquet',
      'responses.parquet',
    ])
    expect(service.created.map((artifact) => artifact.name).filter((name) => name.startsWith('kept-here'))).toEqual([])
  })
})

describe('tables with several IDs', () => {
  it('makes each export its own tables folder, named in its results entry', async () => {
    const run = await exportWith({ 'batch-id': 'b1,b2', tables: 'csv', 'upload-artifact': 'false', path: 'many/' })
    expect(run.code, run.stdout).toBe(0)
    const results = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, string>>
    const folders = results.map((result) => result['tables-path'] ?? '')
    expect(folders).toEqual(results.map((result) => `${(result.path ?? '').slice(0, -'.zip'.length)}-tables`))
    expect(new Set(folders).size).toBe(2)
    for (const folder of folders)
      expect(readdirSync(folder).sort()).toEqual(['files.csv', 'instructions.csv', 'responses.csv'])
  })
})

describe('tables and encrypt-to', () => {
  it('uploads each table encrypted with age, so nothing readable leaves the runner, even in a public repository', async () => {
    const identity = await generateIdentity()
    const run = await exportWith(
      { tables: 'csv,parquet', 'artifact-name': 'sealed.zip', 'encrypt-to': await identityToRecipient(identity) },
      { GITHUB_EVENT_PATH: publicEvent() },
    )
    expect(run.code, run.stdout).toBe(0)
    const folder = run.outputs['tables-path'] ?? ''
    const files = unzipped(service.blob('sealed-tables')?.bytes ?? Buffer.alloc(0))
    expect(Object.keys(files).sort()).toEqual(TABLE_FILES.map((name) => `${name}.age`))
    const decrypter = new Decrypter()
    decrypter.addIdentity(identity)
    for (const name of TABLE_FILES) {
      const sealed = files[`${name}.age`] ?? new Uint8Array()
      expect(Buffer.from(sealed.subarray(0, 21)).toString()).toBe('age-encryption.org/v1')
      expect(Buffer.from(await decrypter.decrypt(sealed)).equals(readFileSync(join(folder, name)))).toBe(true)
    }
    // No answer in the clear anywhere in what was uploaded.
    const uploaded = Buffer.concat(Object.values(files).map((file) => Buffer.from(file)))
    expect(uploaded.includes(Buffer.from('comma, inside'))).toBe(false)
    expect(service.blob('sealed.zip.age')).toBeDefined()
  })

  it('is refused in a public repository without encryption, before any request, as the ZIP is', async () => {
    const requests = prolific.requests.length
    const run = await exportWith({ tables: 'csv' }, { GITHUB_EVENT_PATH: publicEvent() })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::error::This repository is public/)
    expect(prolific.requests.length).toBe(requests)
  })
})

describe('tables that cannot be made', () => {
  it('fail the step with strict, after the ZIP is kept, uploaded and its outputs set', async () => {
    const records = JSON.stringify({ submission_id: 'abc', participant_id: 'p', responses: [{ task_id: 't' }] })
    const archive = buildExportArchive({ files: 0, replace: { 'responses-by-submission.jsonl': `${records}\n` } })
    const lacking = await startFakeProlific({ token: TOKEN, archive })
    try {
      const run = await runInProcess({
        inputs: {
          'batch-id': EXPORT_BATCH_ID,
          'api-url': lacking.url,
          'poll-interval': '10ms',
          tables: 'csv',
          strict: 'true',
          'artifact-name': 'strict.zip',
        },
        env: { PROLIFIC_TOKEN: TOKEN, ...artifactEnv(service) },
      })
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(/::error::The archive lacks what the tables expect \(strict is on\): 1 of 1 response/)
      expect(existsSync(run.outputs.path ?? '')).toBe(true)
      expect(run.outputs['tables-path']).toBe('')
      expect(service.blob('strict.zip')).toBeDefined()
      expect(service.blob('strict-tables')).toBeUndefined()
    } finally {
      await lacking.close()
    }
  })

  it('a cancel while they are made: no table kept, and nothing uploaded after it', async () => {
    const big = await startFakeProlific({ token: TOKEN, archive: buildTablesArchive(300).zip })
    const dir = mkdtempSync(join(tmpdir(), 'tables-cancel-'))
    const cancel = new AbortController()
    // The runner's SIGINT, the moment the tables' staging folder appears beside the ZIP.
    const watcher = watch(dir, (_event, name) => {
      if (String(name).includes('.partial-')) cancel.abort()
    })
    try {
      const run = await runInProcess({
        inputs: {
          'batch-id': EXPORT_BATCH_ID,
          'api-url': big.url,
          'poll-interval': '10ms',
          tables: 'csv,parquet',
          path: join(dir, 'cancelled.zip'),
          'artifact-name': 'cancelled.zip',
        },
        env: { PROLIFIC_TOKEN: TOKEN, ...artifactEnv(service) },
        cancel: cancel.signal,
      })
      expect(cancel.signal.aborted).toBe(true)
      expect(run.code).toBe(1)
      expect(run.stdout).toContain('::error::The step was cancelled while making the tables')
      expect(service.blob('cancelled.zip')).toBeUndefined()
      expect(service.blob('cancelled-tables')).toBeUndefined()
      expect(readdirSync(dir).filter((name) => name.includes('tables'))).toEqual([])
    } finally {
      watcher.close()
      await big.close()
    }
  })
})
