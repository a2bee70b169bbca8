// A real HTTP server that plays both the Prolific export API and the S3 bucket behind its
// presigned URLs, so the action is exercised over real sockets: headers, status codes, resets.
// Job rules live in fake-export-jobs.ts, routes in fake-routes.ts, storage in fake-s3.ts and fault
// injection in fake-faults.ts; this file checks the token and the batch or collection, records every
// request and plays scripted one-shot responses. Collections export exactly as batches do, under
// their own path, and serve their own archive.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { buildCollectionArchive } from './collection-archive.ts'
import { buildExportArchive } from './export-archive.ts'
import {
  apiError,
  createExportJobs,
  describeJob,
  type FakeJob,
  type Generation,
  type JobReply,
  type JobStatus,
  readFilter,
  refuseTarget,
  type Resource,
} from './fake-export-jobs.ts'
import { type DownloadFault, type ScriptedResponse, sendScripted } from './fake-faults.ts'
import { classify, parseApiPath, type Route } from './fake-routes.ts'
import { createFakeBucket, STORAGE_PATH, type StoredObject } from './fake-s3.ts'

export type { FakeJob, Generation, JobStatus, Resource } from './fake-export-jobs.ts'
export type { DownloadFault, ScriptedResponse } from './fake-faults.ts'
export type { StoredObject } from './fake-s3.ts'
export type { Route } from './fake-routes.ts'

export interface RecordedRequest {
  route: Route | 'unknown'
  /** Whose export the request concerns (for a download, whose export the URL was signed for). */
  resource: Resource | undefined
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
  /**
   * Download links point at this origin instead of the fake's own storage (the benchmark's
   * sendfile server, which costs the client's cores almost nothing); same path and query.
   */
  downloadOrigin?: string
  /**
   * Served for collection exports (default buildCollectionArchive()). `downloadFault` and
   * `setArchive` act on batch exports' downloads only.
   */
  collectionArchive?: Buffer
  /** The first this many export jobs end as `failed` (the API never says why). */
  failJobs?: number
  /** v1 only: the very first POST answers 200 complete, without an export_id. */
  existing?: boolean
  /** Presigned URLs at least this old answer 403 'Request has expired' (default 1 hour). */
  urlTtlMs?: number
  /** Known batch ids; by default every id except 'missing' exists. */
  batches?: string[]
  /** Known collection ids; by default every id except 'missing' exists. */
  collections?: string[]
  /** Clock for job times and URL expiry (default Date.now), so tests can expire URLs. */
  now?: () => number
  /**
   * Rewrites each JSON body the API sends, as a buggy server or a proxy that alters bodies would
   * (export status, job list and error bodies alike); the route says which answer it is.
   */
  rewrite?: (route: Route, body: Record<string, unknown>) => Record<string, unknown>
  /** Rewrites the job list (GET …/export), most recent first, as such a server would. */
  rewriteList?: (jobs: Array<Record<string, unknown>>) => Array<Record<string, unknown>>
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
  const ttlMs = options.urlTtlMs ?? 3_600_000
  const bucket = createFakeBucket({
    now,
    ttlMs,
    archive: options.archiveFile ? { file: options.archiveFile } : (options.archive ?? buildExportArchive()),
  })
  const collectionBucket = createFakeBucket({
    now,
    ttlMs,
    archive: options.collectionArchive ?? buildCollectionArchive(),
  })
  const bucketFor = (resource: Resource | undefined) => (resource === 'collections' ? collectionBucket : bucket)
  // Whose export each signed object name holds, so its download reaches the right bucket.
  const signedFor = new Map<string, Resource>()
  let base = ''

  const api = (req: IncomingMessage, route: Route, url: URL): JobReply => {
    if (req.headers.authorization !== `Token ${options.token ?? 'test-token'}`) {
      return apiError(401, 'Unauthorized', 'Invalid token.')
    }
    const { target, exportId = '' } = parseApiPath(url.pathname) ?? { target: { resource: 'batches', id: '' } }
    const refused = refuseTarget(target, target.resource === 'batches' ? options.batches : options.collections)
    if (refused) return refused
    if (route === 'request') return jobs.request(target, readFilter(url))
    if (route === 'poll') return jobs.poll(target, exportId)
    // The older API has no list or delete routes, only POST on .../export.
    if (generation === 'v1') return methodNotAllowed(req)
    return route === 'list' ? jobs.list(target) : jobs.remove(target, exportId)
  }

  const render = (res: ServerResponse, reply: JobReply, route: Route | 'unknown'): void => {
    const json = (status: number, body: object) =>
      send(res, status, options.rewrite && route !== 'unknown' ? rewriteJson(options.rewrite, route, body) : body)
    if (reply.kind === 'deleted') return void res.writeHead(204).end()
    if (reply.kind === 'list') {
      const jobs = reply.jobs.map(describeJob) as Array<Record<string, unknown>>
      return send(res, 200, options.rewriteList ? options.rewriteList(jobs) : jobs)
    }
    if (reply.kind === 'error') {
      const { status, title, detail } = reply
      // Prolific's documented error shape; the error_code values are invented but stable.
      return json(status, { error: { status, error_code: status * 100, title, detail } })
    }
    const { job, status } = reply
    if (job.status === 'generating') {
      return json(status, { status: 'generating', export_id: job.exportId })
    }
    if (job.status === 'failed') return json(status, { status: 'failed' })
    // A v1 200 carries no export_id, so v1 URLs are named at random and never reveal one.
    const name = status === 200 && generation === 'v1' ? randomUUID() : job.exportId
    signedFor.set(name, job.resource)
    json(status, {
      status: 'complete',
      ...bucketFor(job.resource).sign(options.downloadOrigin ?? base, name, () => !job.deleted),
    })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base)
    const route = classify(req.method ?? 'GET', url.pathname)
    const object = STORAGE_PATH.exec(url.pathname)?.[1]
    const resource = object === undefined ? parseApiPath(url.pathname)?.target.resource : signedFor.get(object)
    requests.push({
      route,
      resource,
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
    if (route === 'download') return bucketFor(resource).serve(req, res, url)
    if (route !== 'unknown') return render(res, api(req, route, url), route)
    const known = parseApiPath(url.pathname) !== undefined
    render(res, known ? methodNotAllowed(req) : apiError(404, 'Not found', 'No such route.'), route)
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

function rewriteJson(rewrite: NonNullable<FakeProlificOptions['rewrite']>, route: Route, body: object): object {
  return Array.isArray(body) ? body : rewrite(route, { ...(body as Record<string, unknown>) })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  // end() with the whole body lets Node send Content-Length rather than chunked encoding.
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(text)
}
