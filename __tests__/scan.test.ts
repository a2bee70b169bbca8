// The validation that runs while the archive downloads: for the archives exports are made of
// it reports exactly what the full validation from disk reports, however the bytes are cut
// into chunks; for anything unusual or damaged it gives up, so that the disk gets the last word.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ScanningTap } from '../src/archive/scan-tap.ts'
import { validateArchive } from '../src/archive/validate.ts'
import { Deadline } from '../src/core/deadline.ts'
import { buildCollectionArchive } from '../test-support/collection-archive.ts'
import { buildExportArchive, submissionIds } from '../test-support/export-archive.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { scanBytes } from '../test-support/scan-harness.ts'
import { buildZip } from '../test-support/zip-builder.ts'
import { overlappingZip } from '../test-support/zip-surgery.ts'

const dir = mkdtempSync(join(tmpdir(), 'scan-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0

function fromDisk(zip: Buffer, kind: 'batch' | 'collection' = 'batch', strict = false) {
  const file = join(dir, `archive-${++counter}.zip`)
  writeFileSync(file, zip)
  return validateArchive(file, { strict, kind, deadline: new Deadline(fakeClock(), 60_000) })
}

const [first = ''] = submissionIds(1)
const video = { name: `files/${first}_video.webm`, data: randomBytes(3 * 1024 * 1024), method: 'store' as const }

const VALID: Array<[string, Buffer, 'batch' | 'collection']> = [
  ['the standard export', buildExportArchive(), 'batch'],
  ['CRLF endings, no final newline', buildExportArchive({ crlf: true, finalNewline: false }), 'batch'],
  ['a ZIP64 export', buildExportArchive({ zip64: true, files: 4 }), 'batch'],
  // JSONL of several MiB: inflated as a stream, not in one call.
  ['large JSONL files', buildExportArchive({ submissions: 3000, tasks: 3, uploadMethod: 'store' }), 'batch'],
  ['a stored upload larger than 1 MiB', buildExportArchive({ extra: [video] }), 'batch'],
  ['a collection export', buildCollectionArchive(), 'collection'],
  ['an export with warnings', buildExportArchive({ extra: [{ name: 'notes.txt', data: 'x' }] }), 'batch'],
]

/** An export whose central directory names one upload differently (same length) from its local header. */
function centralRenamed(): Buffer {
  const zip = buildExportArchive({ files: 2 })
  const at = zip.lastIndexOf(Buffer.from('files/'))
  const renamed = Buffer.from(zip)
  renamed[at + 7] = (renamed[at + 7] ?? 0) ^ 0x01
  expect(zip.indexOf(renamed.subarray(at, at + 12))).toBe(-1)
  return renamed
}

describe('scanArchive reports what validateArchive reports', () => {
  it.each(VALID)('%s, in chunks of any size', async (_name, zip, kind) => {
    const expected = await fromDisk(zip, kind)
    let seed = 1
    const random = () => ((seed = (seed * 48271) % 2147483647) % 70_000) + 1
    // Byte by byte where the archive is small; every size tried ends up cutting headers apart.
    const small = zip.length < 50_000 ? [1, 7] : [997]
    for (const chunk of [...small, 65_536, random, zip.length]) {
      expect(await scanBytes(zip, { kind, chunk })).toEqual({ report: expected })
    }
  })
})

/** Laid out in a way the scan does not vouch for: the file is validated from disk instead. */
const UNUSUAL: Array<[string, Buffer, RegExp]> = [
  ['bytes after the end record', Buffer.concat([buildExportArchive(), Buffer.from('trailer')]), /bytes after the end/],
  ['bytes before the first entry', Buffer.concat([Buffer.from('MZ stub'), buildExportArchive()]), /.+/],
  // The central directory is checked against the local headers as a running SHA-256 of both,
  // so a name that differs in one byte (even one with the same CRC-32) shows at its end.
  ['a central directory naming an entry other than its local header', centralRenamed(), /differs from the local/],
  [
    'an end record comment holding an end record signature',
    buildZip([{ name: 'README.md', data: '# x' }], { comment: 'PK\u0005\u0006' }),
    /end record/,
  ],
]

describe('scanArchive leaves unusual layouts to the disk, and says why', () => {
  it.each(UNUSUAL)('%s', async (_name, zip, reason) => {
    const outcome = await scanBytes(zip)
    expect(outcome).toEqual({ deferred: expect.stringMatching(reason) })
  })

  it('an archive with data descriptors (a streaming writer)', async () => {
    const zip = buildExportArchive()
    // Set the data-descriptor flag in every local header and central record: sizes "come later".
    for (const signature of [0x04034b50, 0x02014b50]) {
      const bytes = Buffer.alloc(4)
      bytes.writeUInt32LE(signature)
      const flagAt = signature === 0x04034b50 ? 6 : 8
      for (let at = zip.indexOf(bytes); at !== -1; at = zip.indexOf(bytes, at + 4)) {
        zip.writeUInt16LE(zip.readUInt16LE(at + flagAt) | 0x08, at + flagAt)
      }
    }
    expect(await scanBytes(zip)).toEqual({ deferred: expect.stringMatching(/data descriptor/) })
  })
})

describe('scanArchive never vouches for a damaged or hostile archive', () => {
  const minimal = (extra: Parameters<typeof buildZip>[0] = []) =>
    buildZip([
      { name: 'README.md', data: '# x' },
      { name: 'responses-by-submission.jsonl', data: '{"submission_id":"s1"}\n' },
      { name: 'responses-by-task.jsonl', data: '{"task_id":"t1"}\n' },
      { name: 'batch.json', data: '{"instructions":[]}' },
      ...extra,
    ])
  const disagreeing = () => {
    const zip = minimal([{ name: 'files/s1_a.txt', data: 'hello', method: 'store' }])
    const local = zip.indexOf(Buffer.from('files/s1_a.txt')) - 30
    zip.writeUInt32LE(zip.readUInt32LE(local + 14) ^ 1, local + 14)
    return zip
  }
  const miscounted = () => {
    const zip = minimal()
    zip.writeUInt32LE(zip.readUInt32LE(zip.length - 10) + 1, zip.length - 10)
    return zip
  }
  const hostile: Array<[string, Buffer]> = [
    ['a CRC-32 that does not match', minimal([{ name: 'files/s1_a.txt', data: 'x', crc32: 0x1234 }])],
    [
      'a declared size smaller than the data',
      minimal([{ name: 'files/s1_a.txt', data: 'x'.repeat(5000), uncompressedSize: 10 }]),
    ],
    ['a name that climbs out', minimal([{ name: '../evil.txt', data: 'x' }])],
    ['an absolute name', minimal([{ name: '/etc/passwd', data: 'x' }])],
    ['a symbolic link', minimal([{ name: 'files/s1_l', data: '/etc', externalAttributes: (0o120777 << 16) >>> 0 }])],
    ['a duplicate name', minimal([{ name: 'README.md', data: 'again' }])],
    ['a bad JSONL line', buildExportArchive({ replace: { 'responses-by-task.jsonl': '{"task_id":\n' } })],
    ['no batch.json', buildExportArchive({ omit: ['batch.json'] })],
    ['a local header that disagrees with the central directory', disagreeing()],
    ['an end record that miscounts the central directory', miscounted()],
    [
      'entries that share bytes',
      overlappingZip(
        [
          { name: 'README.md', data: '# x' },
          { name: 'files/s1_a.txt', data: '' },
        ],
        { name: 'files/s1_b.txt', data: 'hidden' },
      ),
    ],
    ['a truncated archive', ((whole) => whole.subarray(0, whole.length - 30))(buildExportArchive())],
    ['an HTML page', Buffer.from('<!DOCTYPE html><html><body>Service unavailable</body></html>')],
    ['nothing at all', Buffer.alloc(0)],
  ]

  it('an entry whose declared size passes the limits: deferred before it is inflated', async () => {
    const zip = buildExportArchive({ submissions: 50 })
    const limits = { maxUncompressedBytes: 1000, maxRatio: 100 }
    const tap = new ScanningTap({ strict: false, kind: 'batch', limits, deadline: new Deadline(fakeClock(), 60_000) })
    await tap.push(zip)
    expect(await tap.finish(zip.length)).toEqual({ deferred: 'it has more uncompressed data than the limits allow' })
  })

  it.each(hostile)('%s: deferred to the disk, which refuses it', async (_name, zip) => {
    expect(await scanBytes(zip, { chunk: 5 })).toHaveProperty('deferred')
    await expect(fromDisk(zip)).rejects.toThrow()
  })
})
