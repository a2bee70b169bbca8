import { writevSync } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { Writable } from 'node:stream'
import type { HashWorker } from './hash-worker.ts'

/** Sees every byte of the file, in order, as it is written (the validation that runs during the download). */
export interface ByteTap {
  push(chunk: Buffer): Promise<void>
  /** The download starts over from byte 0: what the tap saw no longer describes the file. */
  restart(): void
}

/**
 * What is safely on disk of a download: the bytes written so far and their running SHA-256.
 * Both move only after a write completes, so after an interruption they describe exactly the
 * file's content and a resumed transfer can continue the same hash: the archive is hashed once.
 */
export class DownloadProgress {
  bytes = 0
  readonly hash: HashWorker
  /** Strong ETag of the object being downloaded; a resume asks for this version only. */
  etag: string | undefined
  /** Total size the server announced for the whole object. */
  total: number | undefined
  readonly tap: ByteTap | undefined

  constructor(hash: HashWorker, tap?: ByteTap) {
    this.hash = hash
    this.tap = tap
  }

  restart(etag: string | undefined, total: number | undefined): void {
    if (this.bytes > 0) this.tap?.restart()
    this.bytes = 0
    this.hash.reset()
    this.etag = etag
    this.total = total
  }
}

/** A Writable that writes chunks at the progress offset, hashes them and shows them to the tap, then counts them. */
export interface ProgressSink extends Writable {
  /** Resolves once no write is in flight, so `progress` matches the file again after a failure. */
  settled(): Promise<void>
}

/**
 * Chunks that arrive while a write is in flight are gathered and written with one writev:
 * few, large writes keep the transfer near the network's speed, where a write and a wait per
 * socket chunk would not.
 */
export function progressSink(file: FileHandle, progress: DownloadProgress): ProgressSink {
  let inFlight: Promise<unknown> = Promise.resolve()
  const sink = new Writable({
    highWaterMark: 1 * 1024 * 1024,
    writev(chunks, done) {
      const buffers = chunks.map(({ chunk }) => chunk as Buffer)
      const length = buffers.reduce((sum, buffer) => sum + buffer.length, 0)
      // Hashed while the write is in flight; `bytes` moves once it landed. A failed transfer
      // waits for settled(), after which hash and bytes describe the file again; a failed
      // write fails the download for good.
      const position = progress.bytes
      const write = Promise.all([
        writeNow(file, buffers, position, length),
        ...buffers.map((buffer) => progress.hash.update(buffer)),
        ...(progress.tap ? buffers.map((buffer) => progress.tap?.push(buffer)) : []),
      ]).then(() => {
        progress.bytes += length
      })
      inFlight = write.catch(() => undefined)
      write.then(() => done(), done)
    },
  }) as ProgressSink
  sink.settled = () => inFlight.then(() => undefined)
  return sink
}

/**
 * Writes on this thread, at once, as curl does: the bytes are still in this core's cache, where
 * a write on the thread pool copies them into the page cache from another core's. Measured in
 * alternating runs, 1 GiB took 4.7 s instead of 5.3 s (6 of 6 pairs faster) and 4 GiB 20-23 s
 * instead of 22-28 s. The thread waits only for the copy into the page cache, as curl's does.
 */
function writeNow(file: FileHandle, buffers: Buffer[], position: number, length: number): Promise<void> {
  try {
    if (writevSync(file.fd, buffers, position) !== length) throw new Error('short write to the download file')
    return Promise.resolve()
  } catch (error) {
    return Promise.reject(error as Error)
  }
}
