import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type Gc = (options: { type: 'minor' | 'major' }) => void

/**
 * Every chunk a socket reads is a fresh 64 KiB buffer outside the JS heap, which V8 frees only
 * when it collects, and it collects by JS heap use, not by these: left alone, a gigabyte's
 * download floats 60-80 MiB of dead buffers (and the page faults of reusing none of them).
 * A young-generation collection every few megabytes takes well under a millisecond and
 * frees them; the download measured 20-40% faster with it. (A full collection every so many
 * small inflates, to free zlib's streams, cost more than it saved: not done.) The
 * collector is reached the way jest's leak detector does it: exposed for a moment through a
 * flag, then hidden again. Should that ever fail, collect does nothing.
 */
function collector(): Gc {
  try {
    setFlagsFromString('--expose-gc')
    return runInNewContext('gc') as Gc
  } catch {
    return () => undefined
  } finally {
    setFlagsFromString('--no-expose-gc')
  }
}

let gc: Gc | undefined

/** Collects once `count` passes `every` since the last collection. */
export class GarbageGauge {
  private readonly every: number
  private readonly type: 'minor' | 'major'
  private since = 0

  constructor(every: number, type: 'minor' | 'major') {
    this.every = every
    this.type = type
  }

  add(count: number): void {
    this.since += count
    if (this.since < this.every) return
    this.since = 0
    gc ??= collector()
    gc({ type: this.type })
  }
}
