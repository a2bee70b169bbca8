import type { FileHandle } from 'node:fs/promises'
import yauzl from 'yauzl'
import { ArchiveError } from '../core/errors.ts'
import { describedDirectory, type DirectoryExtent, locatorIsPlain, zip64RecordIsPlain } from './zip/end-records.ts'
import { methodProblem, NEWEST_VERSION_NEEDED, versionNeeded } from './zip/features.ts'
import { END_RECORD, FLAG, PLACEHOLDER, SIGNATURE, ZIP64_END_RECORD, ZIP64_LOCATOR } from './zip/records.ts'
import { zip64Field, zip64Values } from './zip/zip64-field.ts'

/**
 * A ZIP says everything twice: in the central directory (what yauzl reads) and in each local
 * header (what streaming tools such as Info-ZIP's unzip trust). Where the two disagree, tools
 * disagree on what the archive holds, so an export that does not agree with itself is refused.
 */
export function checkLocalHeader(entry: yauzl.Entry, local: yauzl.LocalFileHeader, where: string): void {
  const problem = methodProblem(entry.compressionMethod)
  if (problem) throw new ArchiveError(`The archive's ${where} ${problem}`)
  const needed = Math.max(versionNeeded(entry.versionNeededToExtract), versionNeeded(local.versionNeededToExtract))
  if (needed > NEWEST_VERSION_NEEDED) {
    throw new ArchiveError(
      `The archive's ${where} needs ZIP version ${needed / 10} features, which no export uses and common tools cannot read.`,
    )
  }
  const disagree = (field: string) =>
    new ArchiveError(
      `The archive is inconsistent: the local header of ${where} gives a different ${field} than the central ` +
        'directory. The download or the export is corrupt; run the workflow again.',
    )
  if (!local.fileName.equals(entry.fileNameRaw)) throw disagree('name')
  if (local.compressionMethod !== entry.compressionMethod) throw disagree('compression method')
  for (const [bit, field] of [
    [FLAG.encrypted, 'encryption flag'],
    [FLAG.utf8Names, 'name encoding (UTF-8 flag)'],
    // Info-ZIP trusts the local flag and goes looking for a descriptor the writer never wrote.
    [FLAG.dataDescriptor, 'data descriptor flag'],
  ] as const) {
    if ((local.generalPurposeBitFlag & bit) !== (entry.generalPurposeBitFlag & bit)) throw disagree(field)
  }
  // With a data descriptor the local header's CRC and sizes are zero by design.
  if (local.generalPurposeBitFlag & FLAG.dataDescriptor) return
  if (local.crc32 !== entry.crc32) throw disagree('CRC-32')
  const [size, compressedSize] = localSizes(local)
  if (compressedSize !== entry.compressedSize) throw disagree('compressed size')
  if (size !== entry.uncompressedSize) throw disagree('size')
}

/** A local header's sizes, from its ZIP64 extra field where the header holds placeholders. */
function localSizes(local: yauzl.LocalFileHeader): ReadonlyArray<number | undefined> {
  let malformed = false
  const zip64Data = () => {
    try {
      return zip64Field(yauzl.parseExtraFields(local.extraField))
    } catch {
      malformed = true
      return undefined
    }
  }
  const sizes = zip64Values(
    zip64Data,
    [local.uncompressedSize, local.compressedSize],
    [PLACEHOLDER.u32, PLACEHOLDER.u32],
  )
  return malformed ? [undefined, undefined] : sizes
}

export interface Span {
  start: number
  end: number
  index: number
}

/** Entries that share bytes are the overlapping-file zip bomb; an export never has them. */
export function checkNoOverlap(spans: Span[]): void {
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

/**
 * The end record (and the ZIP64 one) must describe exactly the directory that was read: the
 * same entry count, size and place, on a single disk (the rules are in zip/end-records.ts).
 * Returns the directory's offset, where entry data must end.
 */
export async function checkCentralDirectory(
  file: FileHandle,
  fileSize: number,
  commentLength: number,
  read: { entries: number; headerBytes: number },
): Promise<number> {
  const endAt = fileSize - END_RECORD.fixedBytes - commentLength
  const end = await readAt(file, endAt, END_RECORD.fixedBytes)
  const directory = { entries: read.entries, size: read.headerBytes }
  const locatorAt = endAt - ZIP64_LOCATOR.fixedBytes
  const locator = locatorAt >= 0 ? await readAt(file, locatorAt, ZIP64_LOCATOR.fixedBytes) : undefined
  let extent: DirectoryExtent | undefined
  if (locator?.readUInt32LE(ZIP64_LOCATOR.signature) === SIGNATURE.zip64Locator) {
    const recordAt = Number(locator.readBigUInt64LE(ZIP64_LOCATOR.recordOffset))
    const record = await readAt(file, recordAt, ZIP64_END_RECORD.fixedBytes)
    extent = describedDirectory(end, record, directory, recordAt)
    if (!locatorIsPlain(locator, recordAt) || !zip64RecordIsPlain(record, recordAt, locatorAt)) extent = undefined
  } else {
    extent = describedDirectory(end, undefined, directory, endAt)
  }
  if (!extent) {
    throw new ArchiveError(
      'The archive is inconsistent: its end record does not describe the central directory that is there (or it claims to span several disks). ' +
        'The download or the export is corrupt; run the workflow again.',
    )
  }
  return extent.offset
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  if (position < 0) throw new ArchiveError('The archive is truncated: its end record points before its start.')
  const { buffer, bytesRead } = await file.read(Buffer.alloc(length), 0, length, position)
  if (bytesRead !== length) throw new ArchiveError('The archive is truncated.')
  return buffer
}
