import { copyFile, link, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UploadError, messageOf } from '../core/errors.ts'
import type { Log } from '../runner/log.ts'

export interface UploadedArtifact {
  id: string
  /** As uploaded: `<artifact-name>.age` when encrypted. */
  name: string
  encrypted: boolean
  url: string
  /** Hex SHA-256 of the uploaded bytes, as the artifact service computed it. */
  digest: string
}

export interface ArtifactRequest {
  name: string
  retentionDays: number | undefined
  /** Replace an artifact of the same name in this run (a re-run, say) instead of failing. */
  overwrite: boolean
  /** age recipients: upload `<name>.age`, the ZIP encrypted to them, instead of the ZIP. */
  encryptTo?: string[] | undefined
}

/**
 * Uploads the ZIP itself as the artifact (skipArchive: no second zipping, so downloading the
 * artifact gives back the export byte for byte). Returns undefined outside GitHub Actions.
 */
export async function uploadZip(
  zipPath: string,
  { name: zipName, retentionDays, overwrite, encryptTo }: ArtifactRequest,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<UploadedArtifact | undefined> {
  if (!env.ACTIONS_RUNTIME_TOKEN) {
    log.warning('Not running inside GitHub Actions (no ACTIONS_RUNTIME_TOKEN): the artifact upload was skipped.')
    return undefined
  }
  const name = encryptTo ? `${zipName}.age` : zipName
  // With skipArchive the artifact is named after the file, so the ZIP is shown to the
  // library under the artifact's name: a hard link (no copy) in a private folder, or the
  // encrypted copy, so that the plain ZIP never leaves the runner.
  const folder = await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'prolific-artifact-'))
  const file = join(folder, name)
  try {
    if (encryptTo) {
      const { encryptFile } = await import('./encrypt.ts')
      const encrypted = await encryptFile(zipPath, file, encryptTo)
      log.info(`Encrypted the ZIP with age for ${encryptTo.length} recipient(s): ${encrypted.bytes} bytes.`)
    } else {
      await link(zipPath, file).catch(() => copyFile(zipPath, file))
    }
    const response = await sendArtifact(name, [file], folder, { skipArchive: true, retentionDays, overwrite }, log)
    const id = String(response.id ?? '')
    return { id, name, url: artifactUrl(id, env), digest: response.digest ?? '', encrypted: encryptTo !== undefined }
  } catch (error) {
    const message = messageOf(error)
    const conflict = /\(409\)|already[ _]exists/i.test(message)
    throw new UploadError(
      `Uploading the artifact '${name}' failed: ${message}. The validated ZIP is kept at ${zipPath} ` +
        'and the outputs for it are set; ' +
        (conflict
          ? "an artifact of that name already exists in this run: set a different 'artifact-name', or " +
            "'overwrite-artifact: true' to replace it."
          : 're-run the job to try the upload again.'),
    )
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}

export interface SendOptions {
  /** True: the one file is the artifact; false: the files are zipped into it by the library. */
  skipArchive: boolean
  retentionDays: number | undefined
  overwrite: boolean
}

/** Uploads `files` (inside `folder`) as the artifact `name`, first deleting one of that name with `overwrite`. */
export async function sendArtifact(
  name: string,
  files: string[],
  folder: string,
  { skipArchive, retentionDays, overwrite }: SendOptions,
  log: Log,
): Promise<{ id?: number | undefined; digest?: string | undefined }> {
  // Loaded only when needed: the artifact client is most of the bundle's start-up time.
  const { ArtifactNotFoundError, DefaultArtifactClient } = await import('@actions/artifact')
  const client = new DefaultArtifactClient()
  if (overwrite) {
    await client.deleteArtifact(name).then(
      () => log.info(`Deleted the earlier artifact '${name}' of this run (overwrite-artifact is true).`),
      (error: unknown) => {
        if (!(error instanceof ArtifactNotFoundError)) throw error
      },
    )
  }
  return client.uploadArtifact(name, files, folder, {
    skipArchive,
    ...(retentionDays === undefined ? {} : { retentionDays }),
  })
}

export function artifactUrl(id: string, env: NodeJS.ProcessEnv): string {
  const server = env.GITHUB_SERVER_URL || 'https://github.com'
  if (!id || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return ''
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/artifacts/${id}`
}
