// The Twirp half of the fake artifact service: CreateArtifact, FinalizeArtifact, ListArtifacts,
// GetSignedArtifactURL and DeleteArtifact of github.actions.results.api.v1.ArtifactService, in
// the protobuf JSON form @actions/artifact speaks (proto field names, int64 as strings,
// Timestamp as RFC 3339, StringValue unwrapped). Where the blobs live is up to an
// ArtifactStorage: the in-process fake blob store, or real Azure Storage (Azurite, see azurite.ts).

export const TWIRP_PATH = /^\/twirp\/github\.actions\.results\.api\.v1\.ArtifactService\/(\w+)$/
const METHODS = [
  'CreateArtifact',
  'FinalizeArtifact',
  'ListArtifacts',
  'GetSignedArtifactURL',
  'DeleteArtifact',
] as const
export type TwirpMethod = (typeof METHODS)[number]

export interface BackendIds {
  workflowRunBackendId: string
  workflowJobRunBackendId: string
}

/** Where artifact blobs are stored; `blob` is the artifact's id. */
export interface ArtifactStorage {
  /** A signed URL the library uploads the blob to (CreateArtifact's signed_upload_url). */
  signUpload(blob: string): Promise<string>
  /** Size in bytes of the committed blob, or undefined when none was committed. */
  size(blob: string): Promise<number | undefined>
  /** Drops the blob of a deleted artifact (no error when there is none). */
  remove(blob: string): Promise<void>
  /**
   * A signed URL that reads the blob, served with `Content-Disposition` naming `fileName`
   * (GetSignedArtifactURL's signed_url). Without it, GetSignedArtifactURL answers unimplemented.
   */
  signDownload?(blob: string, fileName: string): Promise<string>
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

/** A DeleteArtifact that succeeded. */
export interface DeletedArtifact extends BackendIds {
  id: string
  name: string
}

/** A GetSignedArtifactURL that succeeded: the caller's job, and the URL it got. */
export interface SignedArtifactUrl extends BackendIds {
  id: string
  name: string
  signedUrl: string
}

export interface TwirpState {
  storage: ArtifactStorage
  created: CreatedArtifact[]
  finalized: FinalizedArtifact[]
  deleted: DeletedArtifact[]
  signed: SignedArtifactUrl[]
}

export type TwirpReply = [status: number, body: object]

/** Twirp error codes with their HTTP statuses. */
const error = (status: number, code: string, msg: string): TwirpReply => [status, { code, msg }]

export function twirpMethod(method: string | undefined, path: string): TwirpMethod | undefined {
  const name = TWIRP_PATH.exec(path)?.[1]
  return method === 'POST' ? METHODS.find((known) => known === name) : undefined
}

/**
 * The service's rules. Artifact names are unique per workflow run (across its jobs and job
 * attempts) until deleted; ListArtifacts shows the run's finalized artifacts; DeleteArtifact
 * and GetSignedArtifactURL name an artifact by the run, job and name that ListArtifacts gave,
 * so any job of the run may download what another uploaded.
 */
export function createTwirpHandler({ storage, created, finalized, deleted, signed }: TwirpState) {
  let nextId = 4_100_000_001
  /** Artifacts not deleted, with their FinalizeArtifact once it succeeded. */
  const live: { artifact: CreatedArtifact; createdAt: Date; done?: FinalizedArtifact }[] = []

  return async (method: TwirpMethod, caller: BackendIds, body: Record<string, unknown>): Promise<TwirpReply> => {
    const field = (key: string): string | undefined => (typeof body[key] === 'string' ? body[key] : undefined)
    const name = field('name') ?? ''
    const runId = field('workflow_run_backend_id')
    const jobId = field('workflow_job_run_backend_id')
    if (runId !== caller.workflowRunBackendId) {
      return error(403, 'permission_denied', 'the workflow run backend id does not match the runtime token')
    }
    const inRun = live.filter((entry) => entry.artifact.workflowRunBackendId === runId)

    if (method === 'ListArtifacts') {
      const nameFilter = field('name_filter')
      const idFilter = field('id_filter')
      const artifacts = inRun
        .filter(({ artifact, done }) => done && (nameFilter ?? artifact.name) === artifact.name)
        .filter(({ artifact }) => (idFilter ?? artifact.id) === artifact.id)
        .map(({ artifact, createdAt, done }) => ({
          workflow_run_backend_id: artifact.workflowRunBackendId,
          workflow_job_run_backend_id: artifact.workflowJobRunBackendId,
          database_id: artifact.id,
          name: artifact.name,
          size: String(done?.size ?? 0),
          created_at: createdAt.toISOString(),
          ...(done?.hash === undefined ? {} : { digest: done.hash }),
        }))
      return [200, { artifacts }]
    }

    if (method === 'DeleteArtifact') {
      const index = live.findIndex(
        ({ artifact: a }) => a.workflowRunBackendId === runId && a.workflowJobRunBackendId === jobId && a.name === name,
      )
      const entry = live[index]
      if (!entry) return error(404, 'not_found', `no artifact named ${name} in this job of the run`)
      live.splice(index, 1)
      await storage.remove(entry.artifact.id)
      const { id, workflowRunBackendId, workflowJobRunBackendId } = entry.artifact
      deleted.push({ id, name, workflowRunBackendId, workflowJobRunBackendId })
      return [200, { ok: true, artifact_id: id }]
    }

    if (method === 'GetSignedArtifactURL') {
      const entry = inRun.find(
        ({ artifact: a, done }) => done && a.workflowJobRunBackendId === jobId && a.name === name,
      )
      if (!entry) return error(404, 'not_found', `no finalized artifact named ${name} in that job of the run`)
      if (!storage.signDownload) return error(501, 'unimplemented', 'this storage serves no downloads')
      // As the real service does: the file is named after the artifact (skipDecompress keeps that name).
      const signedUrl = await storage.signDownload(entry.artifact.id, name)
      signed.push({ id: entry.artifact.id, name, signedUrl, ...caller })
      return [200, { signed_url: signedUrl }]
    }

    if (jobId !== caller.workflowJobRunBackendId) {
      return error(403, 'permission_denied', 'the workflow job run backend id does not match the runtime token')
    }
    const existing = inRun.find((entry) => entry.artifact.name === name)
    if (method === 'CreateArtifact') {
      if (name === '') return error(400, 'invalid_argument', 'name is required')
      if (existing) return error(409, 'already_exists', `an artifact named ${name} already exists on this run`)
      const id = String(nextId++)
      const signedUploadUrl = await storage.signUpload(id)
      const version = typeof body.version === 'number' ? body.version : undefined
      const [mimeType, expiresAt] = [field('mime_type'), field('expires_at')]
      const artifact = { id, name, version, mimeType, expiresAt, signedUploadUrl, ...caller }
      created.push(artifact)
      live.push({ artifact, createdAt: new Date() })
      return [200, { ok: true, signed_upload_url: signedUploadUrl }]
    }
    // FinalizeArtifact
    if (!existing || existing.artifact.workflowJobRunBackendId !== jobId) {
      return error(404, 'not_found', `no artifact named ${name} was created`)
    }
    const committed = await storage.size(existing.artifact.id)
    if (committed === undefined) return error(412, 'failed_precondition', 'the artifact has no committed blob')
    const size = Number(field('size') ?? 0)
    if (committed !== size) return error(400, 'invalid_argument', `size ${size} != ${committed}`)
    existing.done = { id: existing.artifact.id, name, size, hash: field('hash') }
    finalized.push(existing.done)
    return [200, { ok: true, artifact_id: existing.artifact.id }]
  }
}
