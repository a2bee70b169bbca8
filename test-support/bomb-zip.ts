// The raw parts of a ZIP, written as told, for bombs that zip-builder.ts cannot make: data
// deflated elsewhere (gigabytes of it, in kilobytes and milliseconds) and entries whose
// headers lie inside other entries' data. CRC-32s are computed without touching the inflated
// bytes, by combining (zlib's crc32_combine), so a bomb is cheap to build and still honest.
import { constants, crc32, deflateRawSync } from 'node:zlib'

export interface RawEntry {
  name: string
  /** 0 stored, 8 deflated. */
  method: number
  crc: number
  size: number
  compressedSize: number
}

const UTF8 = 0x0800
const VERSION = 20

export function localHeader(entry: RawEntry): Buffer {
  const name = Buffer.from(entry.name)
  const header = Buffer.alloc(30)
  header.writeUInt32LE(0x04034b50, 0)
  header.writeUInt16LE(VERSION, 4)
  header.writeUInt16LE(UTF8, 6)
  header.writeUInt16LE(entry.method, 8)
  header.writeUInt32LE(entry.crc >>> 0, 14)
  header.writeUInt32LE(entry.compressedSize, 18)
  header.writeUInt32LE(entry.size, 22)
  header.writeUInt16LE(name.length, 26)
  return Buffer.concat([header, name])
}

function centralHeader(entry: RawEntry, offset: number): Buffer {
  const name = Buffer.from(entry.name)
  const header = Buffer.alloc(46)
  header.writeUInt32LE(0x02014b50, 0)
  header.writeUInt16LE((3 << 8) | VERSION, 4)
  header.writeUInt16LE(VERSION, 6)
  header.writeUInt16LE(UTF8, 8)
  header.writeUInt16LE(entry.method, 10)
  header.writeUInt32LE(entry.crc >>> 0, 16)
  header.writeUInt32LE(entry.compressedSize, 20)
  header.writeUInt32LE(entry.size, 24)
  header.writeUInt16LE(name.length, 28)
  header.writeUInt32LE((0o100644 << 16) >>> 0, 38)
  header.writeUInt32LE(offset, 42)
  return Buffer.concat([header, name])
}

/** The central directory of `entries` at `offsets`, and the end record, for a directory at `at`. */
export function directory(entries: RawEntry[], offsets: number[], at: number): Buffer {
  const central = Buffer.concat(entries.map((entry, i) => centralHeader(entry, offsets[i] ?? 0)))
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(central.length, 12)
  end.writeUInt32LE(at, 16)
  return Buffer.concat([central, end])
}

/** A plain archive: each local header and its data, back to back, then the directory. */
export function rawZip(entries: Array<{ entry: RawEntry; data: Buffer }>): Buffer {
  const parts: Buffer[] = []
  const offsets: number[] = []
  let at = 0
  for (const { entry, data } of entries) {
    offsets.push(at)
    const header = localHeader(entry)
    parts.push(header, data)
    at += header.length + data.length
  }
  parts.push(
    directory(
      entries.map((e) => e.entry),
      offsets,
      at,
    ),
  )
  return Buffer.concat(parts)
}

/** An ordinary deflated entry. */
export function deflated(name: string, content: string | Buffer): { entry: RawEntry; data: Buffer } {
  const raw = Buffer.from(content)
  const data = deflateRawSync(raw)
  return { entry: { name, method: 8, crc: crc32(raw), size: raw.length, compressedSize: data.length }, data }
}

/**
 * `block` repeated `times` times, deflated: the block is deflated once, ending on a byte
 * boundary (a sync flush), and its compressed form repeated, then a final empty block. Each
 * copy refers to nothing before its own start, so the repeats decode one after the other.
 */
export function repeatedDeflated(name: string, block: Buffer, times: number): { entry: RawEntry; data: Buffer } {
  const once = deflateRawSync(block, { finishFlush: constants.Z_SYNC_FLUSH })
  const data = Buffer.concat([...Array.from({ length: times }, () => once), Buffer.from([0x03, 0x00])])
  const crc = crc32Repeated(crc32(block), block.length, times)
  return { entry: { name, method: 8, crc, size: block.length * times, compressedSize: data.length }, data }
}

function crc32Repeated(crc: number, length: number, times: number): number {
  let result = 0
  for (let i = 0; i < times; i++) result = crc32Combine(result, crc, length)
  return result
}

/** The CRC-32 of A followed by B, from the CRC-32s of each and B's length (zlib's crc32_combine). */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA
  const even = new Uint32Array(32)
  const odd = new Uint32Array(32)
  odd[0] = 0xedb88320
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row
  square(even, odd)
  square(odd, even)
  let crc = crcA >>> 0
  for (let left = lengthB; left > 0;) {
    square(even, odd)
    if (left % 2 === 1) crc = times(even, crc)
    left = Math.floor(left / 2)
    if (left === 0) break
    square(odd, even)
    if (left % 2 === 1) crc = times(odd, crc)
    left = Math.floor(left / 2)
  }
  return (crc ^ crcB) >>> 0
}

function times(matrix: Uint32Array, vector: number): number {
  let sum = 0
  for (let i = 0, v = vector >>> 0; v !== 0; i++, v >>>= 1) if (v & 1) sum ^= matrix[i] as number
  return sum >>> 0
}

function square(target: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) target[n] = times(matrix, matrix[n] as number)
}
