import type { Deadline } from '../core/deadline.ts'
import { ActionError, HttpError, NoFreeSlot } from '../core/errors.ts'
import { withRetry } from '../core/retry.ts'
import type { ExportFilter, ExportKind } from '../settings/settings.ts'
import type { ProlificClient, RequestedExport } from './client.ts'
import type { ExportJobSummary } from './schemas.ts'

/** The newer API keeps at most this many export jobs per batch or collection. */
export const JOB_SLOTS = 10

export interface SlotOptions {
  kind: ExportKind
  /** Delete the oldest finished jobs to free a slot (the `prune-exports` input). */
  pruneExports: boolean
  deadline: Deadline
  log: (message: string) => void
}

/**
 * The POST, and what to do when the API refuses it because every export-job slot is taken
 * (its status and words are not documented: a 409, or a refusal that speaks of a limit). With
 * `prune-exports`, the retry policy renews the slot list: the oldest finished jobs are deleted —
 * never a generating one, never more than needed — and the request is made once more; otherwise
 * the step fails saying how to free a slot.
 */
export async function requestWithSlot(
  client: ProlificClient,
  targetId: string,
  filter: ExportFilter,
  { kind, pruneExports, deadline, log }: SlotOptions,
): Promise<RequestedExport> {
  const request = async () => {
    try {
      return await client.requestExport(targetId, filter)
    } catch (error) {
      throw isSlotLimit(error) ? new NoFreeSlot(error) : error
    }
  }
  // One attempt each: the client's call has had its transient retries already.
  return withRetry(
    'requesting the export',
    request,
    { deadline, log, maxAttempts: 1 },
    {
      of: NoFreeSlot,
      limit: pruneExports ? 1 : 0,
      renew: () => pruneOldest(client, targetId, kind, log),
      // Pruned and still full: the API's own refusal, as it answered.
      exhausted: ({ refusal }, pruned) =>
        pruned > 0
          ? refusal
          : new ActionError(
              `${refusal.message} The ${kind} has no free export-job slot (${JOB_SLOTS} at most): delete its old export jobs, ` +
                "or set 'prune-exports: true' to let the action delete the oldest finished ones.",
            ),
    },
  )
}

/** How a refusal for full slots may be worded: "limit", "maximum", "too many", "at most 10 export jobs"… */
const SLOT_WORDING = /\blimit(?:ed|s)?\b|\bmaximum\b|\btoo many\b|\bat most\b|\bexceed|\bslots?\b/i

export function isSlotLimit(error: unknown): error is HttpError {
  if (!(error instanceof HttpError)) return false
  if (error.status === 409) return true
  return [400, 403, 422].includes(error.status) && SLOT_WORDING.test(error.message)
}

async function pruneOldest(client: ProlificClient, targetId: string, kind: ExportKind, log: (m: string) => void) {
  const jobs = await client.listExports(targetId)
  const needed = Math.max(1, jobs.length - (JOB_SLOTS - 1))
  // Oldest first; a job without a (readable) date counts as the oldest of all.
  const finished = jobs
    .filter((job) => job.status === 'complete' || job.status === 'failed')
    .map((job) => ({ job, at: createdAt(job) }))
    .sort((a, b) => a.at - b.at)
    .map(({ job }) => job)
  if (finished.length === 0) {
    throw new ActionError(
      `The ${kind} has no free export-job slot and all ${jobs.length} of its jobs are still generating: ` +
        'nothing can be deleted safely. Wait for them to finish, then run the workflow again.',
    )
  }
  const doomed = finished.slice(0, needed)
  for (const job of doomed) {
    if ((await client.deleteExport(targetId, job.export_id)) === 'unsupported') {
      throw new ActionError(
        `The ${kind} has no free export-job slot, and this API has no route to delete export jobs, so ` +
          "'prune-exports' cannot free one. Delete old export jobs in Prolific, then run the workflow again.",
      )
    }
  }
  log(`Deleted ${doomed.length} finished export job(s) of ${jobs.length} to free a slot (prune-exports is true).`)
}

/** When the job was created, in ms; an undated job sorts before every dated one. */
function createdAt(job: ExportJobSummary): number {
  const at = Date.parse(job.created_at ?? '')
  return Number.isFinite(at) ? at : Number.MIN_SAFE_INTEGER
}
