import { inflateSmall, SMALL_ENTRY } from './inflate-small.ts'
import { METHOD, methodProblem } from './features.ts'

// Most entries of an export are small uploads: both readers take them whole, in one buffer,
// without a stream and its round trips.

/** Whether an entry is small enough, packed and unpacked, to be read whole. */
export function isSmallEntry(compressedSize: number, uncompressedSize: number): boolean {
  return compressedSize <= SMALL_ENTRY && uncompressedSize <= SMALL_ENTRY
}

/**
 * The data of a small entry from its raw bytes, held to its declared size. Deflated data comes
 * in a buffer the next call reuses (see inflateSmall): use it before reading another entry.
 */
export function smallEntryData(raw: Buffer, method: number, uncompressedSize: number): Buffer {
  if (method === METHOD.deflated) return inflateSmall(raw, uncompressedSize)
  const problem = methodProblem(method)
  if (problem) throw new Error(problem)
  if (raw.length !== uncompressedSize) {
    throw new Error(`its data inflates to ${raw.length} bytes, not the ${uncompressedSize} it declares`)
  }
  return raw
}
