import type { Deadline } from '../core/deadline.ts'
import { ArchiveError } from '../core/errors.ts'

const MiB = 1024 * 1024
const GiB = 1024 * MiB

/**
 * What an archive may make the action do, from its central directory alone, before a byte is
 * inflated. Both are raisable by an input for an export that is genuinely that large.
 */
export interface ArchiveLimits {
  /** Most uncompressed bytes all entries may declare together: the input 'max-uncompressed-size'. */
  maxUncompressedBytes: number
  /**
   * Most declared uncompressed bytes per byte of archive: the input 'max-compression-ratio'.
   * Applied only once the declared total passes RATIO_FLOOR_BYTES.
   */
  maxRatio: number
}

/**
 * 16 GiB is four times the largest export we have seen. Real exports deflate JSONL about 5-10x
 * and store their media as is, so they stay far below 100x; a zip bomb is at 1,000x or more.
 */
export const DEFAULT_LIMITS: ArchiveLimits = { maxUncompressedBytes: 16 * GiB, maxRatio: 100 }

/**
 * Up to 64 MiB declared in all, any ratio is accepted: inflating that much costs a fraction of a
 * second and memory the action bounds anyway, while a small export holding a blank BMP upload
 * (a 36 MB 12-megapixel image deflates to a few dozen KB) reaches 1,000x honestly.
 */
export const RATIO_FLOOR_BYTES = 64 * MiB

/**
 * Limits on the JSON the action parses (every line of the JSONL files, and batch.json or
 * collection.json whole), so that memory is bounded by the action, not by the archive.
 * JSON.parse holds the whole value: real records take about 3 bytes of memory per byte of
 * text, hostile ones up to 40 (a line of `{},{},…`), and deep nesting about 100 bytes a level.
 * - MAX_JSON_DEPTH: real records nest 5 or 6 levels (record, responses, response, answer…).
 * - MAX_LINE_BYTES: a line of responses-by-task.jsonl holds every response to one task, a few
 *   MB for a large batch; 16 MiB leaves several times that.
 * - MAX_LINE_CONTAINERS: objects and arrays in one line (or metadata file), the costliest values
 *   to hold; a real 16 MiB line has about 170,000.
 * - MAX_METADATA_BYTES: batch.json and collection.json hold a few KB of metadata.
 */
export const MAX_JSON_DEPTH = 64
export const MAX_LINE_BYTES = 16 * MiB
export const MAX_LINE_CONTAINERS = 1024 * 1024
export const MAX_METADATA_BYTES = 16 * MiB

/** Throws when the declared total passes either limit for an archive of `archiveBytes`. */
export function checkLimits(declared: number, archiveBytes: number, limits: ArchiveLimits): void {
  const problem = limitProblem(declared, archiveBytes, limits)
  if (problem) throw new ArchiveError(`The archive is refused before anything was inflated: ${problem}`)
}

/** Why the totals pass a limit, naming the input to raise; undefined within them. */
export function limitProblem(declared: number, archiveBytes: number, limits: ArchiveLimits): string | undefined {
  if (declared > limits.maxUncompressedBytes) {
    return (
      `its entries declare ${describeBytes(declared)} uncompressed, more than 'max-uncompressed-size' ` +
      `(${describeBytes(limits.maxUncompressedBytes)}). Raise 'max-uncompressed-size' if this export is ` +
      'genuinely that large; otherwise it is a decompression bomb: request a new export.'
    )
  }
  if (declared > RATIO_FLOOR_BYTES && declared > limits.maxRatio * archiveBytes) {
    return (
      `its entries declare ${describeBytes(declared)} uncompressed from ${describeBytes(archiveBytes)}, ` +
      `${Math.round(declared / Math.max(archiveBytes, 1))} times its size, more than 'max-compression-ratio' ` +
      `(${limits.maxRatio}). That is how a decompression bomb looks. Raise 'max-compression-ratio' if this ` +
      'export is genuinely that compressible (for example, many blank images); otherwise request a new export.'
    )
  }
  return undefined
}

/**
 * Throws once the timeout passed or the step was cancelled. The clock is asked as well as the
 * signal: a long run of work that never yields to the event loop would never see the signal fire.
 */
export function checkDeadline(deadline: Deadline, during = 'validating the archive'): void {
  if (deadline.signal.aborted || deadline.remainingMs() === 0) throw deadline.expired(during)
}

function describeBytes(bytes: number): string {
  if (bytes >= GiB) return `${Number((bytes / GiB).toFixed(1))} GiB`
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(1))} MiB`
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`
  return `${bytes} bytes`
}
