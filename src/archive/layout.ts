/** The archive layouts Prolific documents for a batch export and a collection export. */
export const SUBMISSIONS = 'responses-by-submission.jsonl'
export const TASKS = 'responses-by-task.jsonl'
export const BATCH = 'batch.json'
export const RESPONSES = 'responses.jsonl'
export const COLLECTION = 'collection.json'
export const README = 'README.md'
export const FILES_DIR = 'files/'

/** The submission_id an upload's name under files/ begins with (up to its first `_` or `/`); '' if none. */
export function uploadOwner(name: string): string {
  return name.slice(FILES_DIR.length).split(/[_/]/, 1)[0] ?? ''
}

export type ArchiveKind = 'batch' | 'collection'

export interface ArchiveLayout {
  /** The entries every export of this kind holds; files/ is optional. */
  required: readonly string[]
  /**
   * Each JSONL entry and the field its records are expected, but not documented, to carry.
   * Missing ones are warnings, or errors with `strict`.
   */
  expectedFields: Readonly<Record<string, string>>
  /** The JSONL entry counted as submissions, whose ids the names under files/ begin with. */
  submissions: string
  /** The JSONL entry counted as tasks; a collection has none. */
  tasks: string | undefined
  /** The metadata JSON object, expected to list the instructions in an `instructions` array. */
  metadata: string
  /** The input naming what was exported, to check when the archive is not an export of it. */
  input: string
}

export const LAYOUTS: Readonly<Record<ArchiveKind, ArchiveLayout>> = {
  batch: {
    required: [README, SUBMISSIONS, TASKS, BATCH],
    expectedFields: { [SUBMISSIONS]: 'submission_id', [TASKS]: 'task_id' },
    submissions: SUBMISSIONS,
    tasks: TASKS,
    metadata: BATCH,
    input: 'batch-id',
  },
  collection: {
    required: [README, RESPONSES, COLLECTION],
    expectedFields: { [RESPONSES]: 'submission_id' },
    submissions: RESPONSES,
    tasks: undefined,
    metadata: COLLECTION,
    input: 'collection-id',
  },
}

/** Names of the fixed layouts: public, unlike what lies under files/. */
const FIXED_NAMES = new Set([...LAYOUTS.batch.required, ...LAYOUTS.collection.required, FILES_DIR])

/** Whether the name is one a layout fixes (and so may be looked up by name). */
export function isLayoutName(name: string): boolean {
  return FIXED_NAMES.has(name)
}

/**
 * How a message names an entry: a fixed layout name as it is, anything else by its number and,
 * under files/, that folder. Any other name may hold participant data (an upload misfiled,
 * a name decoded wrongly) and is never shown, not even cut short.
 */
export function describeEntry(name: string, index: number): string {
  if (FIXED_NAMES.has(name)) return name
  if (name.startsWith(FILES_DIR)) return `entry #${index + 1} under ${FILES_DIR}`
  return `entry #${index + 1}`
}
