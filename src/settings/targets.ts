import { resolve } from 'node:path'
import { InputError } from '../core/errors.ts'
import * as parse from './input-parsers.ts'
import { isFolderInput } from './input-paths.ts'
import { getInput, Inputs } from './read-input.ts'
import type { ExportKind } from './settings.ts'

/** With several IDs, each export is named after its ID: `path` can only be a folder, and no one artifact name fits all. */
export function refuseSingleExportInputs(rawPath: string, rawArtifactName: string, cwd: string): void {
  if (!isFolderInput(rawPath, resolve(cwd, rawPath))) {
    throw new InputError(
      `Input 'path' is ${JSON.stringify(rawPath)}, a file, but several IDs are exported: give a folder (ending in /), ` +
        'where each ZIP gets its default name.',
    )
  }
  if (rawArtifactName !== '') {
    throw new InputError(
      "Input 'artifact-name' is set, but several IDs are exported: leave it empty, so that each artifact is named after its ZIP.",
    )
  }
}

/** Exactly one of batch-id and collection-id, each holding one ID or several (one per line or comma-separated). */
export function readTargets(): { kind: ExportKind; ids: string[] } {
  const batch = getInput(Inputs.BatchId)
  const collection = getInput(Inputs.CollectionId)
  if ((batch === '') === (collection === '')) {
    throw new InputError(
      batch === ''
        ? "No export target: set 'batch-id' to an AI Task Builder batch ID, or 'collection-id' to a collection ID."
        : "Both 'batch-id' and 'collection-id' are set: set exactly one of them.",
    )
  }
  const [kind, name] =
    batch !== '' ? (['batch', Inputs.BatchId] as const) : (['collection', Inputs.CollectionId] as const)
  // IDs are separated by commas or line breaks; a space inside one is a mistake, not a separator.
  const ids = [
    ...new Set(
      (batch || collection)
        .split(/[,\n]/)
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ]
  for (const id of ids) {
    if (!parse.identifier.safeParse(id).success) {
      throw new InputError(
        `Input '${name}' holds ${JSON.stringify(id.length > 120 ? `${id.slice(0, 120)}…` : id)}: expected IDs of at most ` +
          `${parse.MAX_ID_LENGTH} letters, digits, - and _, one per line or comma-separated` +
          (/\s/.test(id) ? ' (a space does not separate IDs: use a comma or a new line).' : '.'),
      )
    }
  }
  return { kind, ids }
}
