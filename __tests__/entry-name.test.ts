// Entry names, links and file types, as the disk validator and the scan during the download
// judge them: every hostile case of the corpus refused by the disk (and never vouched for by
// the scan), without the participant-looking name it carries in the message.
import { execFileSync } from 'node:child_process'
import { lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { ScanningTap } from '../src/archive/scan-tap.ts'
import { validateArchive } from '../src/archive/validate.ts'
import { Deadline } from '../src/core/deadline.ts'
import { ArchiveError } from '../src/core/errors.ts'
import { buildExportArchive, submissionIds } from '../test-support/export-archive.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { HOSTILE_NAMES, HOSTILE_WARNINGS, unicodePathField } from '../test-support/hostile-names.ts'
import { hasInfoZip } from '../test-support/info-zip.ts'

const dir = mkdtempSync(join(tmpdir(), 'entry-name-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0

function save(zip: Buffer): string {
  const file = join(dir, `archive-${++counter}.zip`)
  writeFileSync(file, zip)
  return file
}

interface Options {
  extract?: boolean
  strict?: boolean
  platform?: NodeJS.Platform | undefined
}

const deadline = () => new Deadline(fakeClock(), 60_000)
const fromDisk = (zip: Buffer, { extract = false, strict = false, platform = 'win32' }: Options = {}) =>
  validateArchive(save(zip), { strict, extract, platform, deadline: deadline() })

async function scan(zip: Buffer, { extract = false, strict = false, platform = 'win32' }: Options = {}) {
  const tap = new ScanningTap({ strict, extract, platform, kind: 'batch', deadline: deadline() })
  for (let at = 0; at < zip.length; at += 4096) await tap.push(zip.subarray(at, at + 4096))
  return tap.finish(zip.length)
}

async function refusal(zip: Buffer, options: Options): Promise<string> {
  const error = await fromDisk(zip, options).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ArchiveError)
  return (error as Error).message
}

describe('hostile names, links and file types are refused before anything is written', () => {
  it.each(HOSTILE_NAMES.map((c) => [c.title, c] as const))('%s', async (_title, hostile) => {
    const zip = hostile.build()
    const message = await refusal(zip, { extract: hostile.extract, platform: hostile.platform })
    expect(message).toMatch(hostile.error)
    for (const name of hostile.forbidden) expect(message).not.toContain(name)
    // The scan may defer to the disk, never vouch for what the disk refuses.
    expect(await scan(zip, { extract: hostile.extract, platform: hostile.platform })).toHaveProperty('deferred')
  })
})

describe("names the runner's own system can create are only counted", () => {
  const unportable = HOSTILE_NAMES.filter((c) => c.platform === 'win32')

  it.each(unportable.map((c) => [c.title, c] as const))(
    '%s: unpacked faithfully on Linux, so a warning',
    async (_t, c) => {
      const report = await fromDisk(c.build(), { extract: true, platform: 'linux' })
      expect(report.warnings).toEqual([
        expect.stringMatching(/^1 name\(s\) in the archive cannot be created as they are on Windows or macOS/),
      ])
      for (const name of c.forbidden) expect(JSON.stringify(report)).not.toContain(name)
    },
  )

  it('macOS refuses only the letter-case and normalisation clashes', async () => {
    for (const c of unportable) {
      const outcome = await fromDisk(c.build(), { extract: true, platform: 'darwin' }).then(
        () => 'passes',
        (e: unknown) => (e instanceof ArchiveError ? 'refused' : 'bug'),
      )
      expect([c.title, outcome]).toEqual([c.title, /letter case|normalisation/.test(c.title) ? 'refused' : 'passes'])
    }
  })
})

describe('what is only odd passes, with a warning that names no entry', () => {
  it.each(HOSTILE_WARNINGS.map((c) => [c.title, c] as const))('%s', async (_title, odd) => {
    const zip = odd.build()
    const report = await fromDisk(zip, { extract: odd.extract })
    expect(report.warnings.join('\n')).toMatch(odd.warning)
    for (const name of odd.forbidden) expect(JSON.stringify(report)).not.toContain(name)
    expect(await scan(zip, { extract: odd.extract })).toEqual({ report })
  })

  it('names Windows cannot create are one warning, even with strict, and an error only with extract', async () => {
    const [id] = submissionIds(1)
    const zip = buildExportArchive({ extra: [{ name: `files/${id}_a:b.png`, data: 'x' }] })
    const report = await fromDisk(zip, { strict: true })
    expect(report.warnings).toEqual([expect.stringMatching(/^1 name\(s\) in the archive cannot be created/)])
    expect(await refusal(zip, { extract: true })).toMatch(/Windows forbids/)
  })

  it('many entries outside the layout: a count and the first five numbers', async () => {
    const extra = Array.from({ length: 7 }, (_, i) => ({ name: `uploads/secret-${i}.png`, data: 'x' }))
    const report = await fromDisk(buildExportArchive({ extra }))
    expect(report.warnings.join()).toMatch(/holds 7 entries outside the documented layout: (entry #\d+, ){5}…\./)
    expect(JSON.stringify(report)).not.toContain('secret')
  })
})

describe('a Unicode Path field (0x7075)', () => {
  const [id] = submissionIds(1)
  const name = `files/${id}_scan.png`
  const withField = (second: string) =>
    buildExportArchive({
      extra: [{ name, data: 'x', extraField: unicodePathField(Buffer.from(name), Buffer.from(second)) }],
    })

  it('that repeats the name exactly is accepted', async () => {
    expect((await fromDisk(withField(name))).warnings).toEqual([])
  })

  it('is checked in the local header too, where Info-ZIP also reads it', async () => {
    const zip = withField(name)
    // The local header comes first: change its copy of the field only, keeping its length.
    const at = zip.indexOf(Buffer.from(name), zip.indexOf(Buffer.from(name)) + name.length)
    zip.write('X', at + name.length - 5, 'latin1')
    expect(await refusal(zip, {})).toMatch(/entry #\d+ under files\/ has a second name, in a Unicode Path field/)
  })
})

describe('real exports still pass', () => {
  it('non-ASCII UTF-8 names, folders per submission and a folder entry for each', async () => {
    const ids = submissionIds(3)
    const extra = ids.flatMap((id) => [
      { name: `files/${id}/` },
      // 'Ā' is C4 80 and 'ž' C5 BE in UTF-8: bytes that are C1 controls when read one a character.
      { name: `files/${id}/José García – ファイル Ā ž.png`, data: 'x' },
      { name: `files/${id}/notes.txt`, data: 'y' },
    ])
    const zip = buildExportArchive({ extra })
    const report = await fromDisk(zip, { extract: true, strict: true })
    expect(report.warnings).toEqual([])
    expect(await scan(zip, { extract: true, strict: true })).toEqual({ report })
  })
})

// Info-ZIP honours the Unix mode for these "made by" systems too, not only for Unix (3).
describe.skipIf(!hasInfoZip)('links that Info-ZIP would create', () => {
  it.each([2, 3, 5, 16, 30])('made by %i: unzip makes a link to /etc; validation refuses it', async (madeBy) => {
    const hostile = HOSTILE_NAMES.find((c) => c.title.includes(`(${madeBy})`))
    expect(hostile).toBeDefined()
    const zip = hostile!.build()
    const out = join(dir, `unzipped-${madeBy}`)
    mkdirSync(out)
    execFileSync('unzip', ['-q', save(zip), '-d', out], { stdio: 'ignore' })
    const [id] = submissionIds(1)
    const link = join(out, 'files', `${id}_Jane-Doe-passport-scan.png`)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readlinkSync(link)).toBe('/etc')
    expect(await refusal(zip, {})).toMatch(/entry #\d+ under files\/ is a symbolic link/)
  })
})

describe('no entry name of any content is ever shown (property)', () => {
  it('random names, in and outside files/: the verdict and its message never quote them', async () => {
    const [id] = submissionIds(1)
    const MARK = 'QZXJ-participant'
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.constantFrom(`files/${id}_`, 'uploads/', '', 'files/'),
        fc.boolean(),
        async (random, folder, extract) => {
          const name = `${folder}${random}${MARK}.png`
          const zip = buildExportArchive({ extra: [{ name, data: 'x' }] })
          const verdict = await fromDisk(zip, { extract, platform: 'win32' }).then(
            (report) => JSON.stringify(report),
            (error: unknown) => (error instanceof ArchiveError ? error.message : `bug: ${String(error)}`),
          )
          expect(verdict).not.toMatch(/^bug:/)
          expect(verdict).not.toContain(MARK)
        },
      ),
      { numRuns: 150, seed: 13 },
    )
  })
})
