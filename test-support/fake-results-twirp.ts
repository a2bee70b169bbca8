// The Twirp half of the fake artifact service: CreateArtifact and FinalizeArtifact of
// github.actions.results.api.v1.ArtifactService, in the protobuf JSON form @actions/artifact
// speaks (proto field names, int64 as strings, Timestamp as RFC 3339, StringValue unwrapped).
import type { FakeBlobStore } from './fake-blob-store.ts'

export const TWIRP_PATH = /^\/twirp\/github\.actions\.results\.api\.v1\.ArtifactService\/(\w+)$/
export type TwirpMethod = 'CreateArtifact' | 'FinalizeArtifact'

export interface BackendIds {
  workflowRunBackendId: string
  workflowJobRunBackendId: string
}

/** A CreateArtifact that succeeded, with the fields as the library sent them. */
export interface CreatedArtifact extends BackendIds {
  id: string
  name: string
  version: number | undefined
  mimeType: string | undefined
  /** RFC 3339; undefined when no retention was asked for. */
  expiresAt: string | undefined
  signedUploadUrl: string
}

export interface FinalizedArtifact {
  id: string
  name: string
  size: number
  /** e.g. `sha256:<hex>`. */
  hash: string | undefined
}

export interface TwirpState {
  ids: BackendIds
  store: FakeBlobStore
  /** Base URL of the server, for the signed upload URLs. */
  base: () => string
  created: CreatedArtifact[]
  finalized: FinalizedArtifact[]
}

export type TwirpReply = [status: number, body: object]

/** Twirp error codes with their HTTP statuses. */
const error = (status: number, code: string, msg: string): TwirpReply => [status, { code, msg }]

export function twirpMethod(method: string | undefined, path: string): TwirpMethod | undefined {
  const name = TWIRP_PATH.exec(path)?.[1]
  return method === 'POST' && (name === 'CreateArtifact' || name === 'FinalizeArtifact') ? name : undefined
}

export function createTwirpHandler({ ids, store, base, created, finalized }: TwirpState) {
  let nextId = 4_100_000_001
  return (method: TwirpMethod, body: Record<string, unknown>): TwirpReply => {
    const field = (key: string): string | undefined => (typeof body[key] === 'string' ? body[key] : undefined)
    const name = field('name') ?? ''
    const runId = field('workflow_run_backend_id')
    if (runId !== ids.workflowRunBackendId || field('workflow_job_run_backend_id') !== ids.workflowJobRunBackendId) {
      return error(403, 'permission_denied', 'the backend ids do not match the runtime token')
    }
    const artifact = created.find((a) => a.name === name)
    if (method === 'CreateArtifact') {
      if (name === '') return error(400, 'invalid_argument', 'name is required')
      if (artifact) return error(409, 'already_exists', `an artifact named ${name} already exists on this run`)
      const id = String(nextId++)
      const signedUploadUrl = store.sign(base(), 'actions-results', id)
      const version = typeof body.version === 'number' ? body.version : undefined
      const [mimeType, expiresAt] = [field('mime_type'), field('expires_at')]
      created.push({ id, name, version, mimeType, expiresAt, signedUploadUrl, ...ids })
      return [200, { ok: true, signed_upload_url: signedUploadUrl }]
    }
    if (!artifact) return error(404, 'not_found', `no artifact named ${name} was created`)
    const blob = store.committed(artifact.id)
    if (!blob) return error(412, 'failed_precondition', 'the artifact has no committed blob')
    const size = Number(field('size') ?? 0)
    if (blob.bytes.length !== size) return error(400, 'invalid_argument', `size ${size} != ${blob.bytes.length}`)
    finalized.push({ id: artifact.id, name, size, hash: field('hash') })
    return [200, { ok: true, artifact_id: artifact.id }]
  }
}
