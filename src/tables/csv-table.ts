import { stringify, type Options } from 'csv-stringify/sync'
import type { Cell, Column } from './cells.ts'
import { PrivateFile, type TableSink } from './private-file.ts'

/**
 * RFC 4180: CRLF between records, every text field quoted (so an empty text stays distinct from
 * a missing value, which is an empty field), quotes doubled. UTF-8 without a byte-order mark.
 * Cells are written as they are: a text that begins with `=` is not altered for spreadsheets.
 */
const OPTIONS: Options = {
  quoted_string: true,
  record_delimiter: 'windows',
  cast: { boolean: (value) => (value ? 'true' : 'false') },
}
const BATCH_ROWS = 2000
const BATCH_CHARS = 1 << 20

export function csvTable(path: string, columns: readonly Column[]): TableSink {
  const file = new PrivateFile(path)
  let rows: unknown[][] = []
  let chars = 0
  const flush = () => {
    if (rows.length === 0) return
    file.write(Buffer.from(stringify(rows, OPTIONS)))
    rows = []
    chars = 0
  }
  try {
    file.write(Buffer.from(stringify([columns.map((column) => column.name)], OPTIONS)))
  } catch (error) {
    file.close()
    throw error
  }
  return {
    add(row) {
      const cells = row.map(csvCell)
      for (const cell of cells) if (typeof cell === 'string') chars += cell.length
      rows.push(cells)
      if (rows.length >= BATCH_ROWS || chars >= BATCH_CHARS) flush()
    },
    close() {
      try {
        flush()
      } finally {
        file.close()
      }
    },
    discard: () => file.close(),
  }
}

/** A list as one JSON array text; numbers, booleans and text as they are; a missing value as nothing. */
function csvCell(cell: Cell): string | number | boolean | null {
  if (Array.isArray(cell)) return JSON.stringify(cell)
  return cell as string | number | boolean | null
}
