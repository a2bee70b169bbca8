import { createHash } from 'node:crypto'
import { README } from './layout.ts'

/**
 * A fingerprint of what an export holds rather than of its ZIP bytes (which change with every
 * export's timestamps): each entry's name, CRC-32 and size, sorted by name. Prolific's own
 * README.md is left out: it is a guide, not data. Two exports of the same responses and files
 * have the same digest, so a scheduled archive can skip storing an unchanged one.
 */
export class ContentDigest {
  private readonly entries: Array<[string, number, number]> = []

  add(name: string, crc32: number, size: number): void {
    if (name !== README) this.entries.push([name, crc32, size])
  }

  digest(): string {
    const hash = createHash('sha256')
    const sorted = this.entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    for (const [name, crc32, size] of sorted) {
      hash.update(`${name}\n${crc32.toString(16).padStart(8, '0')}\n${size}\n`)
    }
    return hash.digest('hex')
  }
}
