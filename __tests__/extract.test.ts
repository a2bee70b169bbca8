import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { extractArchive } from '../src/archive/extract.ts'
import { buildExportArchive, submissionIds } from '../test-support/export-archive.ts'
import { buildZip } from '../test-support/zip-builder.ts'

const dir = mkdtempSync(join(tmpdir(), 'extract-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0

function save(zip: Buffer): string {
  const file = join(dir, `archive-${++counter}.zip`)
  writeFileSync(file, zip)
  return file
}

describe('extractArchive', () => {
  it('unpacks every entry, files/ included', async () => {
    const target = join(dir, 'out-1', 'nested')
    const written = await extractArchive(save(buildExportArchive({ files: 2 })), target)
    expect(written).toBe(6)
    expect(readdirSync(target).sort()).toEqual(
      ['README.md', 'batch.json', 'files', 'responses-by-submission.jsonl', 'responses-by-task.jsonl'].sort(),
    )
    expect(readdirSync(join(target, 'files'))).toHaveLength(2)
    const ids = submissionIds(3)
    for (const name of readdirSync(join(target, 'files')))
      expect(ids.some((id) => name.startsWith(`${id}_`))).toBe(true)
    expect(readFileSync(join(target, 'README.md'), 'utf8')).toContain('#')
  })

  it('refuses a folder that already holds something, and writes nothing', async () => {
    const target = join(dir, 'occupied')
    mkdirSync(target)
    writeFileSync(join(target, 'keep.txt'), 'mine')
    await expect(extractArchive(save(buildExportArchive()), target)).rejects.toThrow(/already exists and is not empty/)
    expect(readdirSync(target)).toEqual(['keep.txt'])
  })

  it('uses an empty folder that is already there', async () => {
    const target = join(dir, 'empty')
    mkdirSync(target)
    await extractArchive(save(buildExportArchive()), target)
    expect(existsSync(join(target, 'batch.json'))).toBe(true)
  })

  it('leaves no half-extracted folder when an entry cannot be written', async () => {
    // Two entries that collide once unpacked: a file, then a folder of the same name.
    const zip = buildZip([
      { name: 'README.md', data: 'x' },
      { name: 'files/a', data: 'x' },
      { name: 'files/a/b', data: 'y' },
    ])
    const target = join(dir, 'broken')
    await expect(extractArchive(save(zip), target)).rejects.toThrow()
    expect(existsSync(target)).toBe(false)
    expect(readdirSync(dir).filter((name) => name.startsWith('broken'))).toEqual([])
  })

  it('never writes outside the target, even if handed an unsafe archive', async () => {
    const zip = buildZip([{ name: '../escaped.txt', data: 'x' }])
    const target = join(dir, 'jail', 'inner')
    await expect(extractArchive(save(zip), target)).rejects.toThrow(/climbs out/)
    expect(existsSync(join(dir, 'jail', 'escaped.txt'))).toBe(false)
    expect(existsSync(target)).toBe(false)
  })
})
