import type { ByteTap } from '../download/download-sink.ts'
import { DeadlineError } from '../core/errors.ts'
import { ByteQueue } from './byte-queue.ts'
import { NotScannable, type ScanOptions, scanArchive } from './scan.ts'
import type { ArchiveReport } from './validate.ts'

/** Bytes the download may run ahead of the scan before it waits. */
const QUEUE_BYTES = 2 * 1024 * 1024

/** A report, or why the archive must be validated from disk instead (a fixed phrase, never archive content). */
export type ScanOutcome = { report: ArchiveReport } | { deferred: string }

/**
 * Validation during the download: the tap feeds every written byte to scanArchive, which
 * finishes moments after the last byte. When it cannot vouch for the archive, the caller
 * validates the file from disk, the one place whose verdicts and messages count.
 */
export class ScanningTap implements ByteTap {
  private readonly queue = new ByteQueue(QUEUE_BYTES)
  /** Settled as data, never rejected: nobody awaits it before the download ends. */
  private readonly outcome: Promise<ScanOutcome | { stopped: DeadlineError }>
  private pushed = 0

  constructor(options: ScanOptions) {
    this.outcome = scanArchive(this.queue, options).then(
      (report) => ({ report }),
      (error: unknown) => {
        this.queue.abandon()
        // The timeout or a cancel stops the step; reading the file again would only ignore it.
        if (error instanceof DeadlineError) return { stopped: error }
        return { deferred: error instanceof NotScannable ? `it has ${error.message}` : 'it needs a closer look' }
      },
    )
  }

  push(chunk: Buffer): Promise<void> {
    this.pushed += chunk.length
    return this.queue.push(chunk)
  }

  restart(): void {
    this.queue.abandon()
  }

  /** Stops the scan where it is (the download failed). */
  abandon(): void {
    this.queue.abandon()
  }

  /** The scan's outcome once the download wrote `bytes` bytes in all; throws when the deadline stopped it. */
  async finish(bytes: number): Promise<ScanOutcome> {
    // Belt and braces: the scan must have seen exactly the file, no more, no less.
    if (this.pushed !== bytes) this.queue.abandon()
    this.queue.end()
    const outcome = await this.outcome
    if ('stopped' in outcome) throw outcome.stopped
    return outcome
  }
}
