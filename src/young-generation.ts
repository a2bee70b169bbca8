import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let tuned = false

/**
 * V8 doubles the young generation's semi-spaces, up to 16 MiB each, whenever many objects
 * survive a collection, and a gigabyte of JSONL lines and socket buffers does that: the heap
 * then reserved some 40 MiB more at 1 GiB than at 100 MiB. A growth factor of 1 keeps the
 * semi-spaces at their first size: at 1 GiB the peak fell from ~260 to ~190 MiB and the run
 * from ~4.7 to ~4.2 s (dead 64 KiB socket buffers are freed a few megabytes after use instead
 * of tens). V8 reads the flag each time it would grow the space, so setting it once
 * the process runs takes effect; the process is the action's own.
 */
export function keepYoungGenerationSmall(): void {
  if (tuned) return
  tuned = true
  setFlagsFromString('--semi-space-growth-factor=1')
}

/** Bytes received between two collections of the young generation during a download. */
export const COLLECT_EVERY_BYTES = 4 * 1024 * 1024

/**
 * Every socket read is a new 64 KiB buffer outside the JS heap, dead once it is written, hashed
 * and scanned. V8 frees such buffers only when it collects the objects that hold them, and it
 * schedules collections by JS allocation, not by these bytes: while a stored media file
 * streams past, few objects are made, so dead buffers pile up until the external-memory
 * limit (about 64 MiB) forces a full collection, and RSS saws up and down by that much.
 * Collecting the young generation every few megabytes received frees them while they are
 * still young. A bare undici download of 1 GiB peaked at 173 MiB without it and at 104 MiB
 * with it; the action's benchmark peaks went from 162/185/217 to 140/170/203 MiB at
 * 100 MiB/1 GiB/4 GiB. A scavenge of the 1 MiB young generation takes well under a
 * millisecond, so this costs ~0.1 s per GiB and was not slower in alternating runs.
 */
export class PacedCollection {
  private readonly every: number
  private readonly collect: () => void
  private since = 0

  constructor(every = COLLECT_EVERY_BYTES, collect: () => void = youngCollector()) {
    this.every = every
    this.collect = collect
  }

  /** Counts bytes received; collects once `every` bytes came since the last collection. */
  received(bytes: number): void {
    this.since += bytes
    if (this.since < this.every) return
    this.since = 0
    this.collect()
  }
}

let collector: (() => void) | undefined

/**
 * V8's own collector function, taken without exposing `gc` to the action's code: the flag is
 * on only while a fresh context is made, which then holds the function, and off again at once.
 * No JS API triggers a young-generation collection otherwise.
 */
export function youngCollector(): () => void {
  if (!collector) {
    setFlagsFromString('--expose-gc')
    try {
      const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void
      collector = () => gc({ type: 'minor' })
    } finally {
      setFlagsFromString('--no-expose-gc')
    }
  }
  return collector
}
