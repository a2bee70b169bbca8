// The export-job state machine of the fake Prolific API, free of HTTP so the rules of the two
// API generations read in one place. The server turns each JobReply into a response.
import { randomUUID } from 'node:crypto'

export type Generation = 'v1' | 'v2'
export type JobStatus = 'generating' | 'complete' | 'failed'

export interface FakeJob {
  exportId: string
  batchId: string
  status: JobStatus
  filter: Record<string, string> | null
  deleted: boolean
  /** From the injected clock. */
  createdAt: number
  /** GETs that have answered `generating` so far. */
  polls: number
}

export type JobReply =
  | { kind: 'job'; status: 200 | 202; job: FakeJob }
  | { kind: 'list'; jobs: FakeJob[] }
  | { kind: 'deleted' }
  | { kind: 'error'; status: number; title: string; detail: string }

export interface ExportJobsOptions {
  generation: Generation
  pollsUntilComplete: number
  existing: boolean
  /** The first this many jobs end as `failed` instead of `complete`. */
  failJobs: number
  now: () => number
}

export const JOB_LIMIT = 10

export function apiError(status: number, title: string, detail: string): JobReply {
  return { kind: 'error', status, title, detail }
}

export function createExportJobs({ generation, pollsUntilComplete, existing, failJobs, now }: ExportJobsOptions) {
  const jobs: FakeJob[] = []
  let existingPending = existing
  const live = (batchId: string) => jobs.filter((job) => job.batchId === batchId && !job.deleted)
  const notFound = apiError(404, 'Not found', 'Export job not found.')

  const create = (batchId: string, filter: FakeJob['filter'], status: JobStatus): JobReply => {
    const job: FakeJob = {
      exportId: randomUUID(),
      batchId,
      status,
      filter,
      deleted: false,
      createdAt: now(),
      polls: 0,
    }
    jobs.push(job)
    return { kind: 'job', status: status === 'complete' ? 200 : 202, job }
  }

  const requestV1 = (batchId: string): JobReply => {
    if (existingPending) {
      existingPending = false
      return create(batchId, null, 'complete')
    }
    // The older API keeps handing back the batch's job until it fails; filters do not exist.
    const current = live(batchId).at(-1)
    if (!current || current.status === 'failed') return create(batchId, null, 'generating')
    return { kind: 'job', status: current.status === 'complete' ? 200 : 202, job: current }
  }

  const requestV2 = (batchId: string, filter: FakeJob['filter']): JobReply => {
    const key = JSON.stringify(filter)
    const batchJobs = live(batchId)
    const same = batchJobs.find((job) => job.status === 'generating' && JSON.stringify(job.filter) === key)
    if (same) return { kind: 'job', status: 202, job: same }
    if (batchJobs.length >= JOB_LIMIT) {
      const detail = `Batch ${batchId} has reached its limit of ${JOB_LIMIT} export jobs. Delete an export job to request a new one.`
      return apiError(409, 'Conflict', detail)
    }
    return create(batchId, filter, 'generating')
  }

  return {
    all: (): FakeJob[] => jobs,

    request: (batchId: string, filter: FakeJob['filter']): JobReply =>
      generation === 'v1' ? requestV1(batchId) : requestV2(batchId, filter),

    poll: (batchId: string, exportId: string): JobReply => {
      const job = live(batchId).find((candidate) => candidate.exportId === exportId)
      if (!job) return notFound
      if (job.status === 'generating' && job.polls < pollsUntilComplete) job.polls++
      else if (job.status === 'generating') job.status = jobs.indexOf(job) < failJobs ? 'failed' : 'complete'
      return { kind: 'job', status: 200, job }
    },

    list: (batchId: string): JobReply => ({ kind: 'list', jobs: live(batchId).reverse() }),

    remove: (batchId: string, exportId: string): JobReply => {
      const job = live(batchId).find((candidate) => candidate.exportId === exportId)
      if (!job) return notFound
      if (job.status === 'generating') {
        return apiError(409, 'Conflict', 'An export job cannot be deleted while it is generating.')
      }
      job.deleted = true
      return { kind: 'deleted' }
    },

    setStatus: (exportId: string, status: JobStatus): void => {
      const job = jobs.find((candidate) => candidate.exportId === exportId)
      if (!job) throw new Error(`fake-prolific: no export job ${exportId}`)
      job.status = status
    },
  }
}
