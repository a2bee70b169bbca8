// A realistic, valid Prolific batch export, for the happy path and as the base that fault
// tests mutate (omit an entry, replace one, append hostile ones). Fully deterministic.
import { createHash } from 'node:crypto'
import { buildZip, FIXED_MTIME, type ZipEntrySpec } from './zip-builder.ts'

export interface ExportArchiveOptions {
  /** Lines in responses-by-submission.jsonl (default 3). */
  submissions?: number
  /** Lines in responses-by-task.jsonl (default 2). */
  tasks?: number
  /** Uploads under files/, each named after a real submission id (default 2). */
  files?: number
  /** Length of batch.json's `instructions` array (default 4). */
  instructions?: number
  crlf?: boolean
  /** Default true. */
  finalNewline?: boolean
  /** Entry names to leave out. */
  omit?: string[]
  /** Entries appended after the standard ones. */
  extra?: ZipEntrySpec[]
  /** New content for an entry, by name. */
  replace?: Record<string, string | Buffer>
  /** Write the archive in ZIP64 form, as Prolific does for very large batches. */
  zip64?: boolean
  /**
   * How the uploads are compressed (default 'deflate'). 'store' for tens of thousands of them:
   * a zlib context per entry costs about 4 s and 1.6 GB of memory for 65,600 entries.
   */
  uploadMethod?: 'store' | 'deflate'
  /** Every entry's modification time, as a re-export of the same data would differ. */
  mtime?: Date
}

export const EXPORT_BATCH_ID = '67a1b2c3d4e5f60718293a4b'

/** Deterministic 24-hex ids, shaped like Prolific's (Mongo ObjectId) submission ids. */
export function submissionIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => hexId(`submission:${i}`, 24))
}

export function buildExportArchive(options: ExportArchiveOptions = {}): Buffer {
  const submissions = submissionIds(options.submissions ?? 3)
  const participants = submissions.map((_, i) => hexId(`participant:${i}`, 24))
  const tasks = Array.from({ length: options.tasks ?? 2 }, (_, i) => uuid(`task:${i}`))
  const instructions = instructionList(options.instructions ?? 4)
  // One answer per (submission, task) pair, spread over the instructions, so both JSONL files
  // describe the same responses from two directions.
  const response = (s: number, t: number) => ({
    id: uuid(`response:${s}:${t}`),
    created_at: new Date(FIXED_MTIME.getTime() - (s * 60 + t) * 1000).toISOString(),
    batch_id: EXPORT_BATCH_ID,
    submission_id: submissions[s],
    participant_id: participants[s],
    task_id: tasks[t],
    instruction_id: instructions[(s + t) % Math.max(instructions.length, 1)]?.id ?? null,
    response: {
      type: 'free_text',
      answer: [{ value: `Answer ${s + 1}.${t + 1}` }],
    },
  })
  const bySubmission = submissions.map((submission_id, s) => ({
    submission_id,
    participant_id: participants[s],
    batch_id: EXPORT_BATCH_ID,
    responses: tasks.map((_, t) => response(s, t)),
  }))
  const byTask = tasks.map((task_id, t) => ({
    task_id,
    batch_id: EXPORT_BATCH_ID,
    responses: submissions.map((_, s) => response(s, t)),
  }))
  const batch = {
    id: EXPORT_BATCH_ID,
    name: 'Image descriptions (test batch)',
    status: 'COMPLETED',
    created_at: '2025-01-10T09:00:00.000Z',
    total_task_count: tasks.length,
    instructions,
  }
  return assembleArchive(
    [
      { name: 'README.md', data: README },
      { name: 'responses-by-submission.jsonl', data: jsonlText(bySubmission, options) },
      { name: 'responses-by-task.jsonl', data: jsonlText(byTask, options) },
      { name: 'batch.json', data: JSON.stringify(batch, null, 2) + '\n' },
      ...uploadEntries(submissions, options),
    ],
    options,
  )
}

/** Options that shape the layout, lines, uploads and ZIP form of either kind of export. */
export type ArchiveShapeOptions = Omit<ExportArchiveOptions, 'submissions' | 'tasks'>

export function instructionList(count: number): Array<{ id: string; type: string; description: string }> {
  return Array.from({ length: count }, (_, i) => ({
    id: uuid(`instruction:${i}`),
    type: 'free_text',
    description: `Question ${i + 1}: describe what you see.`,
  }))
}

export function jsonlText(records: object[], { crlf, finalNewline }: ArchiveShapeOptions): string {
  const eol = crlf === true ? '\r\n' : '\n'
  return records.map((r) => JSON.stringify(r)).join(eol) + (finalNewline !== false && records.length > 0 ? eol : '')
}

/** files/ and its uploads (default 2), each named after one of the submissions. */
export function uploadEntries(submissions: string[], options: ArchiveShapeOptions): ZipEntrySpec[] {
  const fileCount = options.files ?? 2
  if (fileCount === 0) return []
  // Uploads need an owner even when a test asks for zero submissions.
  const owners = submissions.length > 0 ? submissions : submissionIds(1)
  const uploads = Array.from({ length: fileCount }, (_, n) => ({
    name: `files/${owners[n % owners.length]}_upload-${n + 1}.txt`,
    data: `Uploaded file ${n + 1}\n`,
    method: options.uploadMethod,
  }))
  return [{ name: 'files/' }, ...uploads]
}

/** Applies omit, replace, mtime and extra to the standard entries, and zips them. */
export function assembleArchive(entries: ZipEntrySpec[], options: ArchiveShapeOptions): Buffer {
  const omit = new Set(options.omit ?? [])
  const kept = entries
    .filter((entry) => !omit.has(entry.name))
    .map((entry) => {
      const replacement = options.replace?.[entry.name]
      const dated = options.mtime ? { ...entry, mtime: options.mtime } : entry
      return replacement === undefined ? dated : { ...dated, data: replacement }
    })
  return buildZip([...kept, ...(options.extra ?? [])], { zip64: options.zip64 === true })
}

const README = `# Batch export

This archive holds every participant response of one AI Task Builder batch.

- \`responses-by-submission.jsonl\`: one line per submission
- \`responses-by-task.jsonl\`: one line per task
- \`batch.json\`: batch metadata and instructions
- \`files/\`: participant uploads, named after their submission id

\`\`\`python
import pandas as pd
df = pd.read_json("responses-by-submission.jsonl", lines=True)
\`\`\`
`

export function hexId(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length)
}

export function uuid(seed: string): string {
  const h = hexId(seed, 32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`
}
