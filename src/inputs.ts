import { basename, join, resolve } from 'node:path'
import * as core from '@actions/core'
import { InputError } from './errors.ts'
import * as parse from './input-parsers.ts'
import { artifactName, defaultExtractName, isFolderInput, resolveExtractPath, resolveZipPath } from './input-paths.ts'
import { publicUploadRefusal } from './repository-visibility.ts'
import { registerSecret } from './outside-text.ts'
import type { ArtifactRequest } from './artifact.ts'
import type { ExportKind, Settings } from './settings.ts'

/** Input names exactly as in action.yml. Defaults live there, never here. */
export const Inputs = {
  BatchId: 'batch-id',
  CollectionId: 'collection-id',
  PruneExports: 'prune-exports',
  Token: 'token',
  ApiUrl: 'api-url',
  StudyId: 'study-id',
  From: 'from',
  To: 'to',
  Path: 'path',
  Timeout: 'timeout',
  PollInterval: 'poll-interval',
  Extract: 'extract',
  ExtractPath: 'extract-path',
  MinSubmissions: 'min-submissions',
  Strict: 'strict',
  UploadArtifact: 'upload-artifact',
  ArtifactName: 'artifact-name',
  OverwriteArtifact: 'overwrite-artifact',
  RetentionDays: 'retention-days',
  DeleteExport: 'delete-export',
  AllowPublicRepository: 'allow-public-repository',
  Concurrency: 'concurrency',
  PreviousDigest: 'previous-digest',
  EncryptTo: 'encrypt-to',
  MaxUncompressedSize: 'max-uncompressed-size',
  MaxCompressionRatio: 'max-compression-ratio',
} as const

/**
 * The input as the runner passes it, through @actions/core so that @github/local-action's stand-in
 * can fill in action.yml's defaults. Trimming is asked for: the stand-in trims only when told to.
 */
function getInput(name: string): string {
  return core.getInput(name, { trimWhitespace: true })
}

export interface Environment {
  env: NodeJS.ProcessEnv
  cwd: string
  now: Date
}

function input<T>(name: string, parser: parse.InputParser<T>): T {
  const raw = getInput(name)
  const result = parser.safeParse(raw)
  if (result.success) return result.data
  const { expected } = result
  // A URL's user:password is never echoed, whichever input holds it.
  const shown = raw.replace(/(\/\/)[^/@\s]*@/g, '$1***@')
  throw new InputError(`Input '${name}' is ${JSON.stringify(shown)}: expected ${expected}.`)
}

function readToken(env: NodeJS.ProcessEnv): string {
  const token = getInput(Inputs.Token) || env.PROLIFIC_TOKEN?.trim() || ''
  if (token === '') {
    throw new InputError(
      "No Prolific API token: set the 'token' input from a secret " +
        '(`token: ${{ secrets.PROLIFIC_TOKEN }}`) or the PROLIFIC_TOKEN environment variable.',
    )
  }
  core.setSecret(token)
  registerSecret(token)
  // A header cannot carry spaces, line breaks or non-ASCII: refused here rather than by the
  // HTTP client after the step has started, and never echoed.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new InputError(
      'The Prolific API token holds a character an HTTP header cannot carry (a space, a line break, a ' +
        'non-ASCII or control character). Copy the token again from Prolific into the secret, with nothing around it.',
    )
  }
  return token
}

/** Every export of the step, and how many may run at once. */
export interface RunSettings {
  exports: Settings[]
  concurrency: number
}

/** Reads and validates every input. Throws InputError before any request is made. */
export async function getSettings({ env, cwd, now }: Environment): Promise<RunSettings> {
  const token = readToken(env)
  const { kind, ids } = readTargets()
  const several = ids.length > 1
  const from = input(Inputs.From, parse.optionalDateTime)
  const to = input(Inputs.To, parse.optionalDateTime)
  if (from && to && Date.parse(from) > Date.parse(to)) {
    throw new InputError(`Input 'from' (${from}) is later than 'to' (${to}): swap them.`)
  }
  const rawPath = getInput(Inputs.Path)
  const rawArtifactName = getInput(Inputs.ArtifactName).trim()
  if (several) refuseSingleExportInputs(rawPath, rawArtifactName, cwd)
  const extract = input(Inputs.Extract, parse.yamlBoolean)
  const upload = input(Inputs.UploadArtifact, parse.yamlBoolean)
  const shared = {
    kind,
    pruneExports: input(Inputs.PruneExports, parse.yamlBoolean),
    token,
    apiUrl: input(Inputs.ApiUrl, parse.serviceUrl),
    filter: { studyId: input(Inputs.StudyId, parse.optionalIdentifier), from, to },
    timeoutMs: input(Inputs.Timeout, parse.duration),
    pollIntervalMs: input(Inputs.PollInterval, parse.duration),
    minSubmissions: input(Inputs.MinSubmissions, parse.nonNegativeInteger),
    strict: input(Inputs.Strict, parse.yamlBoolean),
    deleteExport: input(Inputs.DeleteExport, parse.yamlBoolean),
    previousDigest: input(Inputs.PreviousDigest, parse.optionalSha256),
    archiveLimits: {
      maxUncompressedBytes: input(Inputs.MaxUncompressedSize, parse.byteSize),
      maxRatio: input(Inputs.MaxCompressionRatio, parse.ratio),
    },
  }
  if (several && shared.previousDigest) {
    throw new InputError("Input 'previous-digest' applies to one export: it cannot be used with several IDs.")
  }
  const artifact = upload ? await artifactSettings(env) : undefined
  const rawExtractPath = getInput(Inputs.ExtractPath)
  const exports = ids.map((targetId): Settings => {
    const zipPath = resolveZipPath(rawPath, targetId, now, cwd)
    const extractPath = !extract
      ? undefined
      : several && rawExtractPath.trim() !== ''
        ? resolveExtractPath(join(resolve(cwd, rawExtractPath), defaultExtractName(zipPath, cwd)), zipPath, cwd)
        : resolveExtractPath(rawExtractPath, zipPath, cwd)
    const name = artifact ? artifactName(rawArtifactName || basename(zipPath)) : ''
    return { ...shared, targetId, zipPath, extractPath, artifact: artifact && { ...artifact, name } }
  })
  return { exports, concurrency: input(Inputs.Concurrency, parse.positiveInteger) }
}

async function artifactSettings(env: NodeJS.ProcessEnv): Promise<Omit<ArtifactRequest, 'name'>> {
  const allowPublic = input(Inputs.AllowPublicRepository, parse.yamlBoolean)
  const rawRecipients = getInput(Inputs.EncryptTo)
  // age's library is large: loaded only when there is something to encrypt to.
  const encryptTo =
    rawRecipients.trim() === '' ? undefined : (await import('./encrypt.ts')).parseRecipients(rawRecipients)
  // Encrypted, the artifact is unreadable without a key, so a public repository is no risk.
  const refusal = publicUploadRefusal(env)
  if (!allowPublic && !encryptTo && refusal) throw new InputError(refusal)
  return {
    retentionDays: input(Inputs.RetentionDays, parse.retentionDays),
    overwrite: input(Inputs.OverwriteArtifact, parse.yamlBoolean),
    encryptTo,
  }
}

/** With several IDs, each export is named after its ID: `path` can only be a folder, and no one artifact name fits all. */
function refuseSingleExportInputs(rawPath: string, rawArtifactName: string, cwd: string): void {
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
function readTargets(): { kind: ExportKind; ids: string[] } {
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
