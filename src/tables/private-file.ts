import { closeSync, openSync, writeSync } from 'node:fs'
import type { Cell, Column } from './cells.ts'

/**
 * Receives a table's rows one at a time and writes them out in bounded batches, synchronously:
 * rows arrive from inside the JSONL parser's callback, which cannot wait, and a batch is written
 * before the next chunk of the archive is inflated, so memory holds one batch whatever the size.
 */
export interface TableSink {
  add(row: readonly Cell[]): void
  /** Writes what is buffered and the file's end, and closes it. */
  close(): void
  /** Closes the file without finishing it (the staging folder is removed after). */
  discard(): void
}

export type SinkFactory = (path: string, columns: readonly Column[]) => TableSink

/**
 * A new file only this user can read (participant data), refused if anything is there already.
 * Closed once: a second close could hit a descriptor number the process has reused since.
 */
export class PrivateFile {
  private readonly fd: number
  private open = true

  constructor(path: string) {
    this.fd = openSync(path, 'wx', 0o600)
  }

  write(bytes: Uint8Array): void {
    let written = 0
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written)
  }

  close(): void {
    if (!this.open) return
    this.open = false
    closeSync(this.fd)
  }
}
