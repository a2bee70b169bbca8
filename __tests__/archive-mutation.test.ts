// Seeded mutation testing: corrupt a valid export at random (flipped bytes, overwritten runs,
// truncation) and hold the validator to three rules. It never fails with anything but a
// reported ArchiveError (no crash, no unhandled exception), it never accepts an archive
// that Info-ZIP's `unzip -tq` rejects, and the check during the download never vouches for
// an archive that the full validation from disk would refuse or report differently.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { validateArchive } from '../src/archive/validate.ts'
import { Deadline } from '../src/core/deadline.ts'
import { ActionError } from '../src/core/errors.ts'
import { buildExportArchive } from '../test-support/export-archive.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { hasInfoZip } from '../test-support/info-zip.ts'
import { scanBytes } from '../test-support/scan-harness.ts'

const SEED = Number(process.env.MUTATION_SEED ?? 20261122)
const CASES = Number(process.env.MUTATION_CASES ?? 400)
const dir = mkdtempSync(join(tmpdir(), 'mutation-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** mulberry32: a tiny seeded PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function mutate(base: Buffer, random: () => number): { bytes: Buffer; how: string } {
  const bytes = Buffer.from(base)
  const at = () => Math.floor(random() * bytes.length)
  const kind = Math.floor(random() * 4)
  if (kind === 0) {
    const flips = 1 + Math.floor(random() * 4)
    const where: number[] = []
    for (let i = 0; i < flips; i++) {
      const position = at()
      where.push(position)
      bytes[position] = (bytes[position] ?? 0) ^ (1 << Math.floor(random() * 8))
    }
    return { bytes, how: `flip bits at ${where.join(',')}` }
  }
  if (kind === 1) {
    const start = at()
    const length = 1 + Math.floor(random() * 16)
    for (let i = start; i < Math.min(bytes.length, start + length); i++) bytes[i] = Math.floor(random() * 256)
    return { bytes, how: `overwrite ${length} bytes at ${start}` }
  }
  if (kind === 2) {
    const length = at()
    return { bytes: bytes.subarray(0, length), how: `truncate to ${length}` }
  }
  // Aim at the headers, where a flipped size, offset or name does the most damage.
  const tail = bytes.length - 1 - Math.floor(random() * Math.min(bytes.length, 400))
  bytes[tail] = Math.floor(random() * 256)
  return { bytes, how: `set byte ${tail} (central directory region)` }
}

function infoZipAccepts(file: string): boolean {
  return spawnSync('unzip', ['-tq', file], { stdio: 'ignore' }).status === 0
}

// Info-ZIP is the judge here: without it the test is skipped, not passed.
describe.skipIf(!hasInfoZip)('validateArchive under random corruption', () => {
  it.each([
    ['a plain archive', buildExportArchive({ submissions: 6, tasks: 3, files: 3 })],
    ['a ZIP64 archive', buildExportArchive({ submissions: 6, tasks: 3, files: 3, zip64: true })],
  ])(
    `${CASES} seeded mutations of %s: no crash, never accepts what unzip -tq rejects, and the scan during the download agrees`,
    async (_name, base) => {
      const random = prng(SEED)
      const outcomes = { accepted: 0, rejected: 0, scanned: 0 }
      const violations: string[] = []
      for (let i = 0; i < CASES; i++) {
        const { bytes, how } = mutate(base, random)
        const file = join(dir, `case-${base.length}-${i}.zip`)
        writeFileSync(file, bytes)
        let report: unknown
        try {
          report = await validateArchive(file, { strict: false, deadline: new Deadline(fakeClock(), 60_000) })
          outcomes.accepted++
        } catch (error) {
          outcomes.rejected++
          if (!(error instanceof ActionError)) violations.push(`case ${i} (${how}): crashed with ${String(error)}`)
        }
        if (report && !infoZipAccepts(file)) violations.push(`case ${i} (${how}): accepted, but unzip -tq rejects it`)
        const scanned = await scanBytes(bytes, { chunk: () => 1 + Math.floor(random() * 512) })
        if ('report' in scanned) {
          outcomes.scanned++
          if (!report) violations.push(`case ${i} (${how}): vouched for during the download, refused from disk`)
          else if (!isDeepStrictEqual(scanned.report, report)) violations.push(`case ${i} (${how}): reports differ`)
        }
      }
      expect(violations).toEqual([])
      // Sanity: the mutations do damage, and some are harmless (e.g. in a file's mtime).
      expect(outcomes.rejected).toBeGreaterThan(CASES / 2)
      expect(outcomes.scanned).toBeGreaterThan(0)
    },
  )
})
