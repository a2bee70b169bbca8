// A minimal PKZIP writer for tests. Unlike a library it writes whatever it is told — traversal
// names, duplicate entries, lying CRCs and sizes, symlink modes — so the archive validator can
// be tested against hostile input as well as well-formed exports.
import { crc32, deflateRawSync } from 'node:zlib'

export interface ZipEntrySpec {
  /** Raw entry name, written as-is (may be '../evil', '/abs', a duplicate...). */
  name: string
  /** Omitted or '' for directory entries (name ending '/'). */
  data?: Buffer | string
  /** Default 'deflate', except directory entries, which are always stored unless told. */
  method?: 'store' | 'deflate'
  /** Declared CRC-32 instead of the real one. */
  crc32?: number
  /** Declared uncompressed size instead of the real one, in local and central headers. */
  uncompressedSize?: number
  /** Unix mode in the high 16 bits, e.g. (0o120777 << 16) >>> 0 for a symlink. */
  externalAttributes?: number
  /** Default FIXED_MTIME so output is byte-for-byte deterministic. */
  mtime?: Date
  /** The name's bytes as written, instead of `name` in UTF-8 (which still tells a folder by its '/'). */
  nameBytes?: Buffer
  /** The general-purpose UTF-8 flag (bit 11); default true. */
  utf8?: boolean
  /** The OS byte of "version made by" (default 3, Unix): 2 VMS, 5 Atari, 16 BeOS, 30 AtheOS… */
  madeBy?: number
  /** Extra fields (id, size, data) written after any ZIP64 field, in the local and the central header. */
  extraField?: Buffer
}

export interface ZipOptions {
  /** Write ZIP64 extra fields, the ZIP64 end record and its locator, as big exports do. */
  zip64?: boolean
  comment?: string
}

export const FIXED_MTIME = new Date('2025-01-15T12:00:00Z')

const SIG_LOCAL = 0x04034b50
const SIG_CENTRAL = 0x02014b50
const SIG_ZIP64_EOCD = 0x06064b50
const SIG_ZIP64_LOCATOR = 0x07064b50
const SIG_EOCD = 0x06054b50
const FLAG_UTF8 = 0x0800
// High byte 3 = Unix, so readers honour the mode bits in the external attributes.
const UNIX = 3
const MADE_BY_UNIX = UNIX << 8
const MAX32 = 0xffffffff
const MAX16 = 0xffff

interface Written {
  spec: ZipEntrySpec
  name: Buffer
  method: number
  crc: number
  compressedSize: number
  uncompressedSize: number
  offset: number
  time: number
  date: number
}

export function buildZip(entries: ZipEntrySpec[], options: ZipOptions = {}): Buffer {
  const zip64 = options.zip64 === true
  const version = zip64 ? 45 : 20
  const chunks: Buffer[] = []
  const written: Written[] = []
  let offset = 0
  const push = (chunk: Buffer): void => {
    chunks.push(chunk)
    offset += chunk.length
  }

  for (const spec of entries) {
    const raw = toBuffer(spec.data)
    const isDir = spec.name.endsWith('/')
    const method = (spec.method ?? (isDir ? 'store' : 'deflate')) === 'store' ? 0 : 8
    const body = method === 8 ? deflateRawSync(raw) : raw
    const { time, date } = dosDateTime(spec.mtime ?? FIXED_MTIME)
    const entry: Written = {
      spec,
      name: spec.nameBytes ?? Buffer.from(spec.name, 'utf8'),
      method,
      crc: spec.crc32 ?? crc32(raw),
      compressedSize: body.length,
      uncompressedSize: spec.uncompressedSize ?? raw.length,
      offset,
      time,
      date,
    }
    // The local ZIP64 field must hold both sizes (APPNOTE 4.5.3); the offset is central-only.
    const extra = Buffer.concat([
      zip64 ? zip64Extra([entry.uncompressedSize, entry.compressedSize]) : EMPTY,
      spec.extraField ?? EMPTY,
    ])
    const header = Buffer.alloc(30)
    header.writeUInt32LE(SIG_LOCAL, 0)
    header.writeUInt16LE(version, 4)
    header.writeUInt16LE(spec.utf8 === false ? 0 : FLAG_UTF8, 6)
    header.writeUInt16LE(method, 8)
    header.writeUInt16LE(time, 10)
    header.writeUInt16LE(date, 12)
    header.writeUInt32LE(entry.crc >>> 0, 14)
    header.writeUInt32LE(zip64 ? MAX32 : entry.compressedSize, 18)
    header.writeUInt32LE(zip64 ? MAX32 : entry.uncompressedSize, 22)
    header.writeUInt16LE(entry.name.length, 26)
    header.writeUInt16LE(extra.length, 28)
    push(Buffer.concat([header, entry.name, extra, body]))
    written.push(entry)
  }

  const centralStart = offset
  for (const entry of written) push(centralHeader(entry, version, zip64))
  const centralSize = offset - centralStart

  if (zip64) {
    const record = Buffer.alloc(56)
    record.writeUInt32LE(SIG_ZIP64_EOCD, 0)
    record.writeBigUInt64LE(44n, 4) // size of the rest of this record
    record.writeUInt16LE(MADE_BY_UNIX | version, 12)
    record.writeUInt16LE(version, 14)
    record.writeBigUInt64LE(BigInt(written.length), 24)
    record.writeBigUInt64LE(BigInt(written.length), 32)
    record.writeBigUInt64LE(BigInt(centralSize), 40)
    record.writeBigUInt64LE(BigInt(centralStart), 48)
    const locator = Buffer.alloc(20)
    locator.writeUInt32LE(SIG_ZIP64_LOCATOR, 0)
    locator.writeBigUInt64LE(BigInt(offset), 8)
    locator.writeUInt32LE(1, 16) // total number of disks
    push(Buffer.concat([record, locator]))
  }

  const comment = Buffer.from(options.comment ?? '', 'utf8')
  const end = Buffer.alloc(22)
  end.writeUInt32LE(SIG_EOCD, 0)
  // With ZIP64 the classic fields are placeholders pointing readers at the ZIP64 record.
  end.writeUInt16LE(zip64 ? MAX16 : written.length, 8)
  end.writeUInt16LE(zip64 ? MAX16 : written.length, 10)
  end.writeUInt32LE(zip64 ? MAX32 : centralSize, 12)
  end.writeUInt32LE(zip64 ? MAX32 : centralStart, 16)
  end.writeUInt16LE(comment.length, 20)
  push(Buffer.concat([end, comment]))
  return Buffer.concat(chunks)
}

function centralHeader(entry: Written, version: number, zip64: boolean): Buffer {
  const extra = Buffer.concat([
    zip64 ? zip64Extra([entry.uncompressedSize, entry.compressedSize, entry.offset]) : EMPTY,
    entry.spec.extraField ?? EMPTY,
  ])
  const isDir = entry.spec.name.endsWith('/')
  const defaultMode = isDir ? 0o40755 : 0o100644
  // Bit 4 is the MS-DOS directory flag; Info-ZIP sets it alongside the Unix mode.
  const attributes = entry.spec.externalAttributes ?? ((defaultMode << 16) | (isDir ? 0x10 : 0)) >>> 0
  const header = Buffer.alloc(46)
  header.writeUInt32LE(SIG_CENTRAL, 0)
  header.writeUInt16LE(((entry.spec.madeBy ?? UNIX) << 8) | version, 4)
  header.writeUInt16LE(version, 6)
  header.writeUInt16LE(entry.spec.utf8 === false ? 0 : FLAG_UTF8, 8)
  header.writeUInt16LE(entry.method, 10)
  header.writeUInt16LE(entry.time, 12)
  header.writeUInt16LE(entry.date, 14)
  header.writeUInt32LE(entry.crc >>> 0, 16)
  header.writeUInt32LE(zip64 ? MAX32 : entry.compressedSize, 20)
  header.writeUInt32LE(zip64 ? MAX32 : entry.uncompressedSize, 24)
  header.writeUInt16LE(entry.name.length, 28)
  header.writeUInt16LE(extra.length, 30)
  header.writeUInt32LE(attributes >>> 0, 38)
  header.writeUInt32LE(zip64 ? MAX32 : entry.offset, 42)
  return Buffer.concat([header, entry.name, extra])
}

const EMPTY = Buffer.alloc(0)

function zip64Extra(values: number[]): Buffer {
  const field = Buffer.alloc(4 + 8 * values.length)
  field.writeUInt16LE(0x0001, 0)
  field.writeUInt16LE(8 * values.length, 2)
  values.forEach((value, i) => field.writeBigUInt64LE(BigInt(value), 4 + 8 * i))
  return field
}

function toBuffer(data: Buffer | string | undefined): Buffer {
  if (data === undefined) return EMPTY
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data
}

// UTC fields, so the bytes do not depend on the machine's time zone.
function dosDateTime(when: Date): { time: number; date: number } {
  const year = Math.max(when.getUTCFullYear(), 1980)
  return {
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
  }
}
