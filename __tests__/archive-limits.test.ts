// Decompression bombs, memory bounds and the clock (issue 13, items 6-8): the hostile corpus
// refused from the disk and never vouched for during the download, limits that name the input
// to raise, and a deadline that stops the work inside an entry.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type ArchiveLimits, checkLimits, DEFAULT_LIMITS, RATIO_FLOOR_BYTES } from '../src/archive/limits.ts'
import { ScanningTap } from '../src/archive/scan-tap.ts'
import { validateArchive } from '../src/archive/validate.ts'
import type { Clock } from '../src/core/clock.ts'
import { Deadline } from '../src/core/deadline.ts'
import { ArchiveError, DeadlineError } from '../src/core/errors.ts'
import { buildExportArchive } from '../test-support/export-archive.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import {
  BLANK_SCAN,
  blankScanBomb,
  HOSTILE_BOMBS,
  newlineBomb,
  OVERLAP_NAME,
  quotedOverlapBomb,
} from '../test-support/hostile-bombs.ts'
import { scanBytes } from '../test-support/scan-harness.ts'

const dir = mkdtempSync(join(tmpdir(), 'limits-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0
const RAISED: ArchiveLimits = { maxUncompressedBytes: 2 ** 50, maxRatio: Infinity }

function validate(zip: Buffer, options: { limits?: ArchiveLimits; deadline?: Deadline } = {}) {
  const file = join(dir, `archive-${++counter}.zip`)
  writeFileSync(file, zip)
  return validateArchive(file, { strict: false, deadline: new Deadline(fakeClock(), 60_000), ...options })
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(Error)
  return error as Error
}

/** The start of an entry's data made garbage (a reserved deflate block type): inflating it fails at once. */
function spoilData(zip: Buffer, name: string): Buffer {
  const spoiled = Buffer.from(zip)
  const dataAt = zip.indexOf(Buffer.from(name)) + Buffer.byteLength(name)
  spoiled.fill(0xff, dataAt, dataAt + 64)
  return spoiled
}

describe('the hostile corpus', () => {
  it.each(HOSTILE_BOMBS)('$title: refused from the disk, by the message the step shows', async (bomb) => {
    const error = await failure(validate(bomb.build()))
    expect(error).toBeInstanceOf(ArchiveError)
    expect(error.message).toMatch(bomb.error)
    for (const secret of bomb.forbidden) expect(error.message).not.toContain(secret)
  })

  it.each(HOSTILE_BOMBS)('$title: never vouched for during the download', async (bomb) => {
    expect(await scanBytes(bomb.build())).toHaveProperty('deferred')
  })
})

describe('bombs are refused from the directory, before anything is inflated', () => {
  it('the quoted-overlap bomb, even with its shared data spoiled (it is never read)', async () => {
    const spoiled = spoilData(quotedOverlapBomb(50), OVERLAP_NAME(49))
    const error = await failure(validate(spoiled, { limits: RAISED }))
    expect(error.message).toMatch(/entries #5 and #6 share bytes/)
  })

  it.each([
    ['a 300 MiB blank upload', blankScanBomb, BLANK_SCAN],
    ['512 MiB of newlines', newlineBomb, 'responses-by-task.jsonl'],
  ])('%s: the ratio refuses it with its data spoiled; raised, the data is read', async (_name, build, name) => {
    const spoiled = spoilData(build(), name)
    expect((await failure(validate(spoiled))).message).toMatch(/refused before anything was inflated.*1009 times/)
    expect((await failure(validate(spoiled, { limits: RAISED }))).message).toMatch(/damaged|CRC-32/)
  })

  it('the scan stops before inflating past the limits, and says so', async () => {
    const spoiled = spoilData(blankScanBomb(), BLANK_SCAN)
    expect(await scanBytes(spoiled)).toEqual({ deferred: 'it has more uncompressed data than the limits allow' })
  })
})

describe('the limits', () => {
  it('name the input to raise, and accept any ratio up to the floor', () => {
    expect(() => checkLimits(17 * 2 ** 30, 17 * 2 ** 30, DEFAULT_LIMITS)).toThrow(/raise 'max-uncompressed-size'/i)
    expect(() => checkLimits(RATIO_FLOOR_BYTES + 1, 1000, DEFAULT_LIMITS)).toThrow(/raise 'max-compression-ratio'/i)
    expect(() => checkLimits(RATIO_FLOOR_BYTES, 1000, DEFAULT_LIMITS)).not.toThrow()
    expect(() => checkLimits(100 * 2 ** 20, 2 ** 20, DEFAULT_LIMITS)).not.toThrow()
  })

  it('are taken from the options: a lower size limit refuses a real export', async () => {
    const zip = buildExportArchive({ submissions: 20 })
    await expect(validate(zip)).resolves.toMatchObject({ submissions: 20 })
    const limits = { maxUncompressedBytes: 1000, maxRatio: 100 }
    expect((await failure(validate(zip, { limits }))).message).toMatch(
      /more than 'max-uncompressed-size' \(1000 bytes\)/,
    )
  })
})

/** Each look at the clock moves it an hour on: ten looks pass a timeout that real time never reaches here. */
function tickingClock(): Clock {
  let now = 0
  return { now: () => (now += HOUR), sleep: async () => undefined }
}
const HOUR = 3_600_000

/** An export whose responses-by-submission.jsonl is several MiB, ending in a line that is not JSON. */
function slowExport(): Buffer {
  const lines = Array.from({ length: 200_000 }, (_, i) => JSON.stringify({ submission_id: `s${i}`, n: i * 7919 }))
  return buildExportArchive({ replace: { 'responses-by-submission.jsonl': `${lines.join('\n')}\n{oops\n` } })
}

describe('the deadline holds inside an entry', () => {
  it('validateArchive stops mid-entry when the clock passes the timeout', async () => {
    const error = await failure(validate(slowExport(), { deadline: new Deadline(tickingClock(), 10 * HOUR) }))
    expect(error).toBeInstanceOf(DeadlineError)
    expect(error.message).toMatch(/timeout of 10h passed while validating the archive/)
  })

  it('the scan stops mid-entry too, and the step stops rather than read the file again', async () => {
    const zip = slowExport()
    const tap = new ScanningTap({ strict: false, kind: 'batch', deadline: new Deadline(tickingClock(), 10 * HOUR) })
    await tap.push(zip)
    await expect(tap.finish(zip.length)).rejects.toThrow(/timeout of 10h passed while validating/)
  })

  it('the scan stops on a cancel that comes mid-entry', async () => {
    const zip = slowExport()
    const cancel = new AbortController()
    let looks = 0
    const clock: Clock = { now: () => (++looks === 10 && cancel.abort(), 0), sleep: async () => undefined }
    const tap = new ScanningTap({
      strict: false,
      kind: 'batch',
      deadline: new Deadline(clock, 10 * HOUR, cancel.signal),
    })
    await tap.push(zip)
    await expect(tap.finish(zip.length)).rejects.toThrow(/cancelled while validating/)
  })
})
