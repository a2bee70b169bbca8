// A real HTTP server that plays both the Prolific export API and the S3 bucket behind its
// presigned URLs, so the action is exercised over real sockets: headers, status codes, resets.
// Job rules live in fake-export-jobs.ts, storage in fake-s3.ts and fault injection in
// fake-faults.ts; this file routes, checks the token and batch, records every request and
// plays scripted one-shot responses.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { buildExportArchive } from './export-archive.ts'
import {
  apiError,
  createExportJobs,
  type FakeJob,
  type Generation,
  type JobReply,
  type JobStatus,
} from './fake-export-jobs.ts'
import { type DownloadFault, type ScriptedResponse, sendScripted } from './fake-faults.ts'
import { createFakeBucket, STORAGE_PATH, type StoredObject } from './fake-s3.ts'

export type { FakeJob, Generation, JobStatus } from './fake-export-jobs.ts'
export type { DownloadFault, ScriptedResponse } from './fake-faults.ts'
export type { StoredObject } from './fake-s3.ts'
export type Route = 'request' | 'poll' | 'list' | 'delete' | 'download'

export interface RecordedRequest {
  route: Route | 'unknown'
  method: string
  path: string
  query: Record<string, string>
  authorization: string | undefined
  userAgent: string | undefined
  headers: Record<string, string | string[] | undefined>
  /** Date.now() when the request arrived. */
  at: number
  /** The status line sent so far, if any (none for a reset or a stall before headers). */
  readonly status: number | undefined
}

export interface FakeProlificOptions {
  /** Default 'test-token'; API routes require `Authorization: Token <token>`. */
  token?: string
  /** Default 'v2'. */
  generation?: Generation
  /** GETs answering `generating` before a job completes (default 1). */
  pollsUntilComplete?: number
  /** Default buildExportArchive(); a function is called on every download. */
  archive?: Buffer | (() => Buffer)
  /** Serve this file instead of `archive`, streamed from disk (for archives of gigabytes). */
  archiveFile?: string
  /** The first this many export jobs end as `failed` (the API never says why). */
  failJobs?: number
  /** v1 only: the very first POST answers 200 complete, without an export_id. */
  existing?: boolean
  /** Presigned URLs at least this old answer 403 'Request has expired' (default 1 hour). */
  urlTtlMs?: number
  /** Known batch ids; by default every id except 'missing' exists. */
  batches?: string[]
  /** Clock for job times and URL expiry (default Date.now), so tests can expire URLs. */
  now?: () => number
}

export interface FakeProlific {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:PORT. */
  url: string
  requests: RecordedRequest[]
  /** One-shot responses for a route, consumed in order before normal handling. */
  script(route: Route, ...responses: ScriptedResponse[]): void
  /** One-shot faults of the next downloads of the object, consumed in order (see DownloadFault). */
  downloadFault(...faults: DownloadFault[]): void
  jobs(): FakeJob[]
  /** Force a job's state, e.g. 'failed', which the API never explains. */
  setJobStatus(exportId: string, status: JobStatus): void
  setArchive(archive: StoredObject): void
  close(): Promise<void>
}

const API_PATH = /^\/api\/v1\/data-collection\/batches\/([^/]+)\/export(?:\/([^/]+))?\/?$/
const FILTER_KEYS = ['study_id', 'from', 'to']

export async function startFakeProlific(options: FakeProlificOptions = {}): Promise<FakeProlific> {
  const now = options.now ?? Date.now
  const generation = options.generation ?? 'v2'
  const requests: RecordedRequest[] = []
  const scripts = new Map<Route, ScriptedResponse[]>()
  const jobs = createExportJobs({
    generation,
    pollsUntilComplete: options.pollsUntilComplete ?? 1,
    existing: options.existing === true,
    failJobs: options.failJobs ?? 0,
    now,
  })
  const bucket = createFakeBucket({
    now,
    ttlMs: options.urlTtlMs ?? 3_600_000,
    archive: options.archiveFile ? { file: options.archiveFile } : (options.archive ?? buildExportArchive()),
  })
  let base = ''

  const api = (req: IncomingMessage, route: Route, url: URL): JobReply => {
    if (req.headers.authorization !== `Token ${options.token ?? 'test-token'}`) {
      return apiError(401, 'Unauthorized', 'Invalid token.')
    }
    const [, batchId = '', exportId = ''] = API_PATH.exec(url.pathname) ?? []
    if (batchId === 'forbidden') {
      return apiError(403, 'Forbidden', 'You do not have workspace access to this batch.')
    }
    if (options.batches ? !options.batches.includes(batchId) : batchId === 'missing') {
      return apiError(404, 'Not found', 'Batch not found.')
    }
    if (route === 'request') return jobs.request(batchId, readFilter(url))
    if (route === 'poll') return jobs.poll(batchId, exportId)
    // The older API has no list or delete routes, only POST on .../export.
    if (generation === 'v1') return methodNotAllowed(req)
    return route === 'list' ? jobs.list(batchId) : jobs.remove(batchId, exportId)
  }

  const render = (res: ServerResponse, reply: JobReply): void => {
    if (reply.kind === 'deleted') return void res.writeHead(204).end()
    if (reply.kind === 'list') return json(res, 200, reply.jobs.map(describe))
    if (reply.kind === 'error') {
      const { status, title, detail } = reply
      // Prolific's documented error shape; the error_code values are invented but stable.
      return json(res, status, { error: { status, error_code: status * 100, title, detail } })
    }
    const { job, status } = reply
    if (job.status === 'generating') {
      return json(res, status, { status: 'generating', export_id: job.exportId })
    }
    if (job.status === 'failed') return json(res, status, { status: 'failed' })
    // A v1 200 carries no export_id, so v1 URLs are named at random and never reveal one.
    const name = status === 200 && generation === 'v1' ? randomUUID() : job.exportId
    json(res, status, { status: 'complete', ...bucket.sign(base, name, () => !job.deleted) })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base)
    const route = classify(req.method ?? 'GET', url.pathname)
    requests.push({
      route,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      userAgent: req.headers['user-agent'],
      headers: { ...req.headers },
      at: Date.now(),
      get status() {
        return res.headersSent ? res.statusCode : undefined
      },
    })
    const scripted = route === 'unknown' ? undefined : scripts.get(route)?.shift()
    if (scripted) return sendScripted(res, scripted)
    if (route === 'download') return bucket.serve(req, res, url)
    if (route !== 'unknown') return render(res, api(req, route, url))
    const known = API_PATH.test(url.pathname)
    render(res, known ? methodNotAllowed(req) : apiError(404, 'Not found', 'No such route.'))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: base,
    requests,
    script: (route, ...responses) => {
      scripts.set(route, [...(scripts.get(route) ?? []), ...responses])
    },
    downloadFault: (...faults) => bucket.addFaults(faults),
    jobs: () => jobs.all().map((job) => ({ ...job })),
    setJobStatus: jobs.setStatus,
    setArchive: bucket.setArchive,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

function methodNotAllowed(req: IncomingMessage): JobReply {
  return apiError(405, 'Method not allowed', `Method "${req.method}" not allowed.`)
}

function classify(method: string, path: string): Route | 'unknown' {
  if (STORAGE_PATH.test(path)) return method === 'GET' || method === 'HEAD' ? 'download' : 'unknown'
  const match = API_PATH.exec(path)
  if (!match) return 'unknown'
  const onJob = match[2] !== undefined
  if (method === 'POST' && !onJob) return 'request'
  if (method === 'GET') return onJob ? 'poll' : 'list'
  return method === 'DELETE' && onJob ? 'delete' : 'unknown'
}

// Different filters are different jobs; a fixed key order makes equal filters compare equal.
function readFilter(url: URL): Record<string, string> | null {
  const entries = FILTER_KEYS.flatMap((key) => {
    const value = url.searchParams.get(key)
    return value === null ? [] : [[key, value] as const]
  })
  return entries.length > 0 ? Object.fromEntries(entries) : null
}

function describe(job: FakeJob): object {
  const { exportId, status, filter, createdAt } = job
  return { export_id: exportId, status, filter, created_at: new Date(createdAt).toISOString() }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  // end() with the whole body lets Node send Content-Length rather than chunked encoding.
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(text)
}
