// The tables made from a validated archive, read back with DuckDB (a reader we did not write)
// and compared with the JSONL they come from.
import { crc32 } from 'node:zlib'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ArchiveKind } from '../src/archive/layout.ts'
import { Deadline } from '../src/core/deadline.ts'
import { buildTables, type MadeTables } from '../src/tables/build-tables.ts'
import type { TableFormat } from '../src/tables/formats.ts'
import { columnTypes, readTable } from '../test-support/duckdb-tables.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { buildTablesArchive, HOSTILE_TEXTS, TABLES_INSTRUCTIONS } from '../test-support/tables-archive.ts'

const dir = mkdtempSync(join(tmpdir(), 'tables-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0

interface Options {
  kind?: ArchiveKind
  strict?: boolean
  formats?: TableFormat[]
}

async function tablesOf(zip: Buffer, { kind = 'batch', strict = false, formats = ['csv', 'parquet'] }: Options = {}) {
  const zipPath = join(dir, `export-${++counter}.zip`)
  writeFileSync(zipPath, zip)
  const request = { formats, path: join(dir, `export-${counter}-tables`) }
  const made = await buildTables({ zipPath, kind, request, strict, deadline: new Deadline(fakeClock(), 60_000) })
  return made
}

const read = (made: MadeTables, file: string) => readTable(join(made.path, file))

describe('the responses table', () => {
  const archive = buildTablesArchive(2)
  const responses = archive.records.flatMap((record) => record.responses)

  it('has one row per response, in both formats, with the fixed columns from the JSONL', async () => {
    const made = await tablesOf(archive.zip)
    expect(made.warnings).toEqual([])
    expect(made.rows.responses).toBe(responses.length)
    for (const file of ['responses.parquet', 'responses.csv']) {
      const rows = await read(made, file)
      expect(rows).toHaveLength(responses.length)
      rows.forEach((row, at) => {
        const response = responses[at] as Record<string, unknown> & { response: Record<string, unknown> }
        expect(row.submission_id).toBe(response.submission_id)
        expect(row.participant_id).toBe(response.participant_id)
        expect(row.task_id).toBe(response.task_id)
        expect(row.instruction_id).toBe(response.response.instruction_id)
        expect(row.type).toBe(response.response.type)
      })
    }
  })

  it('gives free text back exactly as written: commas, quotes, CR/LF, runner commands, emoji, any Unicode', async () => {
    const made = await tablesOf(archive.zip)
    const parquet = await read(made, 'responses.parquet')
    const csv = await read(made, 'responses.csv')
    const texts = parquet.filter((row) => row.type === 'free_text').map((row) => row.answer)
    expect(texts).toEqual([...HOSTILE_TEXTS, ...HOSTILE_TEXTS].map((text) => [text]))
    const csvTexts = csv.filter((row) => row.type === 'free_text').map((row) => JSON.parse(String(row.answer)))
    expect(csvTexts).toEqual([...HOSTILE_TEXTS, ...HOSTILE_TEXTS].map((text) => [text]))
    // The metadata object (a hostile text inside) comes back as its JSON, in both formats.
    expect(parquet.map((row) => row.metadata)).toEqual(responses.map((r) => JSON.stringify(r.metadata)))
    expect(csv.map((row) => row.metadata)).toEqual(responses.map((r) => JSON.stringify(r.metadata)))
  })

  it('holds the answer as a list: every value of a multiple choice, and a value with a unit whole', async () => {
    const made = await tablesOf(archive.zip)
    const parquet = await read(made, 'responses.parquet')
    const csv = await read(made, 'responses.csv')
    expect(parquet.find((row) => row.type === 'multiple_choice')?.answer).toEqual(['red, dark', 'green "light"'])
    expect(JSON.parse(String(csv.find((row) => row.type === 'multiple_choice')?.answer))).toEqual([
      'red, dark',
      'green "light"',
    ])
    expect(parquet.find((row) => row.type === 'free_text_with_unit')?.answer).toEqual(['{"value":"172","unit":"cm"}'])
    expect(JSON.parse(String(csv.find((row) => row.type === 'free_text_with_unit')?.answer))).toEqual([
      { value: '172', unit: 'cm' },
    ])
  })

  it('types the columns in Parquet from what the records hold: a list, integers, doubles, booleans, text', async () => {
    const made = await tablesOf(archive.zip)
    const types = await columnTypes(join(made.path, 'responses.parquet'))
    expect(types).toEqual({
      submission_id: 'VARCHAR',
      participant_id: 'VARCHAR',
      task_id: 'VARCHAR',
      instruction_id: 'VARCHAR',
      type: 'VARCHAR',
      answer: 'VARCHAR[]',
      id: 'VARCHAR',
      created_at: 'VARCHAR',
      batch_id: 'VARCHAR',
      schema_version: 'BIGINT',
      score: 'DOUBLE',
      flagged: 'BOOLEAN',
      metadata: 'VARCHAR',
      submission_batch_id: 'VARCHAR',
    })
    const rows = await read(made, 'responses.parquet')
    expect(rows.map((row) => [row.id, row.schema_version, row.score, row.flagged])).toEqual(
      responses.map((r) => [r.id, String(r.schema_version), r.score, r.flagged]),
    )
    // The CSV holds the same values, as text.
    const csv = await read(made, 'responses.csv')
    expect(csv.map((row) => [row.schema_version, row.score, row.flagged])).toEqual(
      responses.map((r) => [String(r.schema_version), String(r.score), String(r.flagged)]),
    )
  })
})

describe('the instructions table (the codebook)', () => {
  it('has every instruction of batch.json with its id, type, text and options', async () => {
    const made = await tablesOf(buildTablesArchive(1).zip)
    const parquet = await read(made, 'instructions.parquet')
    expect(parquet.map((row) => [row.id, row.type])).toEqual(TABLES_INSTRUCTIONS.map((i) => [i.id, i.type]))
    expect(parquet.map((row) => row.text)).toEqual([
      TABLES_INSTRUCTIONS[0]?.description,
      TABLES_INSTRUCTIONS[1]?.description,
      TABLES_INSTRUCTIONS[2]?.text,
    ])
    expect(parquet[1]?.options).toEqual(['red, dark', 'green "light"', '{"label":"blue","value":3}'])
    expect(parquet[1]?.answer_limit).toBe('2')
    expect(parquet[2]?.unit_options).toBe('["cm","in"]')
    const csv = await read(made, 'instructions.csv')
    // In CSV, the options are one JSON array text of the values as batch.json holds them.
    expect(
      csv.map((row) => [row.id, row.type, row.text, row.options === null ? null : JSON.parse(String(row.options))]),
    ).toEqual(
      TABLES_INSTRUCTIONS.map((i) => [
        i.id,
        i.type,
        'text' in i ? i.text : i.description,
        'options' in i ? i.options : null,
      ]),
    )
  })
})

describe('the files table', () => {
  it('lists every upload with its path, the submission_id it begins with, size and CRC-32', async () => {
    const archive = buildTablesArchive(2)
    const made = await tablesOf(archive.zip)
    const uploads = archive.uploads.filter((entry) => !entry.name.endsWith('/'))
    const expected = uploads.map((entry) => {
      const data = Buffer.from(entry.data ?? '')
      return [
        entry.name,
        entry.name.slice('files/'.length, 'files/'.length + 24),
        String(data.length),
        String(crc32(data)),
      ]
    })
    for (const file of ['files.parquet', 'files.csv']) {
      const rows = await read(made, file)
      expect(rows.map((row) => [row.path, row.submission_id, String(row.size), String(row.crc32)])).toEqual(expected)
    }
    expect(made.rows.files).toBe(uploads.length)
  })
})

describe('the tables folder', () => {
  it('holds one file per table and format, readable by its owner only', async () => {
    const made = await tablesOf(buildTablesArchive(1).zip, { formats: ['parquet'] })
    expect(readdirSync(made.path).sort()).toEqual(['files.parquet', 'instructions.parquet', 'responses.parquet'])
    expect(statSync(made.path).mode & 0o777).toBe(0o700)
    for (const file of readdirSync(made.path)) expect(statSync(join(made.path, file)).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([])
  })
})
