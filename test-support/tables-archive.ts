// Batch and collection exports whose responses carry everything the tables must survive: free
// text with commas, quotes, CR/LF, runner commands, emoji and other Unicode; several kinds of
// answer; extra fields of every JSON kind. Built from the same pieces as export-archive.ts.
import {
  assembleArchive,
  EXPORT_BATCH_ID,
  hexId,
  jsonlText,
  submissionIds,
  uploadEntries,
  uuid,
} from './export-archive.ts'
import type { ZipEntrySpec } from './zip-builder.ts'

/** Free text no table may alter: each must come back from CSV and Parquet exactly as written. */
export const HOSTILE_TEXTS = [
  'plain',
  'comma, inside',
  'a "quoted" word',
  '"',
  'line one\nline two',
  'carriage\rreturn',
  'windows\r\nline',
  '\r\n',
  '::set-output name=leak::yes',
  '::error::not an error',
  '##[group]not a group',
  '=HYPERLINK("https://example.invalid","click")',
  '+1',
  '-1',
  '@SUM(A1)',
  '  leading and trailing spaces  ',
  '',
  'tab\there',
  'back\\slash',
  'emoji 😀👩🏽‍🔬🏳️‍🌈',
  '中文, 日本語, 한국어',
  'עברית ومرحبا',
  'e\u0301 combining',
  'zero\u200bwidth\ufeffbom',
  'line\u2028separator\u2029paragraph',
  '\u{10FFFF} last code point',
]

export const TABLES_INSTRUCTIONS = [
  { id: uuid('t-instruction:0'), type: 'free_text', description: 'Describe, in your "own" words:\nwhat you see' },
  {
    id: uuid('t-instruction:1'),
    type: 'multiple_choice',
    description: 'Pick all that apply',
    options: ['red, dark', 'green "light"', { label: 'blue', value: 3 }],
    answer_limit: 2,
  },
  { id: uuid('t-instruction:2'), type: 'free_text_with_unit', text: 'How tall? 😀', unit_options: ['cm', 'in'] },
]

/** Responses of one submission: every hostile text, a multiple choice and a value with a unit. */
function responsesOf(submission: string, participant: string, s: number) {
  const base = (n: number, instruction: number) => ({
    id: uuid(`t-response:${s}:${n}`),
    created_at: `2025-01-15T12:${String(n % 60).padStart(2, '0')}:00.000Z`,
    batch_id: EXPORT_BATCH_ID,
    submission_id: submission,
    participant_id: participant,
    task_id: uuid(`t-task:${n % 3}`),
    schema_version: 2,
    score: n + 0.5,
    flagged: n % 2 === 0,
    metadata: { device: 'desktop', note: HOSTILE_TEXTS[n % HOSTILE_TEXTS.length] },
    response: { instruction_id: TABLES_INSTRUCTIONS[instruction]?.id, type: '', answer: [] as unknown[] },
  })
  const texts = HOSTILE_TEXTS.map((text, n) => {
    const record = base(n, 0)
    record.response = { ...record.response, type: 'free_text', answer: [{ value: text }] }
    return record
  })
  const choice = base(HOSTILE_TEXTS.length, 1)
  choice.response = {
    ...choice.response,
    type: 'multiple_choice',
    answer: [{ value: 'red, dark' }, { value: 'green "light"' }],
  }
  const unit = base(HOSTILE_TEXTS.length + 1, 2)
  unit.response = { ...unit.response, type: 'free_text_with_unit', answer: [{ value: '172', unit: 'cm' }] }
  return [...texts, choice, unit]
}

export interface TablesArchive {
  zip: Buffer
  /** Every submission record, as written to the JSONL. */
  records: Array<Record<string, unknown> & { responses: Array<Record<string, unknown>> }>
  uploads: ZipEntrySpec[]
}

export function buildTablesArchive(submissions = 2): TablesArchive {
  const ids = submissionIds(submissions)
  const records = ids.map((submission_id, s) => {
    const participant_id = hexId(`t-participant:${s}`, 24)
    return {
      submission_id,
      participant_id,
      batch_id: EXPORT_BATCH_ID,
      responses: responsesOf(submission_id, participant_id, s),
    }
  })
  const byTask = [{ task_id: uuid('t-task:0'), batch_id: EXPORT_BATCH_ID, responses: [] }]
  const batch = { id: EXPORT_BATCH_ID, name: 'Hostile text, batch', instructions: TABLES_INSTRUCTIONS }
  const uploads = uploadEntries(ids, { files: 3 })
  const zip = assembleArchive(
    [
      { name: 'README.md', data: '# Batch export\n' },
      { name: 'responses-by-submission.jsonl', data: jsonlText(records, {}) },
      { name: 'responses-by-task.jsonl', data: jsonlText(byTask, {}) },
      { name: 'batch.json', data: JSON.stringify(batch) },
      ...uploads,
    ],
    {},
  )
  return { zip, records, uploads }
}
