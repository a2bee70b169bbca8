import * as core from '@actions/core'
import { InputError } from '../core/errors.ts'
import type { InputParser } from './input-parsers.ts'

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
  MinResponsesPerTask: 'min-responses-per-task',
  Strict: 'strict',
  UploadArtifact: 'upload-artifact',
  ArtifactName: 'artifact-name',
  OverwriteArtifact: 'overwrite-artifact',
  RetentionDays: 'retention-days',
  DeleteExport: 'delete-export',
  AllowPublicRepository: 'allow-public-repository',
  Concurrency: 'concurrency',
  PreviousDigest: 'previous-digest',
  StateFile: 'state-file',
  EncryptTo: 'encrypt-to',
  MaxUncompressedSize: 'max-uncompressed-size',
  MaxCompressionRatio: 'max-compression-ratio',
  Tables: 'tables',
} as const

/**
 * The input as the runner passes it, through @actions/core so that @github/local-action's stand-in
 * can fill in action.yml's defaults. Trimming is asked for: the stand-in trims only when told to.
 */
export function getInput(name: string): string {
  return core.getInput(name, { trimWhitespace: true })
}

/** The input, parsed; an InputError that names it, the value and what it accepts, if it cannot be. */
export function input<T>(name: string, parser: InputParser<T>): T {
  const raw = getInput(name)
  const result = parser.safeParse(raw)
  if (result.success) return result.data
  const { expected } = result
  // A URL's user:password is never echoed, whichever input holds it.
  const shown = raw.replace(/(\/\/)[^/@\s]*@/g, '$1***@')
  throw new InputError(`Input '${name}' is ${JSON.stringify(shown)}: expected ${expected}.`)
}
