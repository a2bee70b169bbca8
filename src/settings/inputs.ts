import { basename, join, resolve } from 'node:path'
import * as core from '@actions/core'
import { InputError } from '../core/errors.ts'
import * as parse from './input-parsers.ts'
import { artifactName, defaultExtractName, resolveExtractPath, resolveZipPath } from './input-paths.ts'
import { publicUploadRefusal } from './repository-visibility.ts'
import { registerSecret } from '../runner/outside-text.ts'
import type { ArtifactRequest } from '../artifact/artifact.ts'
import type { Settings } from './settings.ts'

import { getInput, input, Inputs } from './read-input.ts'
import { readTargets, refuseSingleExportInputs } from './targets.ts'
import { readMinResponsesPerTask, readStateFile, readWindow } from './window.ts'
import { tableFormats, tablesRequest } from './tables-input.ts'

export { Inputs } from './read-input.ts'

export interface Environment {
  env: NodeJS.ProcessEnv
  cwd: string
  now: Date
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

/** Every export of the step, how many may run at once, and the state kept between runs. */
export interface RunSettings {
  exports: Settings[]
  concurrency: number
  /** Absolute path of `state-file`, or undefined when it is empty. */
  stateFile: string | undefined
}

/** Reads and validates every input. Throws InputError before any request is made. */
export async function getSettings({ env, cwd, now }: Environment): Promise<RunSettings> {
  const token = readToken(env)
  const { kind, ids } = readTargets()
  const several = ids.length > 1
  const stateFile = readStateFile(cwd)
  const { from, to, fromLastRun } = readWindow(stateFile)
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
    minResponsesPerTask: readMinResponsesPerTask(kind),
    fromLastRun,
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
  const formats = input(Inputs.Tables, tableFormats)
  const exports = ids.map((targetId): Settings => {
    const zipPath = resolveZipPath(rawPath, targetId, now, cwd)
    const extractPath = !extract
      ? undefined
      : several && rawExtractPath.trim() !== ''
        ? resolveExtractPath(join(resolve(cwd, rawExtractPath), defaultExtractName(zipPath, cwd)), zipPath, cwd)
        : resolveExtractPath(rawExtractPath, zipPath, cwd)
    const name = artifact ? artifactName(rawArtifactName || basename(zipPath)) : ''
    const tables = tablesRequest(formats, zipPath)
    return { ...shared, targetId, zipPath, extractPath, tables, artifact: artifact && { ...artifact, name } }
  })
  return { exports, concurrency: input(Inputs.Concurrency, parse.positiveInteger), stateFile }
}

async function artifactSettings(env: NodeJS.ProcessEnv): Promise<Omit<ArtifactRequest, 'name'>> {
  const allowPublic = input(Inputs.AllowPublicRepository, parse.yamlBoolean)
  const rawRecipients = getInput(Inputs.EncryptTo)
  // age's library is large: loaded only when there is something to encrypt to.
  const encryptTo =
    rawRecipients.trim() === '' ? undefined : (await import('../artifact/encrypt.ts')).parseRecipients(rawRecipients)
  // Encrypted, the artifact is unreadable without a key, so a public repository is no risk.
  const refusal = publicUploadRefusal(env)
  if (!allowPublic && !encryptTo && refusal) throw new InputError(refusal)
  return {
    retentionDays: input(Inputs.RetentionDays, parse.retentionDays),
    overwrite: input(Inputs.OverwriteArtifact, parse.yamlBoolean),
    encryptTo,
  }
}
