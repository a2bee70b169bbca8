import type { FileHandle } from 'node:fs/promises'
import yauzl from 'yauzl'
import { ArchiveError } from '../errors.ts'

const DATA_DESCRIPTOR = 0x08
const ENCRYPTED = 0x01
const ZIP64_PLACEHOLDER = 0xffffffff
const UTF8_NAMES = 0x800
/** ZIP 4.5 (ZIP64) is the newest feature an export needs; Info-ZIP reads up to 4.6. */
const NEWEST_VERSION_NEEDED = 46

/**
 * A ZIP says everything twice: in the central directory (what yauzl reads) and in each local
 * header (what streaming tools such as Info-ZIP's unzip trust). Where the two disagree, tools
 * disagree on what the archive holds, so an export that does not agree with itself is refused.
 */
export function checkLocalHeader(entry: yauzl.Entry, local: yauzl.LocalFileHeader, where: string): void {
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new ArchiveError(
      `The archive's ${where} uses compression method ${entry.compressionMethod}; exports use only stored or deflated entries.`,
    )
  }
  const needed = Math.max(entry.versionNeededToExtract & 0xff, local.versionNeededToExtract & 0xff)
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
    [ENCRYPTED, 'encryption flag'],
    [UTF8_NAMES, 'name encoding (UTF-8 flag)'],
    // Info-ZIP trusts the local flag and goes looking for a descriptor the writer never wrote.
    [DATA_DESCRIPTOR, 'data descriptor flag'],
  ] as const) {
    if ((local.generalPurposeBitFlag & bit) !== (entry.generalPurposeBitFlag & bit)) throw disagree(field)
  }
  // With a data descriptor the local header's CRC and sizes are zero by design.
  if (local.generalPurposeBitFlag & DATA_DESCRIPTOR) return
  if (local.crc32 !== entry.crc32) throw disagree('CRC-32')
  const [size, compressedSize] = localSizes(local)
  if (compressedSize !== entry.compressedSize) throw disagree('compressed size')
  if (size !== entry.uncompressedSize) throw disagree('size')
}

/** A local header's sizes, from its ZIP64 extra field where the header holds placeholders. */
function localSizes(local: yauzl.LocalFileHeader): [number | undefined, number | undefined] {
  let size: number | undefined = local.uncompressedSize
  let compressedSize: number | undefined = local.compressedSize
  if (size !== ZIP64_PLACEHOLDER && compressedSize !== ZIP64_PLACEHOLDER) return [size, compressedSize]
  let data: Buffer | undefined
  try {
    data = yauzl.parseExtraFields(local.extraField).find((field) => field.id === 0x0001)?.data
  } catch {
    return [undefined, undefined]
  }
  let at = 0
  const next = () => {
    if (!data || at + 8 > data.length) return undefined
    at += 8
    return Number(data.readBigUInt64LE(at - 8))
  }
  // The ZIP64 field lists only the values whose header field is the placeholder, in this order.
  if (size === ZIP64_PLACEHOLDER) size = next()
  if (compressedSize === ZIP64_PLACEHOLDER) compressedSize = next()
  return [size, compressedSize]
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

const EOCD_SIZE = 22
const ZIP64_LOCATOR_SIZE = 20
const ZIP64_RECORD_SIZE = 56
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50

/** What the end records say of the central directory, and the fields they must agree on. */
interface DirectoryRecord {
  entries: number
  size: number
  offset: number
  /** Where the directory must end: the ZIP64 end record, or else the end record itself. */
  end: number
}

/**
 * The end record (and the ZIP64 one) must describe exactly the directory that was read: the
 * same entry count, size and place, on a single disk. yauzl walks the directory by count and
 * trusts little else; Info-ZIP trusts the sizes. An archive on which they could disagree is
 * refused. Returns the directory's offset, where entry data must end.
 */
export async function checkCentralDirectory(
  file: FileHandle,
  fileSize: number,
  commentLength: number,
  read: { entries: number; headerBytes: number },
): Promise<number> {
  const eocdAt = fileSize - EOCD_SIZE - commentLength
  const eocd = await readAt(file, eocdAt, EOCD_SIZE)
  const classic: DirectoryRecord = {
    entries: eocd.readUInt16LE(10),
    size: eocd.readUInt32LE(12),
    offset: eocd.readUInt32LE(16),
    end: eocdAt,
  }
  const singleDisk = eocd.readUInt16LE(4) === 0 && eocd.readUInt16LE(6) === 0
  let record = classic
  let consistent = singleDisk && eocd.readUInt16LE(8) === classic.entries
  const locator =
    eocdAt >= ZIP64_LOCATOR_SIZE ? await readAt(file, eocdAt - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE) : undefined
  if (locator?.readUInt32LE(0) === ZIP64_LOCATOR_SIGNATURE) {
    const at = Number(locator.readBigUInt64LE(8))
    const zip64 = await readAt(file, at, ZIP64_RECORD_SIZE)
    record = {
      entries: Number(zip64.readBigUInt64LE(32)),
      size: Number(zip64.readBigUInt64LE(40)),
      offset: Number(zip64.readBigUInt64LE(48)),
      end: at,
    }
    consistent =
      consistent &&
      locator.readUInt32LE(4) === 0 &&
      locator.readUInt32LE(16) === 1 &&
      Number(zip64.readBigUInt64LE(4)) + 12 === eocdAt - ZIP64_LOCATOR_SIZE - at &&
      zip64.readUInt32LE(16) === 0 &&
      zip64.readUInt32LE(20) === 0 &&
      Number(zip64.readBigUInt64LE(24)) === record.entries &&
      // Each classic field is either the ZIP64 placeholder or the same value.
      (classic.entries === 0xffff || classic.entries === record.entries) &&
      (classic.size === ZIP64_PLACEHOLDER || classic.size === record.size) &&
      (classic.offset === ZIP64_PLACEHOLDER || classic.offset === record.offset)
  }
  if (
    !consistent ||
    record.entries !== read.entries ||
    record.size !== read.headerBytes ||
    record.offset + record.size !== record.end
  ) {
    throw new ArchiveError(
      'The archive is inconsistent: its end record does not describe the central directory that is there (or it claims to span several disks). ' +
        'The download or the export is corrupt; run the workflow again.',
    )
  }
  return record.offset
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  if (position < 0) throw new ArchiveError('The archive is truncated: its end record points before its start.')
  const { buffer, bytesRead } = await file.read(Buffer.alloc(length), 0, length, position)
  if (bytesRead !== length) throw new ArchiveError('The archive is truncated.')
  return buffer
}
