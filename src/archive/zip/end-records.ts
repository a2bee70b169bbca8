import { END_RECORD, PLACEHOLDER, ZIP64_END_RECORD, ZIP64_LOCATOR } from './records.ts'

// The consistency rules for the records after the central directory. An export is written on
// one disk, and its end records describe exactly the directory that is there. yauzl walks the
// directory by count and trusts little else; Info-ZIP trusts the sizes: an archive on which
// they could disagree is refused.

/** What an end record says of the central directory. */
export interface DirectoryExtent {
  entries: number
  size: number
  offset: number
}

/** 4.3.16: the extent the end record gives (placeholders where a ZIP64 record holds the values). */
function endRecordExtent(end: Buffer): DirectoryExtent {
  return {
    entries: end.readUInt16LE(END_RECORD.entries),
    size: end.readUInt32LE(END_RECORD.directorySize),
    offset: end.readUInt32LE(END_RECORD.directoryOffset),
  }
}

/** 4.3.14: the extent the ZIP64 end record gives. */
function zip64Extent(record: Buffer): DirectoryExtent {
  return {
    entries: Number(record.readBigUInt64LE(ZIP64_END_RECORD.entries)),
    size: Number(record.readBigUInt64LE(ZIP64_END_RECORD.directorySize)),
    offset: Number(record.readBigUInt64LE(ZIP64_END_RECORD.directoryOffset)),
  }
}

/** 4.3.16: on disk 0 of one, with every entry on it. */
function endRecordIsPlain(end: Buffer): boolean {
  return (
    end.readUInt16LE(END_RECORD.disk) === 0 &&
    end.readUInt16LE(END_RECORD.directoryDisk) === 0 &&
    end.readUInt16LE(END_RECORD.entriesOnDisk) === end.readUInt16LE(END_RECORD.entries)
  )
}

/** 4.3.14: on disk 0 of one, with every entry on it, and ending where the locator at `locatorAt` begins. */
export function zip64RecordIsPlain(record: Buffer, recordAt: number, locatorAt: number): boolean {
  // 4.3.14.1: the record's size counts the bytes after the size field itself.
  const bytes = ZIP64_END_RECORD.recordSize + 8 + Number(record.readBigUInt64LE(ZIP64_END_RECORD.recordSize))
  return (
    bytes === locatorAt - recordAt &&
    record.readUInt32LE(ZIP64_END_RECORD.disk) === 0 &&
    record.readUInt32LE(ZIP64_END_RECORD.directoryDisk) === 0 &&
    Number(record.readBigUInt64LE(ZIP64_END_RECORD.entriesOnDisk)) === zip64Extent(record).entries
  )
}

/** 4.3.15: points at the ZIP64 end record at `recordAt`, on disk 0 of one. */
export function locatorIsPlain(locator: Buffer, recordAt: number): boolean {
  return (
    locator.readUInt32LE(ZIP64_LOCATOR.recordDisk) === 0 &&
    Number(locator.readBigUInt64LE(ZIP64_LOCATOR.recordOffset)) === recordAt &&
    locator.readUInt32LE(ZIP64_LOCATOR.disks) === 1
  )
}

/** 4.4.1.4: each field of the end record is either the placeholder or the ZIP64 record's value. */
function agreesWithZip64(classic: DirectoryExtent, zip64: DirectoryExtent): boolean {
  return (
    (classic.entries === PLACEHOLDER.u16 || classic.entries === zip64.entries) &&
    (classic.size === PLACEHOLDER.u32 || classic.size === zip64.size) &&
    (classic.offset === PLACEHOLDER.u32 || classic.offset === zip64.offset)
  )
}

/**
 * The extent describes the directory that was read (`entries` headers, `size` bytes), which
 * ends where the end records begin, at `endRecordsAt` (the ZIP64 end record, else the end record).
 */
function describesDirectory(
  extent: DirectoryExtent,
  directory: { entries: number; size: number },
  endRecordsAt: number,
): boolean {
  return (
    extent.entries === directory.entries &&
    extent.size === directory.size &&
    extent.offset + extent.size === endRecordsAt
  )
}

/**
 * 4.3.16, with the ZIP64 end record (4.3.14) where there is one: the directory extent the end
 * records give, when they lie on one disk and describe exactly the directory that was read,
 * which ends where they begin (at `endRecordsAt`); undefined when they do not.
 */
export function describedDirectory(
  end: Buffer,
  zip64Record: Buffer | undefined,
  directory: { entries: number; size: number },
  endRecordsAt: number,
): DirectoryExtent | undefined {
  const classic = endRecordExtent(end)
  const extent = zip64Record ? zip64Extent(zip64Record) : classic
  const agrees = zip64Record ? agreesWithZip64(classic, extent) : true
  return endRecordIsPlain(end) && agrees && describesDirectory(extent, directory, endRecordsAt) ? extent : undefined
}
