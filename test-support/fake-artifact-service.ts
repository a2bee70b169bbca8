// A real HTTP server that plays the Actions results service (the Twirp JSON API behind
// @actions/artifact) and the Azure blob storage its signed upload URLs point back at, so the
// action's artifact upload runs end to end over loopback: no network, no Azurite. The Twirp
// rules live in fake-results-twirp.ts and storage in fake-blob-store.ts; this file routes,
// checks the runtime token, records every request and plays scripted failures.
import { randomUUID } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { blobErrorBody, blobRoute, type BlobRoute, type CommittedBlob, createFakeBlobStore } from './fake-blob-store.ts'
import {
  type CreatedArtifact,
  createTwirpHandler,
  type FinalizedArtifact,
  type TwirpMethod,
  type TwirpReply,
  twirpMethod,
} from './fake-results-twirp.ts'

export type { CommittedBlob } from './fake-blob-store.ts'
export type { CreatedArtifact, FinalizedArtifact } from './fake-results-twirp.ts'
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
  /** The committed blob of the artifact with this name, once a Put Block List succeeded. */
  blob(name: string): CommittedBlob | undefined
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

/** What the runner gives a step for @actions/artifact, pointed at the fake. */
export function artifactEnv(service: Pick<FakeArtifactService, 'url' | 'token'>): Record<string, string> {
  return {
    ACTIONS_RUNTIME_TOKEN: service.token,
    ACTIONS_RESULTS_URL: `${service.url}/`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo-org/prolific-exports',
    GITHUB_RUN_ID: '16180339887',
  }
}

export async function startFakeArtifactService(): Promise<FakeArtifactService> {
  const ids = { workflowRunBackendId: randomUUID(), workflowJobRunBackendId: randomUUID() }
  const token = unsignedJwt({
    scp: `Actions.GenericRead:${randomUUID()} Actions.Results:${ids.workflowRunBackendId}:${ids.workflowJobRunBackendId}`,
    iss: 'fake-artifact-service',
  })
  const requests: RecordedArtifactRequest[] = []
  const created: CreatedArtifact[] = []
  const finalized: FinalizedArtifact[] = []
  const scripts = new Map<ArtifactRoute, ScriptedReply[]>()
  const failures = new Map<ArtifactRoute, ScriptedReply>()
  const store = createFakeBlobStore()
  let base = ''
  const twirp = createTwirpHandler({ ids, store, base: () => base, created, finalized })

  const answerTwirp = (method: TwirpMethod, authorization: string | undefined, body: Buffer): TwirpReply => {
    if (authorization !== `Bearer ${token}`) return [401, { code: 'unauthenticated', msg: 'invalid runtime token' }]
    try {
      return twirp(method, JSON.parse(body.toString('utf8')) as Record<string, unknown>)
    } catch {
      return [400, { code: 'malformed', msg: 'the request body is not JSON' }]
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const url = new URL(req.url ?? '/', base)
      const method = req.method ?? 'GET'
      const twirpRoute = twirpMethod(method, url.pathname)
      const route = twirpRoute ?? blobRoute(method, url) ?? 'unknown'
      const { authorization } = req.headers
      const query = Object.fromEntries(url.searchParams)
      requests.push({ route, method, path: url.pathname, query, authorization, bytes: body.length })
      const scripted = route === 'unknown' ? undefined : (scripts.get(route)?.shift() ?? failures.get(route))
      if (scripted) return sendScripted(res, scripted)
      if (twirpRoute) return sendJson(res, answerTwirp(twirpRoute, authorization, body))
      if (route !== 'unknown') return store.serve(req, res, url, body)
      sendJson(res, [404, { code: 'bad_route', msg: `no route for ${method} ${url.pathname}` }])
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: base,
    token,
    ...ids,
    requests,
    created,
    finalized,
    blob: (name) => {
      const artifact = created.find((a) => a.name === name)
      return artifact && store.committed(artifact.id)
    },
    script: (route, ...replies) => void scripts.set(route, [...(scripts.get(route) ?? []), ...replies]),
    fail: (route, reply) => void (reply ? failures.set(route, reply) : failures.delete(route)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
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
