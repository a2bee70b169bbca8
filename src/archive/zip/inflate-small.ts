import { inflateSync } from 'fflate'

/** Entries up to this size, packed and unpacked, are taken whole and inflated in one call. */
export const SMALL_ENTRY = 1024 * 1024

/*
 * Why fflate and not zlib.inflateRawSync for small entries: each zlib call builds a stream
 * object with a native handle, and V8 frees those only in a full collection. An export has
 * tens of thousands of small uploads; through zlib they held 70-100 MiB until then. fflate
 * inflates into one buffer reused for every entry, leaving nothing to collect, at the same
 * speed for entries this small. Large entries still stream through zlib.
 */
const output = new Uint8Array(SMALL_ENTRY + 1)

/**
 * The inflated bytes of a small entry, in a buffer reused by the next call: use them (or copy
 * them) before inflating another. Never more than the declared size plus one byte, so a lying
 * entry cannot balloon in memory.
 */
export function inflateSmall(raw: Uint8Array, size: number): Buffer {
  if (size > SMALL_ENTRY) throw new RangeError(`${size} bytes is not a small entry`)
  const data = inflateSync(raw, { out: output.subarray(0, size + 1) })
  if (data.length > size) throw new Error(`its data inflates to more than the ${size} bytes its size declares`)
  if (data.length !== size) throw new Error(`its data inflates to ${data.length} bytes, not the ${size} it declares`)
  return Buffer.from(data.buffer, data.byteOffset, data.length)
}
