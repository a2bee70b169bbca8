import type { UploadedArtifact } from '../artifact/artifact.ts'
import type { Deadline } from '../core/deadline.ts'
import { ActionError, UploadError } from '../core/errors.ts'
import type { Log } from '../runner/log.ts'
import type { Phases } from './phases.ts'
import type { ArchiveSettings, PlacedArchive } from './place-archive.ts'

/** The tables of one export: where they are, and what stopped them. */
export interface TablesStep {
  path: string | undefined
  problem?: ActionError
}

/**
 * `tables`: made from the ZIP once it is in place. A failure leaves no tables and becomes one
 * of the export's problems: the ZIP is valid and kept, uploaded and reported as usual.
 */
export async function makeTables(
  placed: PlacedArchive,
  settings: ArchiveSettings,
  { phases, deadline, log }: { phases: Phases; deadline: Deadline; log: Log },
): Promise<TablesStep> {
  const request = settings.tables
  if (!request) return { path: undefined }
  try {
    // Loaded only when asked for: the format libraries are not needed otherwise.
    const { buildTables } = await import('../tables/build-tables.ts')
    const { zipPath, kind } = placed
    const made = await phases.run('Make the tables', async () => {
      const tables = await buildTables({ zipPath, kind, request, strict: settings.strict, deadline })
      for (const warning of tables.warnings) log.warning(warning)
      const { responses, instructions, files } = tables.rows
      log.info(
        `Made the tables (${request.formats.join(', ')}) in ${tables.path}: ${responses} response(s), ` +
          `${instructions} instruction(s), ${files} file(s).`,
      )
      return tables
    })
    return { path: made.path }
  } catch (error) {
    if (!(error instanceof ActionError)) throw error
    return { path: undefined, problem: error }
  }
}

/** The second artifact, named as the ZIP's with `-tables` in place of `.zip`: uploaded only where the ZIP was. */
export async function uploadTablesArtifact(
  tablesPath: string | undefined,
  settings: ArchiveSettings,
  { phases, env, log }: { phases: Phases; env: NodeJS.ProcessEnv; log: Log },
): Promise<{ artifact?: UploadedArtifact; problem?: UploadError }> {
  const request = settings.artifact
  if (!tablesPath || !request) return {}
  try {
    const artifact = await phases.run('Upload the tables', async () => {
      const { uploadTables } = await import('../artifact/tables-artifact.ts')
      const uploaded = await uploadTables(tablesPath, request, env, log)
      if (uploaded) log.info(`Uploaded artifact '${uploaded.name}' (id ${uploaded.id}).`)
      return uploaded
    })
    return artifact ? { artifact } : {}
  } catch (error) {
    if (!(error instanceof UploadError)) throw error
    return { problem: error }
  }
}
