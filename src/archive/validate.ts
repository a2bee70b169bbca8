import { type FileHandle, open } from 'node:fs/promises'
import type yauzl from 'yauzl'
import type { Deadline } from '../core/deadline.ts'
import { ActionError, ArchiveError, messageOf } from '../core/errors.ts'
import { neutralise } from '../runner/outside-text.ts'
import { type ContentCounts, ExportContents } from './contents.ts'
import { ContentDigest } from './content-digest.ts'
import { checkLocalNameFields, safeEntry } from './entry-name.ts'
import { EntryNames } from './entry-names.ts'
import { checkData } from './entry-data.ts'
import { checkCentralDirectory, checkLocalHeader, checkNoOverlap, type Span } from './headers.ts'
import { type ArchiveKind, describeEntry } from './layout.ts'
import { type ArchiveLimits, checkDeadline, checkLimits, DEFAULT_LIMITS } from './limits.ts'
import { openZip } from './zip/zip-reader.ts'
import { CENTRAL_HEADER } from './zip/records.ts'

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
  /** Size and compression-ratio limits (default DEFAULT_LIMITS). */
  limits?: ArchiveLimits
  /** The archive is to be unpacked: names Windows or macOS cannot create are refused, not counted (default false). */
  extract?: boolean
  /** The system `extract` unpacks on (default: this runner's): which names it cannot create. */
  platform?: NodeJS.Platform
}

/** Where the archive is being read, for the message of an error that does not say. */
interface Place {
  where: string
}

/**
 * Reads the whole archive without trusting it, in two passes. The first reads only the central
 * directory and the local headers: safe names, no duplicates, headers that agree, no entries
 * sharing bytes, totals within the limits. Only then does the second inflate anything: sizes and
 * CRC-32 as declared, and the export's own layout and JSONL.
 */
export async function validateArchive(
  path: string,
  { strict, deadline, kind = 'batch', limits = DEFAULT_LIMITS, extract = false, platform }: ValidateOptions,
): Promise<ArchiveReport> {
  const place: Place = { where: 'the central directory' }
  try {
    const names = new EntryNames(extract, platform)
    const directory = await readDirectory(path, deadline, limits, place, names)
    return names.finish(await readEntries(path, directory, { strict, deadline, kind }, place))
  } catch (error) {
    if (error instanceof ActionError) throw error
    throw new ArchiveError(
      `The archive is damaged at ${place.where}: ${neutralise(messageOf(error), 200)}. Request a new export.`,
    )
  }
}

/** What the first pass leaves the second: where each entry's data starts, and the declared total. */
interface Directory {
  dataStarts: number[]
  uncompressedBytes: number
}

async function readDirectory(
  path: string,
  deadline: Deadline,
  limits: ArchiveLimits,
  place: Place,
  names: EntryNames,
): Promise<Directory> {
  const zip = await openZip(path)
  try {
    const spans: Span[] = []
    const dataStarts: number[] = []
    let declared = 0
    let headerBytes = 0
    for await (const entry of zip.eachEntry()) {
      checkDeadline(deadline)
      const index = spans.length
      const { name, isDirectory } = names.entry(entry, index)
      place.where = describeEntry(name, index)
      const header = await zip.readLocalFileHeaderPromise(entry)
      checkLocalHeader(entry, header, place.where)
      checkLocalNameFields(header.extraField, entry, index)
      headerBytes += CENTRAL_HEADER.fixedBytes + entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength
      spans.push({ start: entry.relativeOffsetOfLocalHeader, end: header.fileDataStart + entry.compressedSize, index })
      dataStarts.push(header.fileDataStart)
      if (isDirectory && entry.uncompressedSize !== 0) {
        throw new ArchiveError(`The archive's ${place.where} is a folder with data in it.`)
      }
      declared += entry.uncompressedSize
    }
    place.where = 'the archive'
    const directoryAt = await withFile(path, (file) =>
      checkCentralDirectory(file, zip.fileSize, commentLength(zip), { entries: spans.length, headerBytes }),
    )
    checkNoOverlap([...spans, { start: directoryAt, end: Infinity, index: spans.length }])
    // After the overlap check: a quoted-overlap bomb is named as what it is, not as a ratio.
    checkLimits(declared, zip.fileSize, limits)
    return { dataStarts, uncompressedBytes: declared }
  } finally {
    zip.close()
  }
}

async function readEntries(
  path: string,
  { dataStarts, uncompressedBytes }: Directory,
  { strict, deadline, kind }: Required<Omit<ValidateOptions, 'limits' | 'extract' | 'platform'>>,
  place: Place,
): Promise<ArchiveReport> {
  const zip = await openZip(path)
  try {
    const contents = new ExportContents(strict, kind)
    const fingerprint = new ContentDigest()
    let index = 0
    for await (const entry of zip.eachEntry()) {
      checkDeadline(deadline)
      // The same bytes as in the first pass, so the same name: decoded again rather than kept.
      const { name, isDirectory } = safeEntry(entry, index)
      place.where = describeEntry(name, index)
      const dataStart = dataStarts[index++]
      if (isDirectory) continue
      if (dataStart === undefined) throw new ArchiveError('The archive changed while it was being validated.')
      await checkData(zip, entry, dataStart, contents.sinkFor(name, place.where), place.where, deadline)
      fingerprint.add(name, entry.crc32, entry.uncompressedSize)
    }
    place.where = 'the archive'
    return { ...contents.finish(), entries: index, uncompressedBytes, contentDigest: fingerprint.digest() }
  } finally {
    zip.close()
  }
}

/** With decodeStrings off, yauzl leaves the archive comment as raw bytes (its types say a string). */
function commentLength(zip: yauzl.ZipFile): number {
  const comment: unknown = zip.comment
  return Buffer.isBuffer(comment) ? comment.length : Buffer.byteLength(String(comment))
}

async function withFile<T>(path: string, use: (file: FileHandle) => Promise<T>): Promise<T> {
  const file = await open(path, 'r')
  try {
    return await use(file)
  } finally {
    await file.close()
  }
}
