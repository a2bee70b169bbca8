// Reads the tables back with a reader we did not write: DuckDB. CSV is read with every column as
// text and quoting as RFC 4180 says, so what comes back is what the file holds, not a guess.
import { DuckDBInstance } from '@duckdb/node-api'

export type TableRow = Record<string, unknown>

let instance: Promise<DuckDBInstance> | undefined

async function connection() {
  instance ??= DuckDBInstance.create(':memory:')
  return (await instance).connect()
}

function quoted(path: string): string {
  return `'${path.replaceAll("'", "''")}'`
}

/** Every row of a Parquet or CSV table, in file order, as JSON-friendly values. */
export async function readTable(path: string): Promise<TableRow[]> {
  const source = path.endsWith('.parquet')
    ? `read_parquet(${quoted(path)})`
    : `read_csv(${quoted(path)}, header = true, all_varchar = true, quote = '"', escape = '"', delim = ',', ` +
      `strict_mode = true, allow_quoted_nulls = false)`
  const reader = await (await connection()).runAndReadAll(`SELECT * FROM ${source}`)
  return reader.getRowObjectsJson() as TableRow[]
}

/** Each column's name and DuckDB type. */
export async function columnTypes(path: string): Promise<Record<string, string>> {
  const source = path.endsWith('.parquet') ? `read_parquet(${quoted(path)})` : `read_csv(${quoted(path)})`
  const reader = await (await connection()).runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)
  const rows = reader.getRowObjectsJson() as Array<{ column_name: string; column_type: string }>
  return Object.fromEntries(rows.map((row) => [row.column_name, row.column_type]))
}
