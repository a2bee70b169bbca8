import { createHash, type Hash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { Writable } from 'node:stream'

/**
 * What is safely on disk of a download: the bytes written so far and their running SHA-256.
 * Both move only after a write completes, so after an interruption they describe exactly the
 * file's content and a resumed transfer can continue the same hash: the archive is hashed once.
 */
export class DownloadProgress {
  bytes = 0
  hash: Hash = createHash('sha256')
  /** Strong ETag of the object being downloaded; a resume asks for this version only. */
  etag: string | undefined
  /** Total size the server announced for the whole object. */
  total: number | undefined

  restart(etag: string | undefined, total: number | undefined): void {
    this.bytes = 0
    this.hash = createHash('sha256')
    this.etag = etag
    this.total = total
  }
}

/** A Writable that writes chunks at the progress offset and then counts and hashes them. */
export function progressSink(file: FileHandle, progress: DownloadProgress): Writable {
  return new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _encoding, done) {
      file.write(chunk, 0, chunk.length, progress.bytes).then(({ bytesWritten }) => {
        if (bytesWritten !== chunk.length) return done(new Error('short write to the download file'))
        progress.hash.update(chunk)
        progress.bytes += chunk.length
        done()
      }, done)
    },
  })
}
