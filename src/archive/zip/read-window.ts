import { read as readFs } from 'node:fs'

const WINDOW_BYTES = 1024 * 1024
const WINDOWS = 4

/**
 * Small reads of the archive (headers, small entries) served from a few 1 MiB windows. Entries
 * are read in file order, so one read from disk answers hundreds of small reads instead of a
 * trip through the thread pool each; a handful of windows also covers the central directory,
 * which is read alongside. Reads of a window or more go straight to the file.
 */
export class ReadWindows {
  private readonly fd: number
  private readonly size: number
  private readonly windows = new Map<number, Promise<Buffer>>()

  constructor(fd: number, size: number) {
    this.fd = fd
    this.size = size
  }

  /** Exactly `length` bytes at `position`, which the caller has checked lie inside the file. */
  async read(position: number, length: number): Promise<Buffer> {
    if (length * 4 > WINDOW_BYTES) return this.readFile(position, length)
    const start = position - (position % WINDOW_BYTES)
    if (position + length > start + WINDOW_BYTES) return this.readFile(position, length)
    const window = await this.window(start)
    if (position + length - start > window.length) throw new Error('unexpected end of the archive')
    return window.subarray(position - start, position - start + length)
  }

  private window(start: number): Promise<Buffer> {
    let window = this.windows.get(start)
    if (!window) {
      window = this.readFile(start, Math.min(WINDOW_BYTES, this.size - start))
      this.windows.set(start, window)
      // Maps iterate in insertion order: the first key is the oldest window.
      if (this.windows.size > WINDOWS) this.windows.delete(this.windows.keys().next().value as number)
      window.catch(() => this.windows.delete(start))
    }
    return window
  }

  private readFile(position: number, length: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const buffer = Buffer.allocUnsafe(length)
      readFs(this.fd, buffer, 0, length, position, (error, bytesRead) => {
        if (error) return reject(error)
        if (bytesRead !== length) return reject(new Error('unexpected end of the archive'))
        resolve(buffer)
      })
    })
  }
}
