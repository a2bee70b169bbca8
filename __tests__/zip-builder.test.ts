import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildExportArchive, submissionIds } from '../test-support/export-archive.ts'
import { hasInfoZip } from '../test-support/info-zip.ts'
import { buildZip } from '../test-support/zip-builder.ts'

const dir = mkdtempSync(join(tmpdir(), 'zip-builder-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let counter = 0
function save(zip: Buffer): string {
  const file = join(dir, `archive-${++counter}.zip`)
  writeFileSync(file, zip)
  return file
}

// Info-ZIP is the independent judge: it exits non-zero on any structural or CRC error. Every
// test here asks it, so without it they are skipped, not passed.
function unzip(...args: string[]): string {
  return execFileSync('unzip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function listedNames(file: string): string[] {
  const lines = unzip('-l', file).split('\n')
  const rows = lines.slice(lines.findIndex((line) => line.startsWith('---')) + 1)
  return rows
    .slice(
      0,
      rows.findIndex((line) => line.startsWith('---')),
    )
    .map((line) => line.trim().split(/\s+/).slice(3).join(' '))
}

const ids = submissionIds(3)
const EXPECTED = [
  'README.md',
  'responses-by-submission.jsonl',
  'responses-by-task.jsonl',
  'batch.json',
  'files/',
  `files/${ids[0]}_upload-1.txt`,
  `files/${ids[1]}_upload-2.txt`,
]

describe.skipIf(!hasInfoZip)('buildExportArchive', () => {
  it('writes an archive that unzip accepts, with the expected entries', () => {
    const file = save(buildExportArchive())
    expect(() => unzip('-tq', file)).not.toThrow()
    expect(listedNames(file)).toEqual(EXPECTED)
  })

  it('writes a ZIP64 archive that unzip accepts', () => {
    const file = save(buildExportArchive({ zip64: true }))
    expect(() => unzip('-tq', file)).not.toThrow()
    expect(listedNames(file)).toEqual(EXPECTED)
  })

  it('is deterministic and honours the shaping options', () => {
    expect(buildExportArchive().equals(buildExportArchive())).toBe(true)
    const file = save(
      buildExportArchive({
        submissions: 4,
        crlf: true,
        finalNewline: false,
        omit: ['README.md'],
        replace: { 'batch.json': '{}' },
        extra: [{ name: '../evil.txt', data: 'x' }],
      }),
    )
    const jsonl = unzip('-p', file, 'responses-by-submission.jsonl')
    const lines = jsonl.split('\r\n')
    expect(lines).toHaveLength(4)
    expect(lines.map((line) => JSON.parse(line).submission_id)).toEqual(submissionIds(4))
    expect(unzip('-p', file, 'batch.json')).toBe('{}')
    expect(listedNames(file)).not.toContain('README.md')
    expect(listedNames(file).at(-1)).toBe('../evil.txt')
  })

  it('describes the same responses in both JSONL files and batch.json', () => {
    const file = save(buildExportArchive())
    const submissions = unzip('-p', file, 'responses-by-submission.jsonl').trim().split('\n')
    const tasks = unzip('-p', file, 'responses-by-task.jsonl').trim().split('\n')
    const batch = JSON.parse(unzip('-p', file, 'batch.json'))
    expect(submissions).toHaveLength(3)
    expect(tasks).toHaveLength(2)
    expect(batch.instructions).toHaveLength(4)
    const first = JSON.parse(submissions[0]!)
    expect(first.responses[0]).toMatchObject({
      task_id: JSON.parse(tasks[0]!).task_id,
      instruction_id: batch.instructions[0].id,
      response: { type: 'free_text', answer: [{ value: 'Answer 1.1' }] },
    })
  })
})

describe.skipIf(!hasInfoZip)('buildZip', () => {
  it('writes stored, deflated, empty and directory entries that unzip accepts', () => {
    const entries = [
      { name: 'dir/' },
      { name: 'dir/stored.txt', data: 'stored', method: 'store' as const },
      { name: 'deflated.txt', data: 'a'.repeat(10_000) },
      { name: 'empty.txt', data: '' },
      { name: 'ünïcode.txt', data: Buffer.from([0, 1, 2]) },
    ]
    for (const zip64 of [false, true]) {
      const file = save(buildZip(entries, { zip64, comment: 'made by tests' }))
      expect(() => unzip('-tq', file)).not.toThrow()
      expect(listedNames(file)).toEqual(entries.map((entry) => entry.name))
    }
  })

  it('writes hostile entries exactly as told', () => {
    const badCrc = save(buildZip([{ name: 'a.txt', data: 'hello', crc32: 1 }]))
    // Exit status 2 (an error in the archive) and Info-ZIP naming the entry's CRC, not any failure.
    expect(() => unzip('-tq', badCrc)).toThrow(
      expect.objectContaining({
        status: 2,
        stdout: expect.stringMatching(/^a\.txt +bad CRC [0-9a-f]{8} +\(should be 00000001\)/),
      }),
    )
    const symlink = (0o120777 << 16) >>> 0
    const file = save(
      buildZip(
        [
          { name: 'link', data: '/etc/passwd', externalAttributes: symlink, method: 'store' },
          { name: 'twice.txt', data: '1' },
          { name: 'twice.txt', data: '2' },
          { name: 'big.txt', data: 'small', uncompressedSize: 5_000_000_000 },
        ],
        { zip64: true },
      ),
    )
    const info = unzip('-Z', file)
    expect(info).toMatch(/^lrwxrwxrwx .* link$/m)
    expect(info.match(/twice\.txt$/gm)).toHaveLength(2)
    expect(info).toMatch(/ 5000000000 .* big\.txt$/m)
  })
})
