import type { ByteQueue } from './byte-queue.ts'
import yauzl from 'yauzl'

// What the scan of local entries (scan.ts) and of the central directory (scan-directory.ts) share.

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

export const LOCAL = 0x04034b50
export const CENTRAL = 0x02014b50
export const ZIP64_END = 0x06064b50
export const ZIP64_LOCATOR = 0x07064b50
export const END = 0x06054b50
export const END_BYTES = Buffer.from([0x50, 0x4b, 0x05, 0x06])
/** Encrypted, data descriptor, strong encryption: none of them in an export. */
export const UNSCANNABLE_FLAGS = 0x01 | 0x08 | 0x40
/** The bits local header and central directory must agree on: encrypted, data descriptor, UTF-8 names. */
export const SHARED_FLAGS = 0x01 | 0x08 | 0x800
export const NEWEST_VERSION_NEEDED = 46
export const U32 = 0xffffffff
export const U16 = 0xffff
export const ZIP64_FIELD = 0x0001
export const UNICODE_PATH_FIELD = 0x7075

/** What the central directory must repeat about each local entry. */
export interface LocalEntry {
  offset: number
  name: string
  nameLength: number
  nameCrc: number
  flags: number
  method: number
  crc: number
  compressedSize: number
  size: number
}

export async function readSignature(queue: ByteQueue): Promise<number> {
  return (await queue.read(4)).readUInt32LE(0)
}

export function checkFeatures(versionNeeded: number, flags: number, method: number): void {
  if (flags & UNSCANNABLE_FLAGS) throw new NotScannable('encrypted entries or sizes in a data descriptor')
  if (method !== 0 && method !== 8) throw new NotScannable('a compression method other than stored or deflated')
  if ((versionNeeded & 0xff) > NEWEST_VERSION_NEEDED) throw new NotScannable('entries that need a newer ZIP version')
}

export function extraFields(raw: Buffer): yauzl.ExtraField[] {
  const fields = yauzl.parseExtraFields(raw)
  // A name given again in an extra field can decode the same from different bytes: leave it to the disk.
  if (fields.some((field) => field.id === UNICODE_PATH_FIELD)) throw new NotScannable('a Unicode path field')
  return fields
}

/** Header values with the ZIP64 field's in place of placeholders, in the order the field lists them. */
export function zip64Values(fields: yauzl.ExtraField[], values: number[], placeholders: number[]): number[] {
  if (!values.some((value, i) => value === placeholders[i])) return values
  const data = fields.find((field) => field.id === ZIP64_FIELD)?.data
  let at = 0
  return values.map((value, i) => {
    if (value !== placeholders[i]) return value
    if (!data || at + (placeholders[i] === U16 ? 4 : 8) > data.length) throw new NotScannable('a short ZIP64 field')
    at += placeholders[i] === U16 ? 4 : 8
    return placeholders[i] === U16 ? data.readUInt32LE(at - 4) : Number(data.readBigUInt64LE(at - 8))
  })
}
