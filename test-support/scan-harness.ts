// Feeds an archive held in memory through the validation that runs during a download, in
// chunks of a chosen size, as the download sink does.
import { type ScanOutcome, ScanningTap } from '../src/archive/scan-tap.ts'
import type { ArchiveKind } from '../src/archive/layout.ts'
import { Deadline } from '../src/core/deadline.ts'
import { fakeClock } from './fake-clock.ts'

export interface ScanBytesOptions {
  /** Bytes per pushed chunk, or a function giving each chunk's size (default 64 KiB). */
  chunk?: number | (() => number)
  kind?: ArchiveKind
  strict?: boolean
}

export async function scanBytes(bytes: Buffer, options: ScanBytesOptions = {}): Promise<ScanOutcome> {
  const { chunk = 64 * 1024, kind = 'batch', strict = false } = options
  const tap = new ScanningTap({ strict, kind, deadline: new Deadline(fakeClock(), 60_000) })
  const size = typeof chunk === 'number' ? () => chunk : chunk
  for (let at = 0; at < bytes.length;) {
    const end = Math.min(bytes.length, at + Math.max(1, size()))
    await tap.push(bytes.subarray(at, end))
    at = end
  }
  return tap.finish(bytes.length)
}
