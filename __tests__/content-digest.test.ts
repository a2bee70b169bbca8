import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { ContentDigest } from '../src/archive/content-digest.ts'
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

/** The digest as it was first defined and published: names as strings, sorted as JavaScript sorts them. */
function referenceDigest(entries: Array<[string, number, number]>): string {
  const hash = createHash('sha256')
  const kept = entries.filter(([name]) => name !== 'README.md')
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  for (const [name, crc, size] of kept) hash.update(`${name}\n${crc.toString(16).padStart(8, '0')}\n${size}\n`)
  return hash.digest('hex')
}

describe('ContentDigest keeps the published value', () => {
  // Names from pieces that order differently by UTF-8 bytes than by UTF-16 code units
  // (U+E000-U+FFFF against characters past U+FFFF), and that are prefixes of one another.
  const piece = fc.constantFrom(
    'a',
    'files/',
    'Z',
    '_',
    'é',
    '中',
    '\uE000',
    '\uFFFD',
    '\uFFEE',
    '😀',
    '\u{10000}',
    '\u{10FFFF}',
    '/',
  )
  const name = fc.array(piece, { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''))
  const entry = fc.tuple(name, fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 2 ** 40 }))

  it('for any names, CRC-32s and sizes, in any order: the same hex digest as sorting the strings', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), (entries) => {
        const digest = new ContentDigest()
        for (const [n, crc, size] of entries) digest.add(n, crc, size)
        expect(digest.digest()).toBe(referenceDigest(entries))
      }),
      { numRuns: 300 },
    )
  })

  it('past one block of names and past the first columns: 3,000 entries of long names', () => {
    const entries: Array<[string, number, number]> = Array.from({ length: 3000 }, (_, i) => [
      `files/${String((i * 7919) % 3000).padStart(6, '0')}_${'x'.repeat(400)}\u{1F600}.txt`,
      (i * 2654435761) >>> 0,
      i * 1000,
    ])
    const digest = new ContentDigest()
    for (const [n, crc, size] of entries) digest.add(n, crc, size)
    expect(digest.digest()).toBe(referenceDigest(entries))
  })
})
