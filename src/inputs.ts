import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, join, resolve, sep } from 'node:path'
import type { z } from 'zod'
import { InputError } from './errors.ts'
import * as parse from './input-parsers.ts'
import { getInput, setSecret } from './workflow-commands.ts'
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
} as const

export interface Environment {
  env: NodeJS.ProcessEnv
  cwd: string
  now: Date
}

function input<T>(name: string, schema: z.ZodType<T, string>): T {
  const raw = getInput(name)
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const expected = result.error.issues[0]?.message ?? 'a valid value'
  throw new InputError(`Input '${name}' is ${JSON.stringify(raw)}: expected ${expected}.`)
}

function readToken(env: NodeJS.ProcessEnv): string {
  const token = getInput(Inputs.Token) || env.PROLIFIC_TOKEN?.trim() || ''
  if (token === '') {
    throw new InputError(
      "No Prolific API token: set the 'token' input from a secret " +
        '(`token: ${{ secrets.PROLIFIC_TOKEN }}`) or the PROLIFIC_TOKEN environment variable.',
    )
  }
  setSecret(token)
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
        ? join(resolve(cwd, rawExtractPath), basename(resolveExtractPath('', zipPath, cwd)))
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
  if (!allowPublic && !encryptTo && isPublicRepository(env)) {
    throw new InputError(
      'This repository is public, so anyone can download its workflow artifacts, and an export holds ' +
        "participant data. Set 'encrypt-to' to upload it encrypted, 'upload-artifact: false' to store " +
        "the ZIP elsewhere, or 'allow-public-repository: true' if sharing it is intended.",
    )
  }
  return {
    retentionDays: input(Inputs.RetentionDays, parse.retentionDays),
    overwrite: input(Inputs.OverwriteArtifact, parse.yamlBoolean),
    encryptTo,
  }
}

/** With several IDs, each export is named after its ID: `path` can only be a folder, and no one artifact name fits all. */
function refuseSingleExportInputs(rawPath: string, rawArtifactName: string, cwd: string): void {
  const target = resolve(cwd, rawPath)
  const folder = rawPath.trim() === '' || rawPath.endsWith('/') || rawPath.endsWith(sep) || isDirectory(target)
  if (!folder) {
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
  const ids = [...new Set((batch || collection).split(/[\s,]+/).filter(Boolean))]
  for (const id of ids) {
    if (!parse.identifier.safeParse(id).success) {
      throw new InputError(
        `Input '${name}' holds ${JSON.stringify(id)}: expected IDs of letters, digits, - and _, one per line or comma-separated.`,
      )
    }
  }
  return { kind, ids }
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}

function timestamp(now: Date): string {
  const iso = now.toISOString() // 2026-11-22T17:33:17.000Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`
}

function resolveZipPath(raw: string, targetId: string, now: Date, cwd: string): string {
  const name = `${targetId}-export-${timestamp(now)}.zip`
  if (raw.trim() === '') return join(cwd, name)
  const target = resolve(cwd, raw)
  const isFolder = raw.endsWith('/') || raw.endsWith(sep) || (existsSync(target) && statSync(target).isDirectory())
  return isFolder ? join(target, name) : target
}

function resolveExtractPath(raw: string, zipPath: string, cwd: string): string {
  if (raw.trim() !== '') return resolve(cwd, raw)
  return zipPath.toLowerCase().endsWith('.zip') ? zipPath.slice(0, -4) : `${zipPath}-extracted`
}

// The artifact service's own rules; checked here so a bad name fails before any request.
const FORBIDDEN_IN_ARTIFACT_NAME = /["':<>|*?\r\n\\/]/

function artifactName(name: string): string {
  if (FORBIDDEN_IN_ARTIFACT_NAME.test(name)) {
    throw new InputError(
      `Input 'artifact-name' is ${JSON.stringify(name)}: expected a name without " : < > | * ? \\ / or line breaks.`,
    )
  }
  return name
}

/** Reads visibility from the event payload the runner writes for every workflow run. */
function isPublicRepository(env: NodeJS.ProcessEnv): boolean {
  const eventPath = env.GITHUB_EVENT_PATH
  if (!eventPath || !existsSync(eventPath)) return false
  try {
    const payload = JSON.parse(readFileSync(eventPath, 'utf8')) as {
      repository?: { private?: boolean; visibility?: string }
    }
    return payload.repository?.private === false || payload.repository?.visibility === 'public'
  } catch {
    return false
  }
}
