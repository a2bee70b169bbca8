// One entry's data read from disk (checkData): the deadline holds inside the entry, and its
// message says what the step was doing, validation or the tables.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkData } from '../src/archive/entry-data.ts'
import { openZip } from '../src/archive/zip/zip-reader.ts'
import { Deadline } from '../src/core/deadline.ts'
import { DeadlineError } from '../src/core/errors.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { buildZip } from '../test-support/zip-builder.ts'

const dir = mkdtempSync(join(tmpdir(), 'entry-data-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Reads the one large entry of a ZIP, cancelling the step once its first chunk arrived. */
async function cancelledMidEntry(during?: string): Promise<unknown> {
  const path = join(dir, `${Math.random()}.zip`)
  // Larger than a small entry (1 MiB): read as a stream, chunk by chunk.
  writeFileSync(path, buildZip([{ name: 'files/s1_big.bin', data: randomBytes(3 * 1024 * 1024), method: 'store' }]))
  const zip = await openZip(path)
  const cancel = new AbortController()
  const deadline = new Deadline(fakeClock(), 60_000, cancel.signal)
  try {
    for await (const entry of zip.eachEntry()) {
      const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true })
      const sink = { push: () => cancel.abort(), end: () => undefined }
      return await checkData(zip, entry, fileDataStart, sink, 'entry #1', deadline, during).catch((e: unknown) => e)
    }
  } finally {
    zip.close()
  }
  return undefined
}

describe('checkData', () => {
  it('stops inside a large entry when the step is cancelled, saying what the step was doing', async () => {
    const tables = await cancelledMidEntry('making the tables')
    expect(tables).toBeInstanceOf(DeadlineError)
    expect((tables as Error).message).toContain('making the tables')
    const validating = await cancelledMidEntry()
    expect(validating).toBeInstanceOf(DeadlineError)
    expect((validating as Error).message).toContain('validating the archive')
  })
})
