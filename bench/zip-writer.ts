// A streaming PKZIP writer for the benchmark's archives: entries go straight to a file, so an
// archive of any size is written in constant memory. Only the central directory's records
// (a few dozen bytes per entry) are kept until the end.
//
// Every local header carries the real CRC-32 and sizes (no data descriptors), as Prolific's
// exports do: small entries are compressed in memory first; streamed entries get their header
// written with placeholders and patched in place once their data is written. ZIP64 records are
// added where an offset, a size or the entry count needs them, and only there.
import { closeSync, openSync, writeSync } from 'node:fs'
import { constants, crc32, deflateRawSync } from 'node:zlib'
import { type Central, centralHeader, endRecords, localHeader, MAX16, MAX32 } from './zip-records.ts'

const BUFFER_BYTES = 4 * 1024 * 1024

export interface ZipSummary {
  bytes: number
  entries: number
  zip64: boolean
}

export class ZipFileWriter {
  private readonly fd: number
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES)
  private buffered = 0
  /** Bytes written so far, buffered ones included: the offset of the next byte. */
  private offset = 0
  private readonly central: Central[] = []

  constructor(path: string) {
    this.fd = openSync(path, 'w')
  }

  get bytesWritten(): number {
    return this.offset
  }

  directory(name: string): void {
    this.small(name, Buffer.alloc(0), 'store')
  }

  /** An entry whose bytes are at hand: compressed in memory, header written with the real values. */
  small(name: string, data: Buffer | string, method: 'store' | 'deflate'): void {
    const raw = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    const body = method === 'deflate' ? deflateRawSync(raw) : raw
    const entry = this.begin(name, method === 'deflate' ? 8 : 0)
    Object.assign(entry, { crc: crc32(raw), compressedSize: body.length, size: raw.length })
    this.write(localHeader(entry))
    this.write(body)
  }

  /**
   * A deflated entry fed chunk by chunk. Each chunk is compressed on its own and ended with a
   * sync flush, which leaves the output byte-aligned with no final block, so the pieces join
   * into one valid deflate stream once an empty final block closes it. Matches never cross a
   * chunk, which costs little with megabyte chunks, and no zlib stream has to be driven.
   */
  deflated(name: string, chunks: Iterable<Buffer>): void {
    const entry = this.begin(name, 8)
    this.write(localHeader(entry))
    for (const chunk of chunks) {
      entry.crc = crc32(chunk, entry.crc)
      entry.size += chunk.length
      const piece = deflateRawSync(chunk, { finishFlush: constants.Z_SYNC_FLUSH })
      entry.compressedSize += piece.length
      this.write(piece)
    }
    const last = deflateRawSync(Buffer.alloc(0))
    entry.compressedSize += last.length
    this.write(last)
    this.patch(entry)
  }

  /** A stored entry of a size known in advance; its CRC-32 is computed as the bytes pass. */
  stored(name: string, size: number, chunks: Iterable<Buffer>): void {
    const entry = this.begin(name, 0)
    this.write(localHeader(entry))
    for (const chunk of chunks) {
      entry.crc = crc32(chunk, entry.crc)
      entry.size += chunk.length
      this.write(chunk)
    }
    if (entry.size !== size) throw new Error(`${name}: ${entry.size} bytes written, ${size} announced`)
    entry.compressedSize = size
    this.patch(entry)
  }

  /** Writes the central directory and end records; returns what was written. */
  finish(): ZipSummary {
    const start = this.offset
    let zip64 = this.central.length > MAX16
    for (const entry of this.central) {
      const header = centralHeader(entry)
      zip64 ||= header.zip64
      this.write(header.bytes)
    }
    const size = this.offset - start
    const count = this.central.length
    zip64 ||= start >= MAX32 || size >= MAX32
    this.write(endRecords(count, start, size, zip64))
    this.flush()
    closeSync(this.fd)
    return { bytes: this.offset, entries: count, zip64 }
  }

  private begin(name: string, method: number): Central {
    const entry: Central = {
      name,
      nameLength: Buffer.byteLength(name, 'utf8'),
      method,
      crc: 0,
      compressedSize: 0,
      size: 0,
      offset: this.offset,
      directory: name.endsWith('/'),
    }
    this.central.push(entry)
    return entry
  }

  /** Rewrites a streamed entry's local header now that its CRC-32 and sizes are known. */
  private patch(entry: Central): void {
    if (entry.size >= MAX32 || entry.compressedSize >= MAX32) throw new Error('entries of 4 GiB or more are not needed')
    this.flush()
    const header = localHeader(entry)
    writeSync(this.fd, header, 0, header.length, entry.offset)
  }

  private write(bytes: Buffer): void {
    if (bytes.length >= BUFFER_BYTES) {
      this.flush()
      this.writeAt(bytes, this.offset)
    } else {
      if (this.buffered + bytes.length > BUFFER_BYTES) this.flush()
      bytes.copy(this.buffer, this.buffered)
      this.buffered += bytes.length
    }
    this.offset += bytes.length
  }

  private flush(): void {
    if (this.buffered === 0) return
    this.writeAt(this.buffer.subarray(0, this.buffered), this.offset - this.buffered)
    this.buffered = 0
  }

  private writeAt(bytes: Buffer, position: number): void {
    for (let done = 0; done < bytes.length;) {
      done += writeSync(this.fd, bytes, done, bytes.length - done, position + done)
    }
  }
}
