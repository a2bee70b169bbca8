// A real HTTP server that plays the Actions results service (the Twirp JSON API behind
// @actions/artifact) and, by default, the Azure blob storage its signed upload URLs point back
// at, so the action's artifact upload runs end to end over loopback with no network. The Twirp
// rules live in fake-results-twirp.ts and storage in fake-blob-store.ts; given a `storage`
// option (Azurite, see azurite.ts) the signed URLs point there instead, and the library's
// download (GetSignedArtifactURL) works too: the fake blob store takes uploads only. This file
// routes, checks the runtime token, records every request and plays scripted failures.
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  blobErrorBody,
  blobRoute,
  type BlobRoute,
  type CommittedBlob,
  createFakeBlobStore,
  type FakeBlobStore,
} from './fake-blob-store.ts'
import {
  type ArtifactStorage,
  type BackendIds,
  type CreatedArtifact,
  createTwirpHandler,
  type DeletedArtifact,
  type FinalizedArtifact,
  type SignedArtifactUrl,
  type TwirpMethod,
  type TwirpReply,
  twirpMethod,
} from './fake-results-twirp.ts'

export type { CommittedBlob } from './fake-blob-store.ts'
export type { ArtifactStorage, CreatedArtifact, DeletedArtifact, FinalizedArtifact } from './fake-results-twirp.ts'
export type ArtifactRoute = TwirpMethod | BlobRoute

export interface ScriptedReply {
  status: number
  /** Objects are sent as JSON; strings as-is. */
  body?: string | object
  headers?: Record<string, string>
  /** Reset the connection instead of answering. */
  destroy?: boolean
}

export interface RecordedArtifactRequest {
  route: ArtifactRoute | 'unknown'
  method: string
  path: string
  query: Record<string, string>
  authorization: string | undefined
  /** Length of the request body. */
  bytes: number
}

export interface FakeArtifactService {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:PORT. */
  url: string
  /** An unsigned JWT whose `scp` holds Actions.Results:<run backend id>:<job backend id>. */
  token: string
  workflowRunBackendId: string
  workflowJobRunBackendId: string
  requests: RecordedArtifactRequest[]
  /** Every CreateArtifact that succeeded, in order. */
  created: CreatedArtifact[]
  /** Every FinalizeArtifact that succeeded, in order. */
  finalized: FinalizedArtifact[]
  /** Every DeleteArtifact that succeeded, in order. */
  deleted: DeletedArtifact[]
  /** Every GetSignedArtifactURL that succeeded, in order (downloads need a `storage` that signs them). */
  signed: SignedArtifactUrl[]
  /**
   * The committed blob of the latest artifact with this name, once a Put Block List succeeded.
   * Always undefined with a `storage` option: read the blob from that storage.
   */
  blob(name: string): CommittedBlob | undefined
  /**
   * A runtime token for another job of the same workflow run (say a re-run attempt): artifacts
   * are shared across the run, so its names clash with this job's.
   */
  newJob(): { token: string; workflowJobRunBackendId: string }
  /** One-shot replies for a route, used in order before normal handling. */
  script(route: ArtifactRoute, ...replies: ScriptedReply[]): void
  /** Answer every request to `route` with `reply` (after any one-shot replies); no reply clears it. */
  fail(route: ArtifactRoute, reply?: ScriptedReply): void
  close(): Promise<void>
}

/** A Twirp error reply, e.g. twirpError(409, 'already_exists', '...'). */
export function twirpError(status: number, code: string, msg: string): ScriptedReply {
  return { status, body: { code, msg } }
}

/** An Azure Storage error reply: XML body and x-ms-error-code, e.g. blobError(403, 'AuthorizationFailure', '...'). */
export function blobError(status: number, code: string, message: string): ScriptedReply {
  const headers = { 'Content-Type': 'application/xml', 'x-ms-error-code': code, 'x-ms-request-id': randomUUID() }
  return { status, body: blobErrorBody(code, message), headers }
}

/** The event payload the runner writes for every run: here, of a private repository. */
function privateEventPayload(): string {
  const path = join(tmpdir(), `prolific-event-private-${process.pid}.json`)
  writeFileSync(path, JSON.stringify({ repository: { full_name: 'octo-org/prolific-exports', private: true } }))
  return path
}

/** What the runner gives a step for @actions/artifact, pointed at the fake. */
export function artifactEnv(service: Pick<FakeArtifactService, 'url' | 'token'>): Record<string, string> {
  return {
    GITHUB_EVENT_PATH: privateEventPayload(),
    ACTIONS_RUNTIME_TOKEN: service.token,
    ACTIONS_RESULTS_URL: `${service.url}/`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo-org/prolific-exports',
    GITHUB_RUN_ID: '16180339887',
  }
}

export interface FakeArtifactServiceOptions {
  /** Where blobs go; default: the in-process fake blob store, served by this same server. */
  storage?: ArtifactStorage
}

export async function startFakeArtifactService(options: FakeArtifactServiceOptions = {}): Promise<FakeArtifactService> {
  const workflowRunBackendId = randomUUID()
  /** Runtime token -> the backend ids it stands for. */
  const jobs = new Map<string, BackendIds>()
  const newJob = (): { token: string; workflowJobRunBackendId: string } => {
    const workflowJobRunBackendId = randomUUID()
    const token = unsignedJwt({
      scp: `Actions.GenericRead:${randomUUID()} Actions.Results:${workflowRunBackendId}:${workflowJobRunBackendId}`,
      iss: 'fake-artifact-service',
    })
    jobs.set(token, { workflowRunBackendId, workflowJobRunBackendId })
    return { token, workflowJobRunBackendId }
  }
  const { token, workflowJobRunBackendId } = newJob()
  const requests: RecordedArtifactRequest[] = []
  const created: CreatedArtifact[] = []
  const finalized: FinalizedArtifact[] = []
  const deleted: DeletedArtifact[] = []
  const signed: SignedArtifactUrl[] = []
  const scripts = new Map<ArtifactRoute, ScriptedReply[]>()
  const failures = new Map<ArtifactRoute, ScriptedReply>()
  let base = ''
  /** The in-process blob store, served by this server; undefined with a `storage` option. */
  let store: FakeBlobStore | undefined
  const storage = options.storage ?? fakeBlobStorage((store = createFakeBlobStore()), () => base)
  const twirp = createTwirpHandler({ storage, created, finalized, deleted, signed })

  const answerTwirp = async (method: TwirpMethod, authorization: string, body: Buffer): Promise<TwirpReply> => {
    const caller = jobs.get(authorization.replace(/^Bearer /, ''))
    if (!caller) return [401, { code: 'unauthenticated', msg: 'invalid runtime token' }]
    let request: Record<string, unknown>
    try {
      request = JSON.parse(body.toString('utf8')) as Record<string, unknown>
    } catch {
      return [400, { code: 'malformed', msg: 'the request body is not JSON' }]
    }
    return twirp(method, caller, request).catch((error: unknown) => [
      500,
      { code: 'internal', msg: error instanceof Error ? error.message : String(error) },
    ])
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const url = new URL(req.url ?? '/', base)
      const method = req.method ?? 'GET'
      const twirpRoute = twirpMethod(method, url.pathname)
      const route = twirpRoute ?? (store && blobRoute(method, url)) ?? 'unknown'
      const { authorization } = req.headers
      const query = Object.fromEntries(url.searchParams)
      requests.push({ route, method, path: url.pathname, query, authorization, bytes: body.length })
      const scripted = route === 'unknown' ? undefined : (scripts.get(route)?.shift() ?? failures.get(route))
      if (scripted) return sendScripted(res, scripted)
      if (twirpRoute) {
        return void answerTwirp(twirpRoute, authorization ?? '', body).then((reply) => sendJson(res, reply))
      }
      if (store && route !== 'unknown') return store.serve(req, res, url, body)
      sendJson(res, [404, { code: 'bad_route', msg: `no route for ${method} ${url.pathname}` }])
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: base,
    token,
    workflowRunBackendId,
    workflowJobRunBackendId,
    requests,
    created,
    finalized,
    deleted,
    signed,
    blob: (name) => {
      const artifact = created.findLast((a) => a.name === name)
      return artifact && store?.committed(artifact.id)
    },
    newJob,
    script: (route, ...replies) => void scripts.set(route, [...(scripts.get(route) ?? []), ...replies]),
    fail: (route, reply) => void (reply ? failures.set(route, reply) : failures.delete(route)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

/** ArtifactStorage over the fake blob store: blobs in container actions-results of this server. */
function fakeBlobStorage(store: FakeBlobStore, base: () => string): ArtifactStorage {
  return {
    signUpload: async (blob) => store.sign(base(), 'actions-results', blob),
    size: async (blob) => store.committed(blob)?.bytes.length,
    remove: async (blob) => store.remove(blob),
  }
}

/** header.payload.signature, base64url; the library only decodes the payload. */
function unsignedJwt(payload: object): string {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${encode({ typ: 'JWT', alg: 'none' })}.${encode(payload)}.${Buffer.from('unsigned').toString('base64url')}`
}

function sendJson(res: ServerResponse, [status, body]: TwirpReply): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
}

function sendScripted(res: ServerResponse, scripted: ScriptedReply): void {
  if (scripted.destroy === true) return void res.socket?.resetAndDestroy()
  const isText = typeof scripted.body === 'string' || scripted.body === undefined
  const headers = { ...(isText ? {} : { 'Content-Type': 'application/json' }), ...scripted.headers }
  res.writeHead(scripted.status, headers).end(isText ? scripted.body : JSON.stringify(scripted.body))
}
