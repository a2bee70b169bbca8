// The byte layout of the benchmark writer's ZIP records (APPNOTE 6.3): local and central
// headers, ZIP64 fields and the end records. Kept apart from the writer, which is about streaming.

const SIG_LOCAL = 0x04034b50
const SIG_CENTRAL = 0x02014b50
const SIG_ZIP64_EOCD = 0x06064b50
const SIG_ZIP64_LOCATOR = 0x07064b50
const SIG_EOCD = 0x06054b50
const FLAG_UTF8 = 0x0800
const MADE_BY_UNIX = 3 << 8
export const MAX32 = 0xffffffff
export const MAX16 = 0xffff
const LOCAL_HEADER = 30
const CENTRAL_HEADER = 46
// 2025-01-15 12:00:00 in MS-DOS form, so the output is byte-for-byte deterministic.
const DOS_TIME = 12 << 11
const DOS_DATE = ((2025 - 1980) << 9) | (1 << 5) | 15

export interface Central {
  /** A string, not a Buffer: a small Buffer kept alive pins a much larger pooled allocation. */
  name: string
  nameLength: number
  method: number
  crc: number
  compressedSize: number
  size: number
  offset: number
  directory: boolean
}

export function localHeader(entry: Central): Buffer {
  const header = Buffer.alloc(LOCAL_HEADER + entry.nameLength)
  header.writeUInt32LE(SIG_LOCAL, 0)
  header.writeUInt16LE(20, 4)
  header.writeUInt16LE(FLAG_UTF8, 6)
  header.writeUInt16LE(entry.method, 8)
  header.writeUInt16LE(DOS_TIME, 10)
  header.writeUInt16LE(DOS_DATE, 12)
  header.writeUInt32LE(entry.crc >>> 0, 14)
  header.writeUInt32LE(entry.compressedSize, 18)
  header.writeUInt32LE(entry.size, 22)
  header.writeUInt16LE(entry.nameLength, 26)
  header.write(entry.name, LOCAL_HEADER, 'utf8')
  return header
}

/** Only the offset can pass 4 GiB here; its ZIP64 field then holds just that (APPNOTE 4.5.3). */
export function centralHeader(entry: Central): { bytes: Buffer; zip64: boolean } {
  const zip64 = entry.offset >= MAX32
  const extra = Buffer.alloc(zip64 ? 12 : 0)
  if (zip64) {
    extra.writeUInt16LE(0x0001, 0)
    extra.writeUInt16LE(8, 2)
    extra.writeBigUInt64LE(BigInt(entry.offset), 4)
  }
  const version = zip64 ? 45 : 20
  const mode = entry.directory ? 0o40755 : 0o100644
  const header = Buffer.alloc(CENTRAL_HEADER + entry.nameLength + extra.length)
  header.writeUInt32LE(SIG_CENTRAL, 0)
  header.writeUInt16LE(MADE_BY_UNIX | version, 4)
  header.writeUInt16LE(version, 6)
  header.writeUInt16LE(FLAG_UTF8, 8)
  header.writeUInt16LE(entry.method, 10)
  header.writeUInt16LE(DOS_TIME, 12)
  header.writeUInt16LE(DOS_DATE, 14)
  header.writeUInt32LE(entry.crc >>> 0, 16)
  header.writeUInt32LE(entry.compressedSize, 20)
  header.writeUInt32LE(entry.size, 24)
  header.writeUInt16LE(entry.nameLength, 28)
  header.writeUInt16LE(extra.length, 30)
  header.writeUInt32LE(((mode << 16) | (entry.directory ? 0x10 : 0)) >>> 0, 38)
  header.writeUInt32LE(zip64 ? MAX32 : entry.offset, 42)
  header.write(entry.name, CENTRAL_HEADER, 'utf8')
  extra.copy(header, CENTRAL_HEADER + entry.nameLength)
  return { bytes: header, zip64 }
}

/**
 * The end of the central directory: the ZIP64 end record and its locator where needed, then
 * the classic end record (all placeholders with ZIP64, which every reader understands).
 */
export function endRecords(count: number, start: number, size: number, zip64: boolean): Buffer {
  const end = Buffer.alloc(22)
  end.writeUInt32LE(SIG_EOCD, 0)
  end.writeUInt16LE(zip64 ? MAX16 : count, 8)
  end.writeUInt16LE(zip64 ? MAX16 : count, 10)
  end.writeUInt32LE(zip64 ? MAX32 : size, 12)
  end.writeUInt32LE(zip64 ? MAX32 : start, 16)
  if (!zip64) return end
  const record = Buffer.alloc(56)
  record.writeUInt32LE(SIG_ZIP64_EOCD, 0)
  record.writeBigUInt64LE(44n, 4)
  record.writeUInt16LE(MADE_BY_UNIX | 45, 12)
  record.writeUInt16LE(45, 14)
  record.writeBigUInt64LE(BigInt(count), 24)
  record.writeBigUInt64LE(BigInt(count), 32)
  record.writeBigUInt64LE(BigInt(size), 40)
  record.writeBigUInt64LE(BigInt(start), 48)
  const locator = Buffer.alloc(20)
  locator.writeUInt32LE(SIG_ZIP64_LOCATOR, 0)
  locator.writeBigUInt64LE(BigInt(start + size), 8)
  locator.writeUInt32LE(1, 16)
  return Buffer.concat([record, locator, end])
}
