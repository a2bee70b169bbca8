import { close as closeFs, fstatSync, openSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { Readable } from 'node:stream'
import yauzl from 'yauzl'
import { ArchiveError, messageOf } from '../../core/errors.ts'
import { ReadWindows } from './read-window.ts'
import { METHOD, methodProblem } from './features.ts'

/**
 * yauzl reads the central directory from the file instead of trusting a stream of local
 * headers, handles ZIP64, and checks each entry's declared sizes against the bytes it
 * inflates (the zip-bomb defence). It does not check CRC-32: we do, as the bytes pass.
 */
export async function openZip(path: string): Promise<yauzl.ZipFile> {
  const fd = openSync(path, 'r')
  const size = fstatSync(fd).size
  const reader = new BoundedFileReader(fd, size)
  try {
    const zip = await yauzl.fromRandomAccessReaderPromise(reader, size, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    })
    readers.set(zip, reader)
    return zip
  } catch (error) {
    reader.close(() => undefined)
    throw new ArchiveError(
      `The download is not a readable ZIP archive (${messageOf(error)}).${await sniff(path)} ` +
        'Run the workflow again; if it keeps happening, request a new export.',
    )
  }
}

/**
 * Reads the file for yauzl, refusing any position outside it with an error. A forged ZIP64
 * offset can exceed what fs.read accepts, and yauzl's own reader then throws from inside a
 * callback: an uncaught exception instead of a rejected archive. Streams read by position and
 * never own the descriptor (an fs.ReadStream closes it when destroyed, even with autoClose
 * off), and the descriptor is closed once, after the last read in flight has returned, so a
 * late read can never land on a descriptor number the process has reused.
 */
class BoundedFileReader extends yauzl.RandomAccessReader {
  private readonly fd: number
  private readonly size: number
  private inFlight = 0
  private closing: ((err: Error | null) => void) | undefined
  private closed = false
  private readonly windows: ReadWindows

  constructor(fd: number, size: number) {
    super()
    this.fd = fd
    this.size = size
    this.windows = new ReadWindows(fd, size)
  }

  override _readStreamForRange(start: number, end: number): Readable {
    let position = start
    const readAt = (chunk: Buffer, done: (err: Error | null) => void) =>
      this.read(chunk, 0, chunk.length, position, done)
    return new Readable({
      highWaterMark: 256 * 1024,
      read(wanted) {
        const length = Math.min(wanted, end - position)
        if (length <= 0) return void this.push(null)
        const chunk = Buffer.allocUnsafe(length)
        readAt(chunk, (error) => {
          if (error) return void this.destroy(error)
          position += length
          this.push(chunk)
        })
      },
    })
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    done: (err: Error | null, bytesRead?: number) => void,
  ): void {
    this.readBytes(position, length).then(
      (bytes) => {
        bytes.copy(buffer, offset)
        done(null, length)
      },
      (error: Error) => done(error),
    )
  }

  /** `length` bytes at `position`, refused outside the file and once the reader is closing. */
  async readBytes(position: number, length: number): Promise<Buffer> {
    const inside = Number.isSafeInteger(position) && position >= 0 && position + length <= this.size
    if (this.closed || this.closing) throw new Error('the archive is closed')
    if (!inside)
      throw new Error(`the archive points at bytes ${position}-${position + length}, outside its ${this.size} bytes`)
    this.inFlight += 1
    try {
      return await this.windows.read(position, length)
    } finally {
      this.inFlight -= 1
      this.finishClose()
    }
  }

  override close(done: (err: Error | null) => void): void {
    if (this.closed || this.closing) return void setImmediate(done, null)
    this.closing = done
    this.finishClose()
  }

  private finishClose(): void {
    const done = this.closing
    if (!done || this.inFlight > 0 || this.closed) return
    this.closed = true
    closeFs(this.fd, (error) => done(error))
  }
}

const readers = new WeakMap<yauzl.ZipFile, BoundedFileReader>()

/** Raw bytes of an archive opened with openZip(), for entries small enough to take whole. */
export function readArchiveBytes(zip: yauzl.ZipFile, position: number, length: number): Promise<Buffer> {
  const reader = readers.get(zip)
  if (!reader) throw new Error('not an archive opened with openZip()')
  return reader.readBytes(position, length)
}

/** An inflated stream of an entry whose data starts at `dataStart` (from its local header). */
export function openEntryData(zip: yauzl.ZipFile, entry: yauzl.Entry, dataStart: number): Promise<Readable> {
  const problem = methodProblem(entry.compressionMethod)
  if (problem) throw new ArchiveError(problem)
  // Not openReadStreamLowLevelPromise: in yauzl 3.4 it calls openReadStream by mistake.
  return new Promise((resolve, reject) =>
    zip.openReadStreamLowLevel(
      dataStart,
      entry.compressedSize,
      0,
      entry.compressedSize,
      entry.compressionMethod === METHOD.deflated,
      entry.uncompressedSize,
      (error, stream) => (error ? reject(error) : resolve(stream)),
    ),
  )
}

/** A hint for the commonest non-ZIP payload: an HTML or XML error page served with 200. */
async function sniff(path: string): Promise<string> {
  try {
    const file = await open(path)
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(64), 0, 64, 0)
      const head = buffer.subarray(0, bytesRead).toString('latin1').trimStart()
      if (bytesRead === 0) return ' The download was empty.'
      if (head.startsWith('<')) return ' It looks like an HTML or XML page, not an export.'
      if (head.startsWith('{')) return ' It looks like JSON, not an export.'
      return ''
    } finally {
      await file.close()
    }
  } catch {
    return ''
  }
}
