import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { validateArchive } from '../src/archive/validate.ts'
import { Deadline } from '../src/core/deadline.ts'
import { ArchiveError } from '../src/core/errors.ts'
import { buildExportArchive, submissionIds } from '../test-support/export-archive.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { buildZip, type ZipEntrySpec } from '../test-support/zip-builder.ts'
import { overlappingZip } from '../test-support/zip-surgery.ts'

const dir = mkdtempSync(join(tmpdir(), 'validate-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0

function save(zip: Buffer | string): string {
  const file = join(dir, `archive-${++counter}.zip`)
  writeFileSync(file, zip)
  return file
}

function validate(zip: Buffer | string, strict = false) {
  return validateArchive(save(zip), { strict, deadline: new Deadline(fakeClock(), 60_000) })
}

async function failure(zip: Buffer | string, strict = false): Promise<string> {
  const error = await validate(zip, strict).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ArchiveError)
  return (error as Error).message
}

const REQUIRED = ['README.md', 'responses-by-submission.jsonl', 'responses-by-task.jsonl', 'batch.json']
const minimal = (extra: ZipEntrySpec[] = []) =>
  buildZip([
    { name: 'README.md', data: '# x' },
    { name: 'responses-by-submission.jsonl', data: '{"submission_id":"s1"}\n' },
    { name: 'responses-by-task.jsonl', data: '{"task_id":"t1"}\n' },
    { name: 'batch.json', data: '{"instructions":[]}' },
    ...extra,
  ])

describe('validateArchive: a valid export', () => {
  it('counts submissions, tasks, files (not directories) and instructions', async () => {
    const report = await validate(buildExportArchive({ submissions: 5, tasks: 3, files: 4, instructions: 6 }))
    expect(report).toMatchObject({ submissions: 5, tasks: 3, files: 4, instructions: 6, warnings: [] })
    expect(report.entries).toBe(4 + 1 + 4) // required entries, files/ directory, files
  })

  it('accepts CRLF endings and a missing final newline', async () => {
    const report = await validate(buildExportArchive({ submissions: 4, crlf: true, finalNewline: false }))
    expect(report.submissions).toBe(4)
  })

  it('accepts an archive without files/', async () => {
    expect((await validate(buildExportArchive({ files: 0 }))).files).toBe(0)
  })

  it('accepts a ZIP64 archive', async () => {
    const report = await validate(buildExportArchive({ zip64: true, submissions: 2 }))
    expect(report.submissions).toBe(2)
  })

  it('leaves instruction-count unknown, with a warning, when batch.json has no instructions array', async () => {
    const report = await validate(buildExportArchive({ replace: { 'batch.json': '{"id":"b"}' } }))
    expect(report.instructions).toBeUndefined()
    expect(report.warnings.join()).toMatch(/no 'instructions' array/)
  })
})

describe('validateArchive: what is certain is an error', () => {
  it.each(REQUIRED)('a missing %s', async (name) => {
    expect(await failure(buildExportArchive({ omit: [name] }))).toContain(`has no ${name}`)
  })

  it('a bad JSONL line, by file and line number', async () => {
    const [a, b] = submissionIds(2)
    const jsonl = `{"submission_id":"${a}"}\n\n{"submission_id":"${b}",\n`
    const message = await failure(buildExportArchive({ replace: { 'responses-by-submission.jsonl': jsonl } }))
    expect(message).toMatch(/responses-by-submission\.jsonl line 3 is not valid JSON/)
    expect(message).not.toContain(b)
  })

  it('batch.json that is not a JSON object', async () => {
    expect(await failure(buildExportArchive({ replace: { 'batch.json': '[1]' } }))).toMatch(
      /batch\.json is not a JSON object/,
    )
  })

  it('batch.json nested deeper than the limit, by line, before it is parsed', async () => {
    const deep = `{\n  "id": "b",\n  "instructions": ${'['.repeat(100_000)}${']'.repeat(100_000)}\n}\n`
    expect(await failure(buildExportArchive({ replace: { 'batch.json': deep } }))).toMatch(
      /batch\.json line 3 nests deeper than 64 levels/,
    )
  })

  it('a CRC-32 that does not match the bytes', async () => {
    const zip = buildZip([...[{ name: 'README.md', data: '# x', crc32: 0x1234 }]])
    expect(await failure(zip)).toMatch(/README\.md fails its CRC-32 check/)
  })

  it('a declared size that differs from the real one (zip bomb defence)', async () => {
    const zip = minimal([{ name: 'files/s1_a.txt', data: 'x'.repeat(5000), uncompressedSize: 10 }])
    expect(await failure(zip)).toMatch(/damaged at entry #5 under files\//)
  })

  it.each([
    ['../evil.txt', /climbs out/],
    ['files/../../evil.txt', /climbs out/],
    ['/etc/passwd', /absolute path/],
    ['C:/Windows/evil.txt', /absolute path/],
    ['files\\..\\evil.txt', /backslash/],
    ['files/a\u0000b', /control characters/],
  ])('an unsafe name %j', async (name, problem) => {
    expect(await failure(minimal([{ name, data: 'x' }]))).toMatch(problem)
  })

  it('entries that share bytes (the overlapping-files zip bomb)', async () => {
    const zip = overlappingZip(
      [
        { name: 'README.md', data: '# x' },
        { name: 'responses-by-submission.jsonl', data: '{"submission_id":"s1"}\n' },
        { name: 'responses-by-task.jsonl', data: '{"task_id":"t1"}\n' },
        { name: 'batch.json', data: '{"instructions":[]}' },
        { name: 'files/s1_a.txt', data: '' },
      ],
      { name: 'files/s1_b.txt', data: 'hidden' },
    )
    expect(await failure(zip)).toMatch(/entries #5 and #6 share bytes/)
  })

  it('a local header that disagrees with the central directory', async () => {
    const zip = minimal([{ name: 'files/s1_a.txt', data: 'hello', method: 'store' }])
    const local = zip.indexOf(Buffer.from('files/s1_a.txt')) - 30
    zip.writeUInt32LE(zip.readUInt32LE(local + 14) ^ 1, local + 14) // the local CRC-32
    expect(await failure(zip)).toMatch(/local header of entry #5 under files\/ gives a different CRC-32/)
  })

  it('a local header that claims a data descriptor the central directory does not (Info-ZIP then sees an overlap)', async () => {
    const zip = minimal([{ name: 'files/s1_a.txt', data: 'hello' }])
    const local = zip.indexOf(Buffer.from('files/s1_a.txt')) - 30
    zip.writeUInt16LE(zip.readUInt16LE(local + 6) | 0x08, local + 6)
    expect(await failure(zip)).toMatch(/local header of entry #5 under files\/ gives a different data descriptor flag/)
  })

  it('an end record that miscounts the central directory', async () => {
    const zip = minimal()
    zip.writeUInt32LE(zip.readUInt32LE(zip.length - 10) + 1, zip.length - 10) // central directory size
    expect(await failure(zip)).toMatch(/end record does not describe the central directory/)
  })

  it('a symbolic link', async () => {
    const link = { name: 'files/s1_link', data: '/etc/passwd', externalAttributes: (0o120777 << 16) >>> 0 }
    expect(await failure(minimal([link]))).toMatch(/symbolic link/)
  })

  it('a duplicate entry name', async () => {
    expect(await failure(minimal([{ name: 'README.md', data: 'again' }]))).toMatch(/lists README\.md twice/)
  })

  it('something that is not a ZIP at all: an HTML error page', async () => {
    expect(await failure('<!DOCTYPE html><html><body>Service unavailable</body></html>')).toMatch(
      /not a readable ZIP archive.*HTML or XML page/,
    )
  })

  it('a truncated archive, and Info-ZIP agrees', async () => {
    const whole = buildExportArchive()
    const cut = whole.subarray(0, whole.length - 30)
    await failure(cut)
    expect(() => execFileSync('unzip', ['-tq', save(cut)], { stdio: 'ignore' })).toThrow()
  })
})

describe('validateArchive: what is only expected is a warning, an error with strict', () => {
  const noIds = buildExportArchive({ replace: { 'responses-by-submission.jsonl': '{"id":1}\n{"id":2}\n' } })

  it('records without submission_id, and files not prefixed by one', async () => {
    const report = await validate(noIds)
    expect(report.warnings.join(' ')).toMatch(/2 record\(s\) in responses-by-submission\.jsonl have no 'submission_id'/)
    expect(report.warnings.join(' ')).toMatch(/2 of 2 file\(s\) under files\/ do not begin with the submission_id/)
    expect(await failure(noIds, true)).toMatch(/strict is on/)
  })

  it('entries outside the documented layout', async () => {
    const extra = buildExportArchive({ extra: [{ name: 'notes.txt', data: 'hi' }] })
    expect((await validate(extra)).warnings.join()).toMatch(/holds 1 entry outside the documented layout: entry #\d+\./)
    await failure(extra, true)
  })

  it('warnings never quote uploaded file names (they begin with submission ids)', async () => {
    const ids = submissionIds(3)
    const report = await validate(buildExportArchive({ extra: [{ name: `files/${ids[0]}_x/y.txt`, data: 'x' }] }))
    expect(JSON.stringify(report)).not.toContain(ids[0])
  })
})
