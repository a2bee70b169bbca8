import { type FileHandle, open } from 'node:fs/promises'
import { crc32 } from 'node:zlib'
import type yauzl from 'yauzl'
import type { Deadline } from '../deadline.ts'
import { ActionError, ArchiveError, messageOf } from '../errors.ts'
import { type ContentCounts, type EntrySink, ExportContents } from './contents.ts'
import { ContentDigest } from './content-digest.ts'
import { safeEntry } from './entry-name.ts'
import { inflateSmall, SMALL_ENTRY } from './inflate-small.ts'
import { checkCentralDirectory, checkLocalHeader, checkNoOverlap, type Span } from './headers.ts'
import { type ArchiveKind, describeEntry } from './layout.ts'
import { openEntryData, openZip, readArchiveBytes } from './zip-reader.ts'

export interface ArchiveReport extends ContentCounts {
  /** Every entry, directories included. */
  entries: number
  uncompressedBytes: number
  /** SHA-256 over the entries' names, CRC-32s and sizes: stable across re-exports of the same data. */
  contentDigest: string
}

export interface ValidateOptions {
  strict: boolean
  deadline: Deadline
  /** Which export's layout to expect (default 'batch'). */
  kind?: ArchiveKind
}

/**
 * Reads the whole archive once, without trusting it: safe names, no duplicates, no entries
 * sharing bytes, sizes and CRC-32 as declared, and the export's own layout and JSONL.
 */
export async function validateArchive(
  path: string,
  { strict, deadline, kind = 'batch' }: ValidateOptions,
): Promise<ArchiveReport> {
  const zip = await openZip(path)
  const contents = new ExportContents(strict, kind)
  const names = new Set<string>()
  const spans: Span[] = []
  let uncompressedBytes = 0
  let headerBytes = 0
  const fingerprint = new ContentDigest()
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
      checkLocalHeader(entry, header, where)
      headerBytes += CENTRAL_HEADER_SIZE + entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength
      spans.push({ start: entry.relativeOffsetOfLocalHeader, end: header.fileDataStart + entry.compressedSize, index })
      if (isDirectory) {
        if (entry.uncompressedSize !== 0) throw new ArchiveError(`The archive's ${where} is a folder with data in it.`)
        continue
      }
      await checkData(zip, entry, header.fileDataStart, contents.sinkFor(name, where), where, deadline)
      uncompressedBytes += entry.uncompressedSize
      fingerprint.add(name, entry.crc32, entry.uncompressedSize)
    }
    where = 'the archive'
    const directoryAt = await withFile(path, (file) =>
      checkCentralDirectory(file, zip.fileSize, commentLength(zip), { entries: spans.length, headerBytes }),
    )
    checkNoOverlap([...spans, { start: directoryAt, end: Infinity, index: spans.length }])
    return { ...contents.finish(), entries: spans.length, uncompressedBytes, contentDigest: fingerprint.digest() }
  } catch (error) {
    if (error instanceof ActionError) throw error
    throw new ArchiveError(`The archive is damaged at ${where}: ${messageOf(error)}. Request a new export.`)
  } finally {
    zip.close()
  }
}

const CENTRAL_HEADER_SIZE = 46

/** With decodeStrings off, yauzl leaves the archive comment as raw bytes. */
function commentLength(zip: yauzl.ZipFile): number {
  const comment = zip.comment as unknown as Buffer | string
  return typeof comment === 'string' ? Buffer.byteLength(comment) : comment.length
}

async function withFile<T>(path: string, use: (file: FileHandle) => Promise<T>): Promise<T> {
  const file = await open(path, 'r')
  try {
    return await use(file)
  } finally {
    await file.close()
  }
}

async function smallEntryData(zip: yauzl.ZipFile, entry: yauzl.Entry, dataStart: number): Promise<Buffer> {
  const raw = await readArchiveBytes(zip, dataStart, entry.compressedSize)
  if (entry.compressionMethod === 8) return inflateSmall(raw, entry.uncompressedSize)
  if (entry.compressionMethod !== 0) throw new ArchiveError(`uses compression method ${entry.compressionMethod}.`)
  if (raw.length !== entry.uncompressedSize) {
    throw new Error(`its data inflates to ${raw.length} bytes, not the ${entry.uncompressedSize} it declares`)
  }
  return raw
}

async function checkData(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  dataStart: number,
  sink: EntrySink,
  where: string,
  deadline: Deadline,
): Promise<void> {
  let checksum = 0
  if (entry.compressedSize <= SMALL_ENTRY && entry.uncompressedSize <= SMALL_ENTRY) {
    // Most entries are small uploads: take them whole, without a stream and its round trips.
    const data = await smallEntryData(zip, entry, dataStart)
    checksum = crc32(data)
    sink.push(data)
  } else {
    let stream
    try {
      stream = await openEntryData(zip, entry, dataStart)
    } catch (error) {
      if (error instanceof ArchiveError) throw new ArchiveError(`The archive's ${where} ${error.message}`)
      throw error
    }
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (deadline.signal.aborted) throw deadline.expired('validating the archive')
      checksum = crc32(chunk, checksum)
      sink.push(chunk)
    }
  }
  sink.end()
  if (checksum !== entry.crc32) {
    throw new ArchiveError(
      `The archive's ${where} fails its CRC-32 check (the bytes are not the ones the archive declares). ` +
        'The download or the export is corrupt; run the workflow again.',
    )
  }
}
