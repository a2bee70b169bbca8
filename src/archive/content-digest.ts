import { createHash } from 'node:crypto'
import { README } from './layout.ts'

/** The columns start this big and double when full. */
const INITIAL_ENTRIES = 1024
/** Names are kept in blocks of this size, never split across two: the blocks are never copied. */
const BLOCK_BYTES = 1024 * 1024
/** The lines of the digest are gathered and hashed in batches this big. */
const BATCH_BYTES = 64 * 1024

/**
 * A fingerprint of what an export holds rather than of its ZIP bytes (which change with every
 * export's timestamps): each entry's name, CRC-32 and size, sorted by name. Prolific's own
 * README.md is left out: it is a guide, not data. Two exports of the same responses and files
 * have the same digest, so a scheduled archive can skip storing an unchanged one.
 *
 * The names are kept as their UTF-8 bytes in blocks of 1 MiB, with where each lies, its CRC-32
 * and size in typed arrays: 22 bytes an entry besides the name's own bytes, where a string and
 * two array slots an entry took over 100, and nothing the garbage collector has to trace.
 */
export class ContentDigest {
  private readonly blocks: Buffer[] = []
  /** Bytes used of the last block. */
  private blockUsed = BLOCK_BYTES
  /** Entry i's name lies at starts[i] (block × BLOCK_BYTES + offset), lengths[i] bytes long. */
  private starts = new Float64Array(INITIAL_ENTRIES)
  private lengths = new Uint16Array(INITIAL_ENTRIES)
  private crcs = new Uint32Array(INITIAL_ENTRIES)
  private sizes = new Float64Array(INITIAL_ENTRIES)
  private count = 0

  add(name: string, crc32: number, size: number): void {
    if (name === README) return
    // A ZIP name is at most 65,535 bytes, so it always fits in one block.
    const bytes = Buffer.byteLength(name, 'utf8')
    if (this.count === this.crcs.length) this.growColumns()
    if (this.blockUsed + bytes > BLOCK_BYTES) {
      this.blocks.push(Buffer.allocUnsafe(BLOCK_BYTES))
      this.blockUsed = 0
    }
    const block = this.blocks.length - 1
    this.starts[this.count] = block * BLOCK_BYTES + this.blockUsed
    this.lengths[this.count] = this.blocks[block]?.write(name, this.blockUsed, 'utf8') ?? 0
    this.blockUsed += bytes
    this.crcs[this.count] = crc32
    this.sizes[this.count] = size
    this.count++
  }

  digest(): string {
    const order = new Uint32Array(this.count)
    for (let i = 0; i < order.length; i++) order[i] = i
    order.sort((a, b) => this.compareNames(a, b))
    const hash = createHash('sha256')
    const batch = Buffer.allocUnsafe(BATCH_BYTES)
    let used = 0
    for (const i of order) {
      const name = this.name(i)
      const rest = `\n${(this.crcs[i] ?? 0).toString(16).padStart(8, '0')}\n${this.sizes[i]}\n`
      if (used + name.length + rest.length > BATCH_BYTES) {
        hash.update(batch.subarray(0, used))
        used = 0
      }
      if (name.length + rest.length > BATCH_BYTES) {
        hash.update(name).update(rest)
        continue
      }
      used += name.copy(batch, used)
      used += batch.write(rest, used, 'latin1')
    }
    return hash.update(batch.subarray(0, used)).digest('hex')
  }

  /** Names a and b in the order JavaScript compares the strings (UTF-16 code units), as the digest always has. */
  private compareNames(a: number, b: number): number {
    // No tuple or view per call: a sort of a million names makes twenty million of them.
    const aAt = this.starts[a] as number
    const bAt = this.starts[b] as number
    const aBlock = this.blocks[Math.floor(aAt / BLOCK_BYTES)] as Buffer
    const bBlock = this.blocks[Math.floor(bAt / BLOCK_BYTES)] as Buffer
    const aStart = aAt % BLOCK_BYTES
    const bStart = bAt % BLOCK_BYTES
    const aLength = this.lengths[a] as number
    const bLength = this.lengths[b] as number
    const common = Math.min(aLength, bLength)
    for (let k = 0; k < common; k++) {
      const x = aBlock[aStart + k] as number
      const y = bBlock[bStart + k] as number
      if (x !== y) return utf16Order(x, y)
    }
    return aLength - bLength
  }

  private name(i: number): Buffer {
    const [block, start] = this.place(i)
    return block.subarray(start, start + (this.lengths[i] as number))
  }

  /** The block entry i's name lies in, and where in it. */
  private place(i: number): [Buffer, number] {
    const at = this.starts[i] as number
    const block = Math.floor(at / BLOCK_BYTES)
    return [this.blocks[block] as Buffer, at - block * BLOCK_BYTES]
  }

  private growColumns(): void {
    const length = this.crcs.length * 2
    const starts = new Float64Array(length)
    starts.set(this.starts)
    this.starts = starts
    const lengths = new Uint16Array(length)
    lengths.set(this.lengths)
    this.lengths = lengths
    const crcs = new Uint32Array(length)
    crcs.set(this.crcs)
    this.crcs = crcs
    const sizes = new Float64Array(length)
    sizes.set(this.sizes)
    this.sizes = sizes
  }
}

/**
 * The order of two code points from the first bytes in which their UTF-8 forms differ. UTF-8's
 * byte order is code-point order, and so UTF-16's, but for one case: a character from U+E000
 * to U+FFFF (lead byte 0xEE or 0xEF) sorts before one past U+FFFF (lead byte 0xF0 to 0xF4) by
 * code point, after it by UTF-16 code unit (a surrogate, 0xD800-0xDBFF, is below 0xE000). Two
 * code points of different lengths differ in their lead bytes, so the first differing bytes
 * tell the case apart.
 */
export function utf16Order(x: number, y: number): number {
  const xHighBmp = x === 0xee || x === 0xef
  const yHighBmp = y === 0xee || y === 0xef
  if (xHighBmp && y >= 0xf0) return 1
  if (yHighBmp && x >= 0xf0) return -1
  return x - y
}
