import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { Cell, Column } from './cells.ts'
import type { TableFormat, TableName } from './formats.ts'

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

/** One table in every format asked for, as one sink. */
export async function openTable(
  folder: string,
  table: TableName,
  formats: readonly TableFormat[],
  columns: readonly Column[],
): Promise<TableSink> {
  const sinks: TableSink[] = []
  try {
    for (const format of formats) sinks.push((await factory(format))(join(folder, `${table}.${format}`), columns))
  } catch (error) {
    for (const sink of sinks) sink.discard()
    throw error
  }
  return {
    add: (row) => sinks.forEach((sink) => sink.add(row)),
    close: () => sinks.forEach((sink) => sink.close()),
    discard: () => sinks.forEach((sink) => sink.discard()),
  }
}

// Each format's library is loaded only when that format is asked for.
async function factory(format: TableFormat): Promise<SinkFactory> {
  if (format === 'csv') return (await import('./csv-table.ts')).csvTable
  return (await import('./parquet-table.ts')).parquetTable
}

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
