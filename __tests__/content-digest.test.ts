import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { validateArchive } from '../src/archive/validate.ts'
import { Deadline } from '../src/core/deadline.ts'
import { buildExportArchive } from '../test-support/export-archive.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { buildZip, type ZipEntrySpec } from '../test-support/zip-builder.ts'

const dir = mkdtempSync(join(tmpdir(), 'content-digest-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0

async function digestOf(zip: Buffer): Promise<string> {
  const file = join(dir, `${++counter}.zip`)
  writeFileSync(file, zip)
  return (await validateArchive(file, { strict: false, deadline: new Deadline(fakeClock(), 60_000) })).contentDigest
}

const entries: ZipEntrySpec[] = [
  { name: 'README.md', data: '# Export made 2026-01-01' },
  { name: 'responses-by-submission.jsonl', data: '{"submission_id":"s1"}\n' },
  { name: 'responses-by-task.jsonl', data: '{"task_id":"t1"}\n' },
  { name: 'batch.json', data: '{"instructions":[]}' },
  { name: 'files/', data: '' },
  { name: 'files/s1_a.txt', data: 'answer' },
]

describe('content-digest', () => {
  it('is the same for the same data zipped again: other times, order, compression and README', async () => {
    const first = await digestOf(buildZip(entries))
    const later = new Date('2027-06-30T10:00:00Z')
    const again = [...entries]
      .reverse()
      .map((entry) => ({ ...entry, mtime: later, method: 'store' as const }))
      .map((entry) => (entry.name === 'README.md' ? { ...entry, data: '# Export made 2027-06-30' } : entry))
    expect(await digestOf(buildZip(again))).toBe(first)
    expect(first).toMatch(/^[0-9a-f]{64}$/)
  })

  it('changes when a record, a file or a name changes', async () => {
    const base = await digestOf(buildZip(entries))
    const variants = [
      entries.map((e) => (e.name === 'responses-by-task.jsonl' ? { ...e, data: '{"task_id":"t2"}\n' } : e)),
      entries.map((e) => (e.name === 'files/s1_a.txt' ? { ...e, data: 'answer!' } : e)),
      entries.map((e) => (e.name === 'files/s1_a.txt' ? { ...e, name: 'files/s1_b.txt' } : e)),
      [...entries, { name: 'files/s1_c.txt', data: 'more' }],
    ]
    const digests = await Promise.all(variants.map((variant) => digestOf(buildZip(variant))))
    for (const digest of digests) expect(digest).not.toBe(base)
    expect(new Set(digests).size).toBe(digests.length)
  })

  it('differs between exports of different batches built the same way', async () => {
    expect(await digestOf(buildExportArchive({ submissions: 3 }))).not.toBe(
      await digestOf(buildExportArchive({ submissions: 4 })),
    )
  })
})
