// The export-job state machine of the fake Prolific API, free of HTTP so the rules of the two
// API generations read in one place. The server turns each JobReply into a response.
import { randomUUID } from 'node:crypto'

export type Generation = 'v1' | 'v2'
export type JobStatus = 'generating' | 'complete' | 'failed'
/** The path segment the export belongs under: batches and collections export alike. */
export type Resource = 'batches' | 'collections'

/** What an export is of: a batch or a collection, by its id. */
export interface Target {
  resource: Resource
  id: string
}

export interface FakeJob {
  exportId: string
  resource: Resource
  /** The batch's or the collection's id. */
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
  const live = ({ resource, id }: Target) =>
    jobs.filter((job) => job.resource === resource && job.batchId === id && !job.deleted)
  const notFound = apiError(404, 'Not found', 'Export job not found.')

  const create = (target: Target, filter: FakeJob['filter'], status: JobStatus): JobReply => {
    const job: FakeJob = {
      exportId: randomUUID(),
      resource: target.resource,
      batchId: target.id,
      status,
      filter,
      deleted: false,
      createdAt: now(),
      polls: 0,
    }
    jobs.push(job)
    return { kind: 'job', status: status === 'complete' ? 200 : 202, job }
  }

  const requestV1 = (target: Target): JobReply => {
    if (existingPending) {
      existingPending = false
      return create(target, null, 'complete')
    }
    // The older API keeps handing back the batch's job until it fails; filters do not exist.
    const current = live(target).at(-1)
    if (!current || current.status === 'failed') return create(target, null, 'generating')
    return { kind: 'job', status: current.status === 'complete' ? 200 : 202, job: current }
  }

  const requestV2 = (target: Target, filter: FakeJob['filter']): JobReply => {
    const key = JSON.stringify(filter)
    const targetJobs = live(target)
    const same = targetJobs.find((job) => job.status === 'generating' && JSON.stringify(job.filter) === key)
    if (same) return { kind: 'job', status: 202, job: same }
    if (targetJobs.length >= JOB_LIMIT) {
      const detail = `${noun(target.resource)} ${target.id} has reached its limit of ${JOB_LIMIT} export jobs. Delete an export job to request a new one.`
      return apiError(409, 'Conflict', detail)
    }
    return create(target, filter, 'generating')
  }

  return {
    all: (): FakeJob[] => jobs,

    request: (target: Target, filter: FakeJob['filter']): JobReply =>
      generation === 'v1' ? requestV1(target) : requestV2(target, filter),

    poll: (target: Target, exportId: string): JobReply => {
      const job = live(target).find((candidate) => candidate.exportId === exportId)
      if (!job) return notFound
      if (job.status === 'generating' && job.polls < pollsUntilComplete) job.polls++
      else if (job.status === 'generating') job.status = jobs.indexOf(job) < failJobs ? 'failed' : 'complete'
      return { kind: 'job', status: 200, job }
    },

    list: (target: Target): JobReply => ({ kind: 'list', jobs: live(target).reverse() }),

    remove: (target: Target, exportId: string): JobReply => {
      const job = live(target).find((candidate) => candidate.exportId === exportId)
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

/** 'Batch' or 'Collection', as the API's messages name what an export is of. */
function noun(resource: Resource): string {
  return resource === 'batches' ? 'Batch' : 'Collection'
}

/** 403 for the id 'forbidden'; 404 for an id not `known` (by default only 'missing'). */
export function refuseTarget({ resource, id }: Target, known: string[] | undefined): JobReply | undefined {
  if (id === 'forbidden') {
    return apiError(403, 'Forbidden', `You do not have workspace access to this ${noun(resource).toLowerCase()}.`)
  }
  if (known ? !known.includes(id) : id === 'missing') return apiError(404, 'Not found', `${noun(resource)} not found.`)
  return undefined
}

const FILTER_KEYS = ['study_id', 'from', 'to']

// Different filters are different jobs; a fixed key order makes equal filters compare equal.
export function readFilter(url: URL): Record<string, string> | null {
  const entries = FILTER_KEYS.flatMap((key) => {
    const value = url.searchParams.get(key)
    return value === null ? [] : [[key, value] as const]
  })
  return entries.length > 0 ? Object.fromEntries(entries) : null
}

/** A job as the list route shows it. */
export function describeJob(job: FakeJob): object {
  const { exportId, status, filter, createdAt } = job
  return { export_id: exportId, status, filter, created_at: new Date(createdAt).toISOString() }
}
