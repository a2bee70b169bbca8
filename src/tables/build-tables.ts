import { type ArchiveKind, LAYOUTS, uploadOwner } from '../archive/layout.ts'
import type { Deadline } from '../core/deadline.ts'
import { ArchiveError } from '../core/errors.ts'
import type { Cell, Column } from './cells.ts'
import type { TablesRequest } from './formats.ts'
import { codebookOf } from './instructions.ts'
import { placeTables } from './place-tables.ts'
import { type ArchiveFile, readForTables } from './read-archive.ts'
import { eachResponse, ResponseFields, responseRow } from './responses.ts'
import { openTable, type TableSink } from './table-sink.ts'
import { tableWarnings } from './table-warnings.ts'

export interface TablesJob {
  zipPath: string
  kind: ArchiveKind
  request: TablesRequest
  strict: boolean
  deadline: Deadline
}

export interface MadeTables {
  path: string
  rows: { responses: number; instructions: number; files: number }
  /** What the records lack; errors instead when `strict` is on. */
  warnings: string[]
}

const FILE_COLUMNS: Column[] = [
  { name: 'path', type: 'string' },
  { name: 'submission_id', type: 'string' },
  { name: 'size', type: 'int' },
  { name: 'crc32', type: 'int' },
]

/**
 * The tables of a validated archive, in two passes over it. The first lists the uploads, reads
 * the codebook and learns the responses' fields (the columns must be known before the first
 * row is written); the second writes the responses. Both stream: memory holds a batch of rows.
 */
export async function buildTables({ zipPath, kind, request, strict, deadline }: TablesJob): Promise<MadeTables> {
  const layout = LAYOUTS[kind]
  const { formats } = request
  return placeTables(request.path, async (folder) => {
    const fields = new ResponseFields()
    let metadata: unknown
    let files = 0
    await writeTable(openTable(folder, 'files', formats, FILE_COLUMNS), async (table) => {
      const file = (entry: ArchiveFile) => {
        table.add(fileRow(entry))
        files += 1
      }
      const record = (value: Record<string, unknown>) => fields.observe(value)
      await readForTables(zipPath, layout, { file, record, metadata: (value) => (metadata = value) }, deadline)
    })
    const codebook = codebookOf(metadata)
    const plan = fields.plan()
    const warnings = tableWarnings({ kind, fields, plan, codebook })
    if (strict && warnings.length > 0) {
      throw new ArchiveError(`The archive lacks what the tables expect (strict is on): ${warnings.join(' ')}`)
    }
    await writeTable(openTable(folder, 'instructions', formats, codebook.plan.columns), async (table) => {
      for (const row of codebook.rows) table.add(row)
    })
    await writeTable(openTable(folder, 'responses', formats, plan.columns), async (table) => {
      const record = (value: Record<string, unknown>) =>
        void eachResponse(value, (parts) => table.add(responseRow(parts, plan)))
      await readForTables(zipPath, layout, { record }, deadline)
    })
    const rows = { responses: fields.responses, instructions: codebook.rows.length, files }
    return { path: request.path, rows, warnings }
  })
}

async function writeTable(opening: Promise<TableSink>, write: (table: TableSink) => Promise<void>): Promise<void> {
  const table = await opening
  try {
    await write(table)
  } catch (error) {
    table.discard()
    throw error
  }
  table.close()
}

/** An upload's row: its path, the submission_id its name begins with, its size and CRC-32. */
function fileRow({ name, size, crc32 }: ArchiveFile): Cell[] {
  const owner = uploadOwner(name)
  return [name, owner === '' ? null : owner, size, crc32]
}
