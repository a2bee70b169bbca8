/** The archive layout Prolific documents for a batch export. */
export const SUBMISSIONS = 'responses-by-submission.jsonl'
export const TASKS = 'responses-by-task.jsonl'
export const BATCH = 'batch.json'
export const README = 'README.md'
export const FILES_DIR = 'files/'

export const REQUIRED_ENTRIES = [README, SUBMISSIONS, TASKS, BATCH] as const

/**
 * Field names the export is expected, but not documented, to carry. Missing ones are
 * warnings, or errors with `strict`.
 */
export const EXPECTED_FIELDS = {
  [SUBMISSIONS]: 'submission_id',
  [TASKS]: 'task_id',
} as const

/** Entry names that may appear in logs: the fixed layout. Anything else may hold participant data. */
export function describeEntry(name: string, index: number): string {
  if ((REQUIRED_ENTRIES as readonly string[]).includes(name) || name === FILES_DIR) return name
  if (name.startsWith(FILES_DIR)) return `entry #${index + 1} under ${FILES_DIR}`
  // An unexpected name is not a participant's upload; show it, cut short, to locate the problem.
  const shown = name.length > 80 ? `${name.slice(0, 80)}…` : name
  return `entry #${index + 1} (${JSON.stringify(shown)})`
}
