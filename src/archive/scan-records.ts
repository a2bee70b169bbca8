import yauzl from 'yauzl'
import type { LedgerEntry } from './entry-ledger.ts'
import type { ByteQueue } from './byte-queue.ts'
import { isAllowedMethod, NEWEST_VERSION_NEEDED, versionNeeded } from './zip/features.ts'
import { type CENTRAL_HEADER, EXTRA_FIELD, FLAG, type LOCAL_HEADER } from './zip/records.ts'
import { zip64Field, zip64Values } from './zip/zip64-field.ts'

// What the scan of local entries (scan.ts) and of the central directory (scan-directory.ts)
// share. The format's rules come from zip/; what is here is how the scan reads them off a stream.

/**
 * The scan reads the archive front to back, once, as it downloads. It vouches only for
 * archives laid out the plain way (local entries back to back from byte 0, sizes in the
 * local headers, then a central directory that lists exactly those entries in the same order,
 * then the end records and nothing after). Anything else — a data descriptor, a gap, a
 * disagreement, an error — makes it give up with this error, and validateArchive reads the
 * file from disk and gives the verdict, and the message, it always gives.
 */
export class NotScannable extends Error {
  /** What the archive has that the scan leaves to the disk: a fixed phrase, never archive content. */
  constructor(has: string) {
    super(has)
  }
}

/** Encrypted, data descriptor, strong encryption: none of them in an export. */
const UNSCANNABLE_FLAGS = FLAG.encrypted | FLAG.dataDescriptor | FLAG.strongEncryption
/** The bits local header and central directory must agree on: encrypted, data descriptor, UTF-8 names. */
export const SHARED_FLAGS = FLAG.encrypted | FLAG.dataDescriptor | FLAG.utf8Names

/** A local entry as the scan reads it: what the central directory must repeat (the ledger), and its name. */
export interface LocalEntry extends LedgerEntry {
  name: string
}

export async function readSignature(queue: ByteQueue): Promise<number> {
  return (await queue.read(4)).readUInt32LE(0)
}

/**
 * The fixed part of the record whose `signature` was just read, from the signature on, so
 * that its fields lie at their APPNOTE offsets (a copy of a few dozen bytes a record).
 */
export async function readRecord(queue: ByteQueue, signature: number, fixedBytes: number): Promise<Buffer> {
  const rest = await queue.read(fixedBytes - 4)
  const record = Buffer.allocUnsafe(fixedBytes)
  record.writeUInt32LE(signature, 0)
  rest.copy(record, 4)
  return record
}

/** What the scan reads of a local or central header. */
export interface ScannedHeader {
  /** The fixed part, from the signature on (fields at their APPNOTE offsets). */
  record: Buffer
  nameRaw: Buffer
  fields: yauzl.ExtraField[]
  flags: number
  method: number
}

/**
 * The header whose `signature` was just read, laid out as `layout` says: its fixed part, name
 * and extra fields (and comment, passed over), with the features an export uses checked.
 */
export async function readEntryHeader(
  queue: ByteQueue,
  signature: number,
  layout: typeof LOCAL_HEADER | typeof CENTRAL_HEADER,
): Promise<ScannedHeader> {
  const record = await readRecord(queue, signature, layout.fixedBytes)
  const nameRaw = await queue.read(record.readUInt16LE(layout.nameLength))
  const fields = extraFields(await queue.read(record.readUInt16LE(layout.extraLength)))
  if ('commentLength' in layout) await queue.read(record.readUInt16LE(layout.commentLength))
  const flags = record.readUInt16LE(layout.flags)
  const method = record.readUInt16LE(layout.method)
  checkFeatures(record.readUInt16LE(layout.versionNeeded), flags, method)
  return { record, nameRaw, fields, flags, method }
}

function checkFeatures(versionNeededField: number, flags: number, method: number): void {
  if (flags & UNSCANNABLE_FLAGS) throw new NotScannable('encrypted entries or sizes in a data descriptor')
  if (!isAllowedMethod(method)) throw new NotScannable('a compression method other than stored or deflated')
  if (versionNeeded(versionNeededField) > NEWEST_VERSION_NEEDED) {
    throw new NotScannable('entries that need a newer ZIP version')
  }
}

function extraFields(raw: Buffer): yauzl.ExtraField[] {
  const fields = yauzl.parseExtraFields(raw)
  // A name given again in an extra field can decode the same from different bytes: leave it to the disk.
  if (fields.some((field) => field.id === EXTRA_FIELD.unicodePath)) throw new NotScannable('a Unicode path field')
  return fields
}

/** Header values with the ZIP64 field's in place of placeholders (see zip64Values); a short field defers. */
export function scanZip64Values(fields: yauzl.ExtraField[], values: number[], placeholders: number[]): number[] {
  const decoded = zip64Values(() => zip64Field(fields), values, placeholders)
  if (decoded === values) return values
  return decoded.map((value) => {
    if (value === undefined) throw new NotScannable('a short ZIP64 field')
    return value
  })
}
