/**
 * A set of strings kept as 64-bit hashes in typed arrays: 8 bytes a member where a Set of
 * strings takes 50-70. It holds the submission IDs of an export (400,000 of them in 4 GiB), so
 * that what the validator keeps grows by a few megabytes with the archive, not by tens. Two
 * different strings share a hash with odds of about n²/2⁶⁵ (10⁻⁸ for a million members); the
 * worst that would do is count a file under files/ as matching a submission it does not.
 */
export class StringHashSet {
  /** Two 32-bit halves per slot; 0/0 marks an empty slot, so a hash of 0/0 is stored as 0/1. */
  private high = new Uint32Array(1024)
  private low = new Uint32Array(1024)
  size = 0

  add(value: string): void {
    if (this.size * 2 >= this.high.length) this.grow()
    const [high, low] = hash(value)
    if (this.place(high, low)) this.size += 1
  }

  has(value: string): boolean {
    const [high, low] = hash(value)
    return this.hasHash(high, low)
  }

  hasHash(high: number, low: number): boolean {
    const mask = this.high.length - 1
    for (let slot = high & mask; ; slot = (slot + 1) & mask) {
      const h = this.high[slot] as number
      const l = this.low[slot] as number
      if (h === 0 && l === 0) return false
      if (h === high && l === low) return true
    }
  }

  /** Puts the hash in its slot (linear probing); false if it was there already. */
  private place(high: number, low: number): boolean {
    const mask = this.high.length - 1
    for (let slot = high & mask; ; slot = (slot + 1) & mask) {
      const h = this.high[slot] as number
      const l = this.low[slot] as number
      if (h === 0 && l === 0) {
        this.high[slot] = high
        this.low[slot] = low
        return true
      }
      if (h === high && l === low) return false
    }
  }

  private grow(): void {
    const { high, low } = this
    this.high = new Uint32Array(high.length * 2)
    this.low = new Uint32Array(low.length * 2)
    for (let slot = 0; slot < high.length; slot++) {
      const h = high[slot] as number
      const l = low[slot] as number
      if (h !== 0 || l !== 0) this.place(h, l)
    }
  }
}

/** Strings kept only as their 64-bit hashes, in order, duplicates included: 8 bytes each. */
export class StringHashList {
  private high = new Uint32Array(1024)
  private low = new Uint32Array(1024)
  length = 0

  push(value: string): void {
    if (this.length === this.high.length) {
      const high = new Uint32Array(this.high.length * 2)
      const low = new Uint32Array(this.low.length * 2)
      high.set(this.high)
      low.set(this.low)
      this.high = high
      this.low = low
    }
    const [high, low] = hash(value)
    this.high[this.length] = high
    this.low[this.length] = low
    this.length += 1
  }

  /** How many of the strings are not in `set`. */
  countAbsentFrom(set: StringHashSet): number {
    let absent = 0
    for (let i = 0; i < this.length; i++) if (!set.hasHash(this.high[i] as number, this.low[i] as number)) absent++
    return absent
  }
}

/** Two 32-bit hashes of the UTF-16 code units, by different mixes (FNV-1a, and a Murmur-style multiply-shift), each finished with Murmur3's avalanche. */
function hash(value: string): [number, number] {
  let high = 0x811c9dc5
  let low = 0x9747b28c
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i)
    high = Math.imul(high ^ unit, 0x01000193)
    low = Math.imul(low ^ unit, 0x5bd1e995)
    low ^= low >>> 15
  }
  high = avalanche(high ^ value.length)
  low = avalanche(low ^ value.length)
  return high === 0 && low === 0 ? [0, 1] : [high, low]
}

function avalanche(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}
