import { crc32 } from 'node:zlib'
import type yauzl from 'yauzl'
import type { Deadline } from '../deadline.ts'
import { ActionError, ArchiveError, messageOf } from '../errors.ts'
import { type ContentCounts, type EntrySink, ExportContents } from './contents.ts'
import { safeEntry } from './entry-name.ts'
import { describeEntry } from './layout.ts'
import { openEntryData, openZip } from './zip-reader.ts'

export interface ArchiveReport extends ContentCounts {
  /** Every entry, directories included. */
  entries: number
  uncompressedBytes: number
}

export interface ValidateOptions {
  strict: boolean
  deadline: Deadline
}

interface Span {
  start: number
  end: number
  index: number
}

/**
 * Reads the whole archive once, without trusting it: safe names, no duplicates, no entries
 * sharing bytes, sizes and CRC-32 as declared, and the export's own layout and JSONL.
 */
export async function validateArchive(path: string, { strict, deadline }: ValidateOptions): Promise<ArchiveReport> {
  const zip = await openZip(path)
  const contents = new ExportContents(strict)
  const names = new Set<string>()
  const spans: Span[] = []
  let uncompressedBytes = 0
  let where = 'the central directory'
  try {
    for await (const entry of zip.eachEntry()) {
      if (deadline.signal.aborted) throw deadline.expired('validating the archive')
      const index = spans.length
      const { name, isDirectory } = safeEntry(entry, index)
      where = describeEntry(name, index)
      if (names.has(name)) throw new ArchiveError(`The archive lists ${where} twice; an export never does.`)
      names.add(name)
      const header = await zip.readLocalFileHeaderPromise(entry)
      if (!header.fileName.equals(entry.fileNameRaw)) {
        throw new ArchiveError(`The archive's local header for ${where} names a different file than its directory.`)
      }
      spans.push({ start: entry.relativeOffsetOfLocalHeader, end: header.fileDataStart + entry.compressedSize, index })
      if (isDirectory) continue
      await checkData(zip, entry, header.fileDataStart, contents.sinkFor(name, where), where)
      uncompressedBytes += entry.uncompressedSize
    }
    where = 'the archive'
    checkNoOverlap(spans)
    return { ...contents.finish(), entries: spans.length, uncompressedBytes }
  } catch (error) {
    if (error instanceof ActionError) throw error
    throw new ArchiveError(`The archive is damaged at ${where}: ${messageOf(error)}. Request a new export.`)
  } finally {
    zip.close()
  }
}

async function checkData(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  dataStart: number,
  sink: EntrySink,
  where: string,
): Promise<void> {
  let stream
  try {
    stream = await openEntryData(zip, entry, dataStart)
  } catch (error) {
    if (error instanceof ArchiveError) throw new ArchiveError(`The archive's ${where} ${error.message}`)
    throw error
  }
  let checksum = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    checksum = crc32(chunk, checksum)
    sink.push(chunk)
  }
  sink.end()
  if (checksum !== entry.crc32) {
    throw new ArchiveError(
      `The archive's ${where} fails its CRC-32 check (the bytes are not the ones the archive declares). ` +
        'The download or the export is corrupt; run the workflow again.',
    )
  }
}

function checkNoOverlap(spans: Span[]): void {
  const sorted = [...spans].sort((a, b) => a.start - b.start)
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]
    const current = sorted[i]
    if (previous && current && current.start < previous.end) {
      throw new ArchiveError(
        `The archive is unsafe: entries #${previous.index + 1} and #${current.index + 1} share bytes ` +
          '(a zip-bomb construction). Nothing was extracted.',
      )
    }
  }
}
