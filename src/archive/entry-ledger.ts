import { createHash } from 'node:crypto'

/** What the central directory must repeat, exactly, about each local entry. */
export interface LedgerEntry {
  offset: number
  size: number
  compressedSize: number
  crc: number
  method: number
  /** The flag bits both headers must agree on (SHARED_FLAGS). */
  flags: number
  /** The name as stored: with the same bytes and the same UTF-8 flag, it decodes the same. */
  nameRaw: Uint8Array
}

/** Fixed part of an entry's record in the ledger: three sizes/offsets, CRC-32, method, flags, name length. */
const FIXED_BYTES = 8 + 8 + 8 + 4 + 2 + 2 + 2
/** Records are gathered and hashed in batches this big: one hash call per batch, not per entry. */
const BATCH_BYTES = 64 * 1024

/**
 * A running SHA-256 over the entries, in order, as the scan sees them: the local headers make
 * one ledger, the central directory another, and the two must end equal. It replaces a list
 * of every local entry (a few hundred bytes of objects an entry, 360 MiB for a million): it
 * keeps nothing per entry. A difference shows at the end rather than at the entry, which is
 * all the scan needs: it then leaves the archive to the disk validator, which names the entry.
 * SHA-256 because an archive is hostile: a crafted central name must not match a local one.
 */
export class EntryLedger {
  entries = 0
  private readonly hash = createHash('sha256')
  private readonly batch = Buffer.allocUnsafe(BATCH_BYTES)
  private used = 0

  add(entry: LedgerEntry): void {
    if (this.used + FIXED_BYTES + entry.nameRaw.length > BATCH_BYTES) this.flush()
    const { batch } = this
    let at = this.used
    at = batch.writeDoubleLE(entry.offset, at)
    at = batch.writeDoubleLE(entry.size, at)
    at = batch.writeDoubleLE(entry.compressedSize, at)
    at = batch.writeUInt32LE(entry.crc >>> 0, at)
    at = batch.writeUInt16LE(entry.method, at)
    at = batch.writeUInt16LE(entry.flags, at)
    at = batch.writeUInt16LE(entry.nameRaw.length, at)
    if (at + entry.nameRaw.length > BATCH_BYTES) {
      // A name longer than a batch (names are at most 65,535 bytes): hashed on its own.
      this.used = at
      this.flush()
      this.hash.update(entry.nameRaw)
    } else {
      batch.set(entry.nameRaw, at)
      this.used = at + entry.nameRaw.length
    }
    this.entries++
  }

  /** The hex digest of every entry added; the ledger takes no more after this. */
  digest(): string {
    this.flush()
    return this.hash.digest('hex')
  }

  private flush(): void {
    if (this.used === 0) return
    this.hash.update(this.batch.subarray(0, this.used))
    this.used = 0
  }
}
