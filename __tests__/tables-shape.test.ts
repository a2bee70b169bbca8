// Records that lack the documented fields, collections, strict, and what a failure leaves behind.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ArchiveKind } from '../src/archive/layout.ts'
import type { Clock } from '../src/core/clock.ts'
import { Deadline } from '../src/core/deadline.ts'
import { ActionError, ArchiveError, DeadlineError } from '../src/core/errors.ts'
import { buildTables } from '../src/tables/build-tables.ts'
import { buildCollectionArchive } from '../test-support/collection-archive.ts'
import { readTable } from '../test-support/duckdb-tables.ts'
import { buildExportArchive, instructionList } from '../test-support/export-archive.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { DuckDBInstance } from '@duckdb/node-api'

const dir = mkdtempSync(join(tmpdir(), 'tables-shape-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0

function paths() {
  counter += 1
  return { zipPath: join(dir, `export-${counter}.zip`), tablesPath: join(dir, `export-${counter}-tables`) }
}

async function tablesOf(zip: Buffer, kind: ArchiveKind = 'batch', strict = false, clock: Clock = fakeClock()) {
  const { zipPath, tablesPath } = paths()
  writeFileSync(zipPath, zip)
  const request = { formats: ['csv' as const, 'parquet' as const], path: tablesPath }
  return buildTables({ zipPath, kind, request, strict, deadline: new Deadline(clock, 60_000) })
}

const jsonl = (records: object[]) => records.map((record) => JSON.stringify(record)).join('\n') + '\n'

/** Submissions whose responses lack one documented field each, and a record with no responses. */
const LACKING = jsonl([
  {
    submission_id: 'sub-a',
    participant_id: 'part-a',
    responses: [
      { task_id: 't1', response: { instruction_id: 'i1', answer: [{ value: 'no type' }] } },
      { task_id: 't1', response: { type: 'free_text', answer: [{ value: 'no instruction' }] } },
      { response: { instruction_id: 'i1', type: 'free_text' } },
      'not an object',
    ],
  },
  { submission_id: 'sub-b', participant_id: 'part-b' },
  { participant_id: 'part-c', task_id: 't2', response: { instruction_id: 'i2', type: 'free_text', answer: [] } },
])

describe('records that lack the expected fields', () => {
  const zip = () => buildExportArchive({ replace: { 'responses-by-submission.jsonl': LACKING } })

  it('warns with counts, never crashes, and the tables hold what is there', async () => {
    const made = await tablesOf(zip())
    expect(made.warnings).toEqual([
      "1 of 4 response(s) in responses-by-submission.jsonl have no 'submission_id', so that column is empty there.",
      "1 of 4 response(s) in responses-by-submission.jsonl have no 'task_id', so that column is empty there.",
      "1 of 4 response(s) in responses-by-submission.jsonl have no 'instruction_id', so that column is empty there.",
      "1 of 4 response(s) in responses-by-submission.jsonl have no 'type', so that column is empty there.",
      "1 of 4 response(s) in responses-by-submission.jsonl have no 'answer', so that column is empty there.",
      '1 record(s) in responses-by-submission.jsonl hold no responses, so they give no rows.',
      "1 entr(ies) of 'responses' arrays in responses-by-submission.jsonl are not objects and give no rows.",
    ])
    for (const file of ['responses.parquet', 'responses.csv']) {
      const rows = await readTable(join(made.path, file))
      expect(
        rows.map((row) => [row.submission_id, row.participant_id, row.task_id, row.instruction_id, row.type]),
      ).toEqual([
        ['sub-a', 'part-a', 't1', 'i1', null],
        ['sub-a', 'part-a', 't1', null, 'free_text'],
        ['sub-a', 'part-a', null, 'i1', 'free_text'],
        [null, 'part-c', 't2', 'i2', 'free_text'],
      ])
      const answers = rows.map((row) => (typeof row.answer === 'string' ? JSON.parse(row.answer) : row.answer))
      expect(answers).toEqual([['no type'], ['no instruction'], null, []])
    }
  })

  it('fails with strict, before any table is written, and leaves no folder', async () => {
    const error = await tablesOf(zip(), 'batch', true).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ArchiveError)
    expect((error as Error).message).toMatch(
      /^The archive lacks what the tables expect \(strict is on\): 1 of 4 response/,
    )
    expect(existsSync(join(dir, `export-${counter}-tables`))).toBe(false)
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([])
  })

  it('warns about instructions without an id, a type or a text, and lists them all the same', async () => {
    const batch = { instructions: [{ id: 'i1' }, { type: 'free_text', text: 'Why?' }, 7] }
    const made = await tablesOf(buildExportArchive({ replace: { 'batch.json': JSON.stringify(batch) } }))
    expect(made.warnings).toEqual([
      "1 of 2 instruction(s) in batch.json have no 'id'.",
      "1 of 2 instruction(s) in batch.json have no 'type'.",
      "1 of 2 instruction(s) in batch.json have no 'text' (nor 'description').",
      "1 entr(ies) of 'instructions' in batch.json are not objects and give no row.",
    ])
    const rows = await readTable(join(made.path, 'instructions.parquet'))
    expect(rows).toEqual([
      { id: 'i1', type: null, text: null, options: null },
      { id: null, type: 'free_text', text: 'Why?', options: null },
    ])
  })
})

describe('collections', () => {
  it('makes the same tables from responses.jsonl and collection.json, with no task expected', async () => {
    const made = await tablesOf(buildCollectionArchive({ submissions: 3, instructions: 4 }), 'collection')
    expect(made.warnings).toEqual([])
    const rows = await readTable(join(made.path, 'responses.parquet'))
    expect(rows).toHaveLength(12)
    expect(new Set(rows.map((row) => row.submission_id)).size).toBe(3)
    expect(rows.every((row) => row.task_id === null && Array.isArray(row.answer))).toBe(true)
    expect(rows[0]?.collection_id).toBeDefined()
    const codebook = await readTable(join(made.path, 'instructions.csv'))
    expect(codebook.map((row) => row.id)).toEqual(instructionList(4).map((i) => i.id))
    expect(await readTable(join(made.path, 'files.csv'))).toHaveLength(2)
  })
})

describe('a failed step', () => {
  it('leaves no half-written table: the deadline passing mid-way removes the partial folder', async () => {
    // Time moves on as the tables are made: the deadline passes during the second pass.
    let calls = 0
    const clock: Clock = { now: () => (++calls > 12 ? 10 ** 12 : 0), sleep: async () => undefined }
    const error = await tablesOf(buildExportArchive({ submissions: 50, files: 5 }), 'batch', false, clock).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(DeadlineError)
    expect(existsSync(join(dir, `export-${counter}-tables`))).toBe(false)
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([])
  })

  it('replaces the tables an earlier run left, and refuses a folder that holds anything else', async () => {
    const zip = buildExportArchive()
    const first = await tablesOf(zip)
    writeFileSync(join(first.path, 'responses.csv'), 'stale')
    const { zipPath } = paths()
    writeFileSync(zipPath, zip)
    const again = () =>
      buildTables({
        zipPath,
        kind: 'batch',
        request: { formats: ['csv'], path: first.path },
        strict: false,
        deadline: new Deadline(fakeClock(), 60_000),
      })
    await again()
    expect(readdirSync(first.path).sort()).toEqual(['files.csv', 'instructions.csv', 'responses.csv'])
    expect(await readTable(join(first.path, 'responses.csv'))).toHaveLength(6)
    mkdirSync(join(first.path, 'notes'))
    const error = await again().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toMatch(/already exists and holds something other than tables/)
    expect(existsSync(join(first.path, 'notes'))).toBe(true)
    expect(readdirSync(dir).filter((name) => /\.(partial|old)-/.test(name))).toEqual([])
  })
})

describe('memory', () => {
  it('writes a long table in row groups rather than holding it whole', async () => {
    const made = await tablesOf(buildExportArchive({ submissions: 2500, tasks: 20, files: 0 }))
    expect(made.rows.responses).toBe(50_000)
    const db = await (await DuckDBInstance.create(':memory:')).connect()
    const path = join(made.path, 'responses.parquet')
    const groups = await db.runAndReadAll(`SELECT DISTINCT row_group_id FROM parquet_metadata('${path}')`)
    expect(groups.getRows().length).toBeGreaterThanOrEqual(3)
    expect(await readTable(path)).toHaveLength(50_000)
  })
})
