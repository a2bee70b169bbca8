import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ArchiveKind } from '../src/archive/layout.ts'
import { validateArchive } from '../src/archive/validate.ts'
import { Deadline } from '../src/core/deadline.ts'
import { ArchiveError } from '../src/core/errors.ts'
import { buildCollectionArchive, COLLECTION_ID } from '../test-support/collection-archive.ts'
import { buildExportArchive, submissionIds } from '../test-support/export-archive.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { buildZip } from '../test-support/zip-builder.ts'

const dir = mkdtempSync(join(tmpdir(), 'collection-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0

function validate(zip: Buffer, { kind = 'collection', strict = false }: { kind?: ArchiveKind; strict?: boolean } = {}) {
  const file = join(dir, `archive-${++counter}.zip`)
  writeFileSync(file, zip)
  return validateArchive(file, { strict, kind, deadline: new Deadline(fakeClock(), 60_000) })
}

async function failure(zip: Buffer, options: { kind?: ArchiveKind; strict?: boolean } = {}): Promise<string> {
  const error = await validate(zip, options).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ArchiveError)
  return (error as Error).message
}

describe('buildCollectionArchive', () => {
  it('is deterministic and holds the collection layout', () => {
    const zip = buildCollectionArchive({ submissions: 2 })
    expect(zip.equals(buildCollectionArchive({ submissions: 2 }))).toBe(true)
    for (const name of ['README.md', 'responses.jsonl', 'collection.json', 'files/']) {
      expect(zip.includes(Buffer.from(name))).toBe(true)
    }
    expect(zip.includes(Buffer.from('batch.json'))).toBe(false)
    expect(COLLECTION_ID).toMatch(/^[0-9a-f]{24}$/)
  })
})

describe("validateArchive, kind 'collection': a valid export", () => {
  it('counts submissions, files and instructions; tasks is undefined', async () => {
    const report = await validate(buildCollectionArchive({ submissions: 5, files: 4, instructions: 6 }))
    expect(report).toMatchObject({ submissions: 5, files: 4, instructions: 6, warnings: [] })
    expect(report.tasks).toBeUndefined()
    expect(report.entries).toBe(3 + 1 + 4) // required entries, files/ directory, files
  })

  it('accepts CRLF endings, a missing final newline, blank lines, ZIP64 and no files/', async () => {
    expect((await validate(buildCollectionArchive({ crlf: true, finalNewline: false }))).submissions).toBe(3)
    const [a, b] = submissionIds(2)
    const blank = `{"submission_id":"${a}"}\r\n\r\n\n{"submission_id":"${b}"}`
    expect((await validate(buildCollectionArchive({ replace: { 'responses.jsonl': blank } }))).submissions).toBe(2)
    expect((await validate(buildCollectionArchive({ zip64: true, files: 0 }))).files).toBe(0)
  })

  it('leaves instructions unknown, with a warning, when collection.json has no instructions array', async () => {
    const report = await validate(buildCollectionArchive({ replace: { 'collection.json': '{"id":"c"}' } }))
    expect(report.instructions).toBeUndefined()
    expect(report.warnings.join()).toMatch(/collection\.json has no 'instructions' array/)
  })
})

describe("validateArchive, kind 'collection': what is certain is an error", () => {
  it.each(['README.md', 'responses.jsonl', 'collection.json'])('a missing %s, named', async (name) => {
    const message = await failure(buildCollectionArchive({ omit: [name] }))
    expect(message).toContain(`has no ${name}:`)
    expect(message).toContain('not a complete AI Task Builder collection export')
    expect(message).toContain("Check 'collection-id'")
  })

  it('a bad responses.jsonl line, by file and line number, without quoting it', async () => {
    const [a, b] = submissionIds(2)
    const jsonl = `{"submission_id":"${a}"}\n\n{"submission_id":"${b}",\n`
    const message = await failure(buildCollectionArchive({ replace: { 'responses.jsonl': jsonl } }))
    expect(message).toMatch(/responses\.jsonl line 3 is not valid JSON/)
    expect(message).not.toContain(b)
    expect(await failure(buildCollectionArchive({ replace: { 'responses.jsonl': '{}\n[1]\n' } }))).toMatch(
      /responses\.jsonl line 2 is an array, not a JSON object/,
    )
  })

  it('collection.json that is not a JSON object', async () => {
    expect(await failure(buildCollectionArchive({ replace: { 'collection.json': '[]' } }))).toMatch(
      /collection\.json is not a JSON object/,
    )
  })

  it('a batch export validated as a collection, and a collection export validated as a batch', async () => {
    const asCollection = await failure(buildExportArchive())
    expect(asCollection).toContain('has no responses.jsonl, collection.json:')
    expect(asCollection).toContain('It holds the entries of a batch export instead.')
    const asBatch = await failure(buildCollectionArchive(), { kind: 'batch' })
    expect(asBatch).toContain('has no responses-by-submission.jsonl, responses-by-task.jsonl, batch.json:')
    expect(asBatch).toContain('not a complete AI Task Builder batch export')
    expect(asBatch).toContain('It holds the entries of a collection export instead.')
  })

  it('a batch archive is still validated as a batch when kind is left out', async () => {
    const file = join(dir, 'batch-default.zip')
    writeFileSync(file, buildExportArchive({ submissions: 4, tasks: 3 }))
    const report = await validateArchive(file, { strict: true, deadline: new Deadline(fakeClock(), 60_000) })
    expect(report).toMatchObject({ submissions: 4, tasks: 3, warnings: [] })
  })
})

describe("validateArchive, kind 'collection': what is only expected is a warning, an error with strict", () => {
  const noIds = buildCollectionArchive({ replace: { 'responses.jsonl': '{"id":1}\n{"id":2}\n' } })

  it('records without submission_id, and files not prefixed by one', async () => {
    const warnings = (await validate(noIds)).warnings.join(' ')
    expect(warnings).toMatch(/2 record\(s\) in responses\.jsonl have no 'submission_id' field \(first on line 1\)/)
    expect(warnings).toMatch(
      /2 of 2 file\(s\) under files\/ do not begin with the submission_id of a record in responses\.jsonl/,
    )
    expect(await failure(noIds, { strict: true })).toMatch(/strict is on.*responses\.jsonl have no 'submission_id'/)
  })

  it('batch files inside a collection export are outside its layout, and named (their names are public)', async () => {
    const zip = buildCollectionArchive({ extra: [{ name: 'batch.json', data: '{}' }] })
    expect((await validate(zip)).warnings.join()).toMatch(/outside the documented layout: batch\.json\./)
    await failure(zip, { strict: true })
  })

  it('never quotes uploaded file names in an error', async () => {
    const [id] = submissionIds(1)
    const zip = buildZip([
      { name: 'README.md', data: '# x' },
      { name: 'responses.jsonl', data: `{"submission_id":"${id}"}\n` },
      { name: 'collection.json', data: '{"instructions":[]}' },
      { name: `files/${id}_a.txt`, data: 'x', crc32: 0x1234 },
    ])
    const message = await failure(zip)
    expect(message).toMatch(/entry #4 under files\/ fails its CRC-32 check/)
    expect(message).not.toContain(String(id))
  })
})
