import { join } from 'node:path'
import type { Column } from './cells.ts'
import type { TableFormat, TableName } from './formats.ts'
import type { SinkFactory, TableSink } from './private-file.ts'

export type { TableSink } from './private-file.ts'

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
