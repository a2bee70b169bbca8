// `tables` in the bundled action, run as the runner runs dist/index.js: the output, the files on
// disk, the second artifact, and encrypt-to.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readTable } from '../test-support/duckdb-tables.ts'
import { EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import {
  artifactEnv,
  type FakeArtifactService,
  startFakeArtifactService,
} from '../test-support/fake-artifact-service.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { runAction } from '../test-support/run-action.ts'
import { buildTablesArchive, HOSTILE_TEXTS } from '../test-support/tables-archive.ts'

const TOKEN = 'tables-e2e-token-1234'
const archive = buildTablesArchive(2)
let prolific: FakeProlific
let service: FakeArtifactService
beforeAll(async () => {
  prolific = await startFakeProlific({ token: TOKEN, archive: archive.zip })
  service = await startFakeArtifactService()
})
afterAll(async () => {
  await prolific.close()
  await service.close()
})

function exportWith(inputs: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'tables-e2e-'))
  return runAction({
    cwd,
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': prolific.url, 'poll-interval': '20ms', ...inputs },
    env: { PROLIFIC_TOKEN: TOKEN, ...artifactEnv(service) },
  })
}

const PARQUET = ['files.parquet', 'instructions.parquet', 'responses.parquet']

describe('tables from dist/index.js', () => {
  it('writes them beside the ZIP, private, names the folder in tables-path and uploads <name>-tables', async () => {
    const run = await exportWith({ tables: 'parquet', path: 'out/study.zip', 'artifact-name': 'e2e.zip' })
    expect(run.code, run.stdout).toBe(0)
    const folder = run.outputs['tables-path'] ?? ''
    expect(folder).toBe(`${(run.outputs.path ?? '').slice(0, -'.zip'.length)}-tables`)
    expect(folder.endsWith(join('out', 'study-tables'))).toBe(true)
    expect(readdirSync(folder).sort()).toEqual(PARQUET)
    expect(statSync(folder).mode & 0o777).toBe(0o700)
    for (const name of PARQUET) expect(statSync(join(folder, name)).mode & 0o777).toBe(0o600)
    const responses = await readTable(join(folder, 'responses.parquet'))
    expect(responses).toHaveLength(archive.records.flatMap((record) => record.responses).length)
    const uploaded = unzipSync(new Uint8Array(service.blob('e2e-tables')?.bytes ?? Buffer.alloc(0)))
    expect(Object.keys(uploaded).sort()).toEqual(PARQUET)
    // Hostile answers stay in the tables, never in the log.
    expect(run.stdout).not.toContain('::set-output name=leak')
    expect(run.stdout).not.toContain(HOSTILE_TEXTS[2])
  })

  it('with encrypt-to, uploads only age files that decrypt to the tables on disk', async () => {
    const identity = await generateIdentity()
    const run = await exportWith({
      tables: 'csv',
      'artifact-name': 'e2e-sealed.zip',
      'encrypt-to': await identityToRecipient(identity),
    })
    expect(run.code, run.stdout).toBe(0)
    const folder = run.outputs['tables-path'] ?? ''
    const uploaded = unzipSync(new Uint8Array(service.blob('e2e-sealed-tables')?.bytes ?? Buffer.alloc(0)))
    expect(Object.keys(uploaded).sort()).toEqual(['files.csv.age', 'instructions.csv.age', 'responses.csv.age'])
    const decrypter = new Decrypter()
    decrypter.addIdentity(identity)
    for (const [name, sealed] of Object.entries(uploaded)) {
      const plain = Buffer.from(await decrypter.decrypt(sealed))
      expect(plain.equals(readFileSync(join(folder, name.slice(0, -'.age'.length))))).toBe(true)
    }
  })
})
