import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type Gc = (options: { type: 'minor' | 'major' }) => void

/**
 * Memory outside the JS heap that V8 frees only when it collects, and collects too late for
 * a flat footprint:
 * - every chunk a socket reads is a fresh 64 KiB buffer: left alone, a gigabyte's download
 *   floats 60-80 MiB of dead ones (and the page faults of reusing none of them);
 * - every zlib.inflateRawSync builds a zlib stream whose native half goes only with a full
 *   collection: 20,000 small entries would hold some 100 MiB.
 * Collecting on a byte or call count keeps both flat for a few milliseconds a gigabyte. The
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
