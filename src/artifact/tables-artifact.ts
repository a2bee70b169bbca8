import { copyFile, link, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { messageOf, UploadError } from '../core/errors.ts'
import type { Log } from '../runner/log.ts'
import { type ArtifactRequest, artifactUrl, sendArtifact, type UploadedArtifact } from './artifact.ts'

/** The tables' artifact is named after the ZIP's (`artifact-name`), with this after it. */
export const TABLES_SUFFIX = '-tables'

/**
 * Uploads the tables folder as a second artifact (see tablesArtifactName), which the library
 * zips as it does any folder. With `encrypt-to`, each table is encrypted with age on its own
 * (`responses.parquet.age`, …), as the ZIP is, so nothing readable leaves the runner and the
 * same identity opens both. Returns undefined outside GitHub Actions (the ZIP's upload says so).
 */
export async function uploadTables(
  tablesPath: string,
  { name: zipArtifact, retentionDays, overwrite, encryptTo }: ArtifactRequest,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<UploadedArtifact | undefined> {
  if (!env.ACTIONS_RUNTIME_TOKEN) return undefined
  const name = tablesArtifactName(zipArtifact)
  const folder = await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'prolific-tables-'))
  try {
    const files: string[] = []
    for (const table of (await readdir(tablesPath)).sort()) {
      const source = join(tablesPath, table)
      const target = join(folder, encryptTo ? `${table}.age` : table)
      if (encryptTo) await (await import('./encrypt.ts')).encryptFile(source, target, encryptTo)
      else await link(source, target).catch(() => copyFile(source, target))
      files.push(target)
    }
    if (encryptTo) log.info(`Encrypted ${files.length} table file(s) with age for ${encryptTo.length} recipient(s).`)
    const response = await sendArtifact(name, files, folder, { skipArchive: false, retentionDays, overwrite }, log)
    const id = String(response.id ?? '')
    return { id, name, url: artifactUrl(id, env), digest: response.digest ?? '', encrypted: encryptTo !== undefined }
  } catch (error) {
    throw new UploadError(
      `Uploading the tables artifact '${name}' failed: ${messageOf(error)}. The tables are kept at ${tablesPath} ` +
        'and the ZIP and its artifact are not affected; re-run the job to try the upload again.',
    )
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}

/** The ZIP's artifact name without `.zip`, plus `-tables`: as the folder is named after the ZIP. */
export function tablesArtifactName(zipArtifact: string): string {
  return `${zipArtifact.replace(/\.zip$/i, '')}${TABLES_SUFFIX}`
}
