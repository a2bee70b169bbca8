// A batch export whose tasks have chosen numbers of responses, for the per-task coverage gate:
// responses-by-task.jsonl replaced by lines with `responses` arrays of those lengths (null: a
// line without the array). The responses carry participant ids, so tests can check none leaks.
import { buildExportArchive, type ExportArchiveOptions, submissionIds } from './export-archive.ts'

/** A participant id that appears in every response, and must appear in no log, output, summary or state. */
export const COVERAGE_PARTICIPANT = '5f0c0ffee0c0ffee0c0ffee0'

export function taskLines(responsesPerTask: Array<number | null>): string {
  const submissions = submissionIds(Math.max(0, ...responsesPerTask.map((n) => n ?? 0)))
  return responsesPerTask
    .map((count, t) => {
      const task = { task_id: `task-${t + 1}`, batch_id: 'coverage-batch' }
      if (count === null) return JSON.stringify(task)
      const responses = submissions.slice(0, count).map((submission_id, s) => ({
        id: `response-${t + 1}-${s + 1}`,
        submission_id,
        participant_id: COVERAGE_PARTICIPANT,
        task_id: task.task_id,
        response: { type: 'free_text', answer: [{ value: `answer ${s + 1}` }] },
      }))
      return JSON.stringify({ ...task, responses })
    })
    .join('\n')
    .concat('\n')
}

/** The standard batch export with its tasks' response counts replaced. */
export function coverageArchive(responsesPerTask: Array<number | null>, options: ExportArchiveOptions = {}): Buffer {
  return buildExportArchive({
    ...options,
    replace: { ...options.replace, 'responses-by-task.jsonl': taskLines(responsesPerTask) },
  })
}
