import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { assertExtractTarget, extractArchive } from '../src/archive/extract.ts'
import { Deadline } from '../src/core/deadline.ts'
import { ActionError, ArchiveError, DeadlineError } from '../src/core/errors.ts'
import { buildExportArchive, submissionIds } from '../test-support/export-archive.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { HOSTILE_NAMES } from '../test-support/hostile-names.ts'
import { buildZip } from '../test-support/zip-builder.ts'

const dir = mkdtempSync(join(tmpdir(), 'extract-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0

function save(zip: Buffer): string {
  const file = join(dir, `archive-${++counter}.zip`)
  writeFileSync(file, zip)
  return file
}

const deadline = (cancel?: AbortSignal) => new Deadline(fakeClock(), 60_000, cancel)
const extract = (zip: Buffer, target: string, cancel?: AbortSignal, platform?: NodeJS.Platform) =>
  extractArchive(save(zip), target, deadline(cancel), platform)
/** Everything beside the target that bears its name: the target, its staging folders. */
const besides = (parent: string, name: string) => readdirSync(parent).filter((entry) => entry.startsWith(name))

describe('extractArchive', () => {
  it('unpacks every entry, files/ included', async () => {
    const target = join(dir, 'out-1', 'nested')
    const written = await extract(buildExportArchive({ files: 2 }), target)
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
    await expect(extract(buildExportArchive(), target)).rejects.toThrow(/already exists and is not empty/)
    expect(readdirSync(target)).toEqual(['keep.txt'])
  })

  it('uses an empty folder that is already there', async () => {
    const target = join(dir, 'empty')
    mkdirSync(target)
    await extract(buildExportArchive(), target)
    expect(existsSync(join(target, 'batch.json'))).toBe(true)
  })

  it('never writes outside the target, even if handed an unsafe archive', async () => {
    const zip = buildZip([{ name: '../escaped.txt', data: 'x' }])
    const target = join(dir, 'jail', 'inner')
    await expect(extract(zip, target)).rejects.toThrow(/climbs out/)
    expect(existsSync(join(dir, 'jail', 'escaped.txt'))).toBe(false)
    expect(existsSync(target)).toBe(false)
  })
})

describe('extractArchive refuses what it cannot write faithfully, before writing it', () => {
  it.each(HOSTILE_NAMES.map((c) => [c.title, c] as const))('%s', async (_title, hostile) => {
    const parent = join(dir, `hostile-${++counter}`)
    const error = await extract(hostile.build(), join(parent, 'out'), undefined, hostile.platform).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ArchiveError)
    expect((error as Error).message).toMatch(hostile.error)
    for (const name of hostile.forbidden) expect((error as Error).message).not.toContain(name)
    expect(readdirSync(parent)).toEqual([])
  })
})

describe('extractArchive leaves nothing behind when the file is not a ZIP', () => {
  it('an HTML page', async () => {
    const parent = join(dir, 'not-a-zip')
    const html = Buffer.from('<!DOCTYPE html><html></html>')
    await expect(extract(html, join(parent, 'out'))).rejects.toThrow(/not a readable ZIP archive/)
    expect(readdirSync(parent)).toEqual([])
  })
})

describe('extractArchive stops on the deadline and the cancel signal', () => {
  it('checks between files: a cancel before the first leaves nothing', async () => {
    const cancel = new AbortController()
    cancel.abort()
    const parent = join(dir, 'cancelled-early')
    const error = await extract(buildExportArchive({ files: 50 }), join(parent, 'out'), cancel.signal).catch((e) => e)
    expect(error).toBeInstanceOf(DeadlineError)
    expect((error as Error).message).toMatch(/cancelled while extracting the archive/)
    expect(readdirSync(parent)).toEqual([])
  })

  it('checks inside an entry: a cancel while a large file is written stops it there', async () => {
    const size = 256 * 1024 * 1024
    const [id] = submissionIds(1)
    const name = `${id}_video.webm`
    const zip = buildExportArchive({ extra: [{ name: `files/${name}`, data: Buffer.alloc(size) }] })
    const parent = join(dir, 'cancelled-inside')
    mkdirSync(parent)
    const cancel = new AbortController()
    const running = extract(zip, join(parent, 'out'), cancel.signal).catch((e: unknown) => e)
    // Wait until the large file is being written, then cancel.
    let written = 0
    while (written === 0) {
      await new Promise((resolve) => setImmediate(resolve))
      const staging = besides(parent, 'out.partial-')[0]
      const file = staging && join(parent, staging, 'files', name)
      written = file && existsSync(file) ? statSync(file).size : 0
    }
    cancel.abort()
    const error = await running
    expect(written).toBeLessThan(size)
    expect(error).toBeInstanceOf(DeadlineError)
    expect(readdirSync(parent)).toEqual([])
  })

  it('names the timeout when it passed', async () => {
    const timeout = new Deadline(fakeClock(), 0)
    await new Promise((resolve) => setTimeout(resolve, 5))
    const parent = join(dir, 'timed-out')
    await expect(extractArchive(save(buildExportArchive()), join(parent, 'out'), timeout)).rejects.toThrow(
      /The timeout of 0ms passed while extracting the archive/,
    )
    expect(readdirSync(parent)).toEqual([])
  })
})

describe('extractArchive turns file system errors into a message naming the entry, not its path', () => {
  it('a path too long for the file system (ENAMETOOLONG)', async () => {
    // A target of 3,900 bytes leaves room for the standard entries, not for a long upload name.
    let target = join(dir, 'long')
    while (target.length < 3_900) target = join(target, 'd'.repeat(200))
    const [id] = submissionIds(1)
    const upload = `${id}_Jane-Doe-${'x'.repeat(200)}.png`
    const error = await extract(buildExportArchive({ extra: [{ name: `files/${upload}`, data: 'x' }] }), target).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ActionError)
    const message = (error as Error).message
    expect(message).toMatch(/^Could not extract entry #\d+ under files\/ into .*: its path is longer than/)
    expect(message).toMatch(/choose a shorter 'extract-path'/)
    expect(message).not.toContain('Jane-Doe')
    expect(existsSync(target)).toBe(false)
  })
})

describe('assertExtractTarget', () => {
  it('refuses a symbolic link, even to an empty folder, and writes nothing there', async () => {
    const real = join(dir, 'real-folder')
    mkdirSync(real)
    const link = join(dir, 'link-to-folder')
    symlinkSync(real, link)
    await expect(assertExtractTarget(link)).rejects.toThrow(/'extract-path' .* is a symbolic link/)
    await expect(extract(buildExportArchive(), link)).rejects.toThrow(/is a symbolic link/)
    expect(readdirSync(real)).toEqual([])
    const dangling = join(dir, 'dangling-link')
    symlinkSync(join(dir, 'nowhere'), dangling)
    await expect(assertExtractTarget(dangling)).rejects.toBeInstanceOf(ActionError)
  })

  it('refuses a file, and a path below a file', async () => {
    const file = join(dir, 'a-file')
    writeFileSync(file, 'x')
    await expect(assertExtractTarget(file)).rejects.toThrow(/is a file, not a folder/)
    await expect(assertExtractTarget(join(file, 'below'))).rejects.toThrow(/a part of the path is a file/)
  })

  it('removes the staging folders a killed run left beside the same target, and nothing else', async () => {
    const parent = join(dir, 'leftovers')
    const stale = join(parent, 'out.partial-0123abcd')
    mkdirSync(join(stale, 'files'), { recursive: true })
    writeFileSync(join(stale, 'files', 'upload.png'), 'participant data')
    const kept = ['out.partial-0123abc', 'out.partial-0123abcdx', 'out.partial-0123ABCD', 'out2.partial-0123abcd']
    for (const name of kept) mkdirSync(join(parent, name))
    const elsewhere = join(dir, 'not-ours')
    mkdirSync(elsewhere)
    writeFileSync(join(elsewhere, 'keep.txt'), 'x')
    symlinkSync(elsewhere, join(parent, 'out.partial-89abcdef'))
    await assertExtractTarget(join(parent, 'out'))
    expect(readdirSync(parent).sort()).toEqual([...kept, 'out.partial-89abcdef'].sort())
    expect(readdirSync(elsewhere)).toEqual(['keep.txt'])
  })
})
