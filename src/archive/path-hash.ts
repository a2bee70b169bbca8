/**
 * 64-bit hashes of an entry name and of every folder above it, in one pass over the name:
 * hashing each prefix on its own would cost the square of the name's length, which a name of
 * thousands of one-letter folders turns into minutes. Pair i is the hash of the name up to its
 * i-th '/', the last pair that of the whole name. Same mixes as StringHashSet's; two different
 * strings share a hash with odds of about n²/2⁶⁵, and the worst that does here is refuse a
 * valid archive (every use asks "was this seen?" to refuse). One object is reused for every
 * name, so that hashing allocates nothing.
 */
export class PathHashes {
  /** high/low halves, two a pair. */
  pairs = new Uint32Array(64)
  /** Where each hashed prefix ends in the name: a '/', or the name's length. */
  ends = new Uint32Array(32)
  /** Pairs held: the folders, then the whole name. */
  count = 0

  of(name: string): this {
    let high = 0x811c9dc5
    let low = 0x9747b28c
    let count = 0
    if (this.ends.length <= name.length) this.grow(name.length + 1)
    const { pairs, ends } = this
    for (let i = 0; i < name.length; i++) {
      const unit = name.charCodeAt(i)
      if (unit === SLASH) {
        pairs[2 * count] = high
        pairs[2 * count + 1] = low
        ends[count++] = i
      }
      high = Math.imul(high ^ unit, 0x01000193)
      low = Math.imul(low ^ unit, 0x5bd1e995)
      low ^= low >>> 15
    }
    pairs[2 * count] = high
    pairs[2 * count + 1] = low
    ends[count++] = name.length
    // The running state is kept at each '/' and finished here, out of the hot loop.
    for (let pair = 0; pair < count; pair++) {
      const length = ends[pair] as number
      const h = avalanche((pairs[2 * pair] as number) ^ length)
      const l = avalanche((pairs[2 * pair + 1] as number) ^ length)
      pairs[2 * pair] = h
      // 0/0 marks an empty slot in HashSet64.
      pairs[2 * pair + 1] = h === 0 && l === 0 ? 1 : l
    }
    this.count = count
    return this
  }

  /** Room for a name of `units` UTF-16 units, which holds at most that many prefixes. */
  private grow(units: number): void {
    this.pairs = new Uint32Array(2 * units)
    this.ends = new Uint32Array(units)
  }
}

const SLASH = 0x2f

function avalanche(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** A set of 64-bit hashes in one typed array (open addressing): 16-32 bytes a member. */
export class HashSet64 {
  private slots = new Uint32Array(2 * 1024)
  size = 0

  /** Adds pair `pair` of `pairs`; false if it was there already. */
  add({ pairs }: PathHashes, pair: number): boolean {
    if (this.size * 4 >= this.slots.length) this.grow()
    const added = this.place(pairs[2 * pair] as number, pairs[2 * pair + 1] as number)
    if (added) this.size += 1
    return added
  }

  has({ pairs }: PathHashes, pair: number): boolean {
    const high = pairs[2 * pair] as number
    const low = pairs[2 * pair + 1] as number
    const mask = this.slots.length / 2 - 1
    for (let slot = high & mask; ; slot = (slot + 1) & mask) {
      const h = this.slots[2 * slot] as number
      const l = this.slots[2 * slot + 1] as number
      if (h === 0 && l === 0) return false
      if (h === high && l === low) return true
    }
  }

  private place(high: number, low: number): boolean {
    const mask = this.slots.length / 2 - 1
    for (let slot = high & mask; ; slot = (slot + 1) & mask) {
      const h = this.slots[2 * slot] as number
      const l = this.slots[2 * slot + 1] as number
      if (h === 0 && l === 0) {
        this.slots[2 * slot] = high
        this.slots[2 * slot + 1] = low
        return true
      }
      if (h === high && l === low) return false
    }
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Uint32Array(old.length * 2)
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i] as number
      const l = old[i + 1] as number
      if (h !== 0 || l !== 0) this.place(h, l)
    }
  }
}
