import * as core from '@actions/core'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, join, resolve, sep } from 'node:path'
import type { z } from 'zod'
import { InputError } from './errors.ts'
import * as parse from './input-parsers.ts'
import type { Settings } from './settings.ts'

/** Input names exactly as in action.yml. Defaults live there, never here. */
export const Inputs = {
  BatchId: 'batch-id',
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
  PreviousDigest: 'previous-digest',
  EncryptTo: 'encrypt-to',
} as const

export interface Environment {
  env: NodeJS.ProcessEnv
  cwd: string
  now: Date
}

function input<T>(name: string, schema: z.ZodType<T, string>): T {
  const raw = core.getInput(name)
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const expected = result.error.issues[0]?.message ?? 'a valid value'
  throw new InputError(`Input '${name}' is ${JSON.stringify(raw)}: expected ${expected}.`)
}

function readToken(env: NodeJS.ProcessEnv): string {
  const token = core.getInput(Inputs.Token) || env.PROLIFIC_TOKEN?.trim() || ''
  if (token === '') {
    throw new InputError(
      "No Prolific API token: set the 'token' input from a secret " +
        '(`token: ${{ secrets.PROLIFIC_TOKEN }}`) or the PROLIFIC_TOKEN environment variable.',
    )
  }
  core.setSecret(token)
  return token
}

/** Reads and validates every input. Throws InputError before any request is made. */
export async function getSettings({ env, cwd, now }: Environment): Promise<Settings> {
  const token = readToken(env)
  const batchId = input(Inputs.BatchId, parse.identifier)
  const from = input(Inputs.From, parse.optionalDateTime)
  const to = input(Inputs.To, parse.optionalDateTime)
  if (from && to && Date.parse(from) > Date.parse(to)) {
    throw new InputError(`Input 'from' (${from}) is later than 'to' (${to}): swap them.`)
  }
  const zipPath = resolveZipPath(core.getInput(Inputs.Path), batchId, now, cwd)
  const extract = input(Inputs.Extract, parse.yamlBoolean)
  const upload = input(Inputs.UploadArtifact, parse.yamlBoolean)
  const settings: Settings = {
    batchId,
    token,
    apiUrl: input(Inputs.ApiUrl, parse.serviceUrl),
    filter: { studyId: input(Inputs.StudyId, parse.optionalIdentifier), from, to },
    zipPath,
    timeoutMs: input(Inputs.Timeout, parse.duration),
    pollIntervalMs: input(Inputs.PollInterval, parse.duration),
    extractPath: extract ? resolveExtractPath(core.getInput(Inputs.ExtractPath), zipPath, cwd) : undefined,
    minSubmissions: input(Inputs.MinSubmissions, parse.nonNegativeInteger),
    strict: input(Inputs.Strict, parse.yamlBoolean),
    artifact: undefined,
    deleteExport: input(Inputs.DeleteExport, parse.yamlBoolean),
    previousDigest: input(Inputs.PreviousDigest, parse.optionalSha256),
  }
  const allowPublic = input(Inputs.AllowPublicRepository, parse.yamlBoolean)
  const rawRecipients = core.getInput(Inputs.EncryptTo)
  // age's library is large: loaded only when there is something to encrypt to.
  const encryptTo =
    rawRecipients.trim() === '' ? undefined : (await import('./encrypt.ts')).parseRecipients(rawRecipients)
  if (upload) {
    // Encrypted, the artifact is unreadable without a key, so a public repository is no risk.
    if (!allowPublic && !encryptTo && isPublicRepository(env)) {
      throw new InputError(
        'This repository is public, so anyone can download its workflow artifacts, and an export holds ' +
          "participant data. Set 'encrypt-to' to upload it encrypted, 'upload-artifact: false' to store " +
          "the ZIP elsewhere, or 'allow-public-repository: true' if sharing it is intended.",
      )
    }
    settings.artifact = {
      name: artifactName(core.getInput(Inputs.ArtifactName).trim() || basename(zipPath)),
      retentionDays: input(Inputs.RetentionDays, parse.retentionDays),
      overwrite: input(Inputs.OverwriteArtifact, parse.yamlBoolean),
      encryptTo,
    }
  }
  return settings
}

function timestamp(now: Date): string {
  const iso = now.toISOString() // 2026-11-22T17:33:17.000Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`
}

function resolveZipPath(raw: string, batchId: string, now: Date, cwd: string): string {
  const name = `${batchId}-export-${timestamp(now)}.zip`
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
