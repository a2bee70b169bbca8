import { ByteWriter, ParquetWriter } from 'hyparquet-writer'
import { type Cell, type Column, textOf } from './cells.ts'
import { PrivateFile, type TableSink } from './private-file.ts'

type Schema = ConstructorParameters<typeof ParquetWriter>[0]['schema']
type SchemaElement = Schema[number]

/**
 * A row group is written every ROW_GROUP_ROWS rows or once the text buffered passes
 * ROW_GROUP_CHARS, whichever comes first: what memory holds of a table, whatever its length.
 */
const ROW_GROUP_ROWS = 20_000
const ROW_GROUP_CHARS = 16 << 20
/** The encoded bytes are handed to the file in pieces of about this size. */
const FLUSH_BYTES = 1 << 20

/** hyparquet-writer's buffer, emptied into our file (0600, created exclusively) as it fills. */
class FileByteWriter extends ByteWriter {
  private readonly file: PrivateFile

  constructor(file: PrivateFile) {
    super(FLUSH_BYTES)
    this.file = file
  }

  override ensure(size: number): void {
    if (this.index > FLUSH_BYTES) this.drain()
    super.ensure(size)
  }

  override finish(): void {
    this.drain()
  }

  private drain(): void {
    this.file.write(new Uint8Array(this.buffer, 0, this.index))
    this.index = 0
  }
}

/** Optional columns throughout: every field may be missing from a record. */
function schemaOf(columns: readonly Column[]): Schema {
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }]
  for (const { name, type } of columns) {
    const repetition_type = 'OPTIONAL'
    if (type === 'list') {
      schema.push(
        { name, repetition_type, converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type },
      )
    } else if (type === 'string') schema.push({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type })
    else if (type === 'int') schema.push({ name, type: 'INT64', repetition_type })
    else if (type === 'double') schema.push({ name, type: 'DOUBLE', repetition_type })
    else schema.push({ name, type: 'BOOLEAN', repetition_type })
  }
  return schema
}

/** A cell as hyparquet-writer takes it: BigInt for INT64, a list's values as text (JSON for the rest). */
function parquetCell(cell: Cell, column: Column): unknown {
  if (cell === null) return null
  if (column.type === 'int') return BigInt(cell as number)
  if (column.type === 'list') return (cell as readonly unknown[]).map(textOf)
  return cell
}

export function parquetTable(path: string, columns: readonly Column[]): TableSink {
  const file = new PrivateFile(path)
  let writer: ParquetWriter
  try {
    writer = new ParquetWriter({
      writer: new FileByteWriter(file),
      schema: schemaOf(columns),
      createdBy: 'prolific-export-action',
    })
  } catch (error) {
    file.close()
    throw error
  }
  let buffered: unknown[][] = columns.map(() => [])
  let rows = 0
  let chars = 0
  const flush = () => {
    if (rows === 0) return
    const columnData = columns.map((column, at) => ({ name: column.name, data: buffered[at] ?? [] }))
    void writer.write({ columnData, rowGroupSize: rows })
    buffered = columns.map(() => [])
    rows = 0
    chars = 0
  }
  return {
    add(row) {
      columns.forEach((column, at) => {
        const value = parquetCell(row[at] ?? null, column)
        if (typeof value === 'string') chars += value.length
        else if (Array.isArray(value)) for (const element of value as string[]) chars += element.length
        buffered[at]?.push(value)
      })
      rows += 1
      if (rows >= ROW_GROUP_ROWS || chars >= ROW_GROUP_CHARS) flush()
    },
    close() {
      try {
        flush()
        void writer.finish()
      } finally {
        file.close()
      }
    },
    discard: () => file.close(),
  }
}
