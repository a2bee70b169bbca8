import * as core from '@actions/core'
import type { Dispatcher } from 'undici'
import { assertExtractTarget } from './archive/extract.ts'
import { uploadZip } from './artifact.ts'
import type { Clock } from './clock.ts'
import { Deadline } from './deadline.ts'
import { jobLog, type Log } from './log.ts'
import { UploadError, messageOf } from './errors.ts'
import { createDispatcher, stallTimeoutMs } from './http.ts'
import { Outputs, setArchiveOutputs, setArtifactOutputs } from './outputs.ts'
import { registerSecret } from './outside-text.ts'
import { Phases } from './phases.ts'
import { type PlacedArchive, placeArchive } from './place-archive.ts'
import { ProlificClient } from './prolific/client.ts'
import { ExportJob } from './prolific/export-job.ts'
import type { ExportResult } from './result.ts'
import type { RetryPolicy } from './retry.ts'
import type { Settings } from './settings.ts'

export interface Dependencies {
  clock: Clock
  env: NodeJS.ProcessEnv
  cwd: string
  /** The HTTP client, given how long without a byte counts as a stall (default: undici's Agent). */
  createDispatcher?: (stallMs: number) => Dispatcher
  /** Aborted when the runner cancels the job (SIGINT, then SIGTERM). */
  cancel?: AbortSignal
}

/** How one export reports: its log, and whether it sets the step's outputs itself (one export) or not (several). */
export interface Reporting {
  log: Log
  setOutputs: boolean
}

export interface Outcome {
  result: ExportResult
  /** A failure after the archive was safely in place (the upload); outputs are already set. */
  failure: string | undefined
}

/** The archive in place and its outputs set, then the job's slots freed, then the upload. */
export async function exportBatch(
  settings: Settings,
  deps: Dependencies,
  { log, setOutputs }: Reporting = { log: jobLog, setOutputs: true },
): Promise<Outcome> {
  const dispatcher = (deps.createDispatcher ?? createDispatcher)(stallTimeoutMs(settings.timeoutMs))
  try {
    const phases = new Phases(deps.clock, log)
    const deadline = new Deadline(deps.clock, settings.timeoutMs, deps.cancel)
    const info = (message: string) => log.info(message)
    const retry: RetryPolicy = { deadline, log: info }
    const client = new ProlificClient({ ...settings, dispatcher, retry, clock: deps.clock })
    const job = new ExportJob({ client, ...settings, deadline, mask: keepSecret, log: info })
    if (settings.extractPath) await assertExtractTarget(settings.extractPath)
    log.info(
      `Requesting an export of ${settings.kind} ${settings.targetId} from ${settings.apiUrl.origin}${describeFilter(settings)}.`,
    )
    const context = { settings, log, job, phases, deadline, retry, dispatcher, clock: deps.clock }
    const placed = await placeArchive(context).catch(async (error: unknown) => {
      // Failed jobs are useless; a finished one is kept so the export can still be looked at.
      if (settings.deleteExport) await deleteJobs(client, settings.targetId, job.failedIds(), log)
      throw error
    })
    if (setOutputs) setArchiveOutputs(placed)
    if (settings.deleteExport && job.createdIds().length > 0) {
      await phases.run('Delete the export job', () => deleteJobs(client, settings.targetId, job.createdIds(), log))
    }
    return await upload(placed, settings, phases, deps.env, { log, setOutputs })
  } finally {
    await dispatcher.close().catch(() => undefined)
  }
}

async function upload(
  placed: PlacedArchive,
  settings: Settings,
  phases: Phases,
  env: NodeJS.ProcessEnv,
  { log, setOutputs }: Reporting,
) {
  const changed = settings.previousDigest !== placed.archive.contentDigest
  if (setOutputs) core.setOutput(Outputs.Changed, changed)
  const result: ExportResult = { ...placed, changed, artifact: undefined, artifactNote: '', phases: phases.times }
  const request = settings.artifact
  const skipped = !request
    ? 'not uploaded (upload-artifact is false)'
    : !changed
      ? 'not uploaded (unchanged since previous-digest)'
      : undefined
  if (!changed) log.info('The content digest equals previous-digest: the export is unchanged.')
  if (skipped || !request) return { result: { ...result, artifactNote: skipped ?? '' }, failure: undefined }
  let failure: string | undefined
  try {
    result.artifact = await phases.run('Upload the artifact', async () => {
      const uploaded = await uploadZip(settings.zipPath, request, env, log)
      if (uploaded) log.info(`Uploaded artifact '${uploaded.name}' (id ${uploaded.id}).`)
      return uploaded
    })
    result.artifactNote = 'not uploaded (not running inside GitHub Actions)'
  } catch (error) {
    if (!(error instanceof UploadError)) throw error
    failure = error.message
    result.artifactNote = 'upload failed'
  }
  if (setOutputs) setArtifactOutputs(result.artifact)
  return { result, failure }
}

/** Frees the batch's export-job slots this run used. Never fails the step: the data is safe. */
async function deleteJobs(client: ProlificClient, targetId: string, ids: string[], log: Log): Promise<void> {
  for (const id of ids) {
    try {
      const outcome = await client.deleteExport(targetId, id)
      if (outcome === 'unsupported')
        return log.info('This API has no route to delete export jobs; nothing to clean up.')
      log.info(`Deleted export job ${id}.`)
    } catch (error) {
      log.warning(
        `Could not delete export job ${id}: ${messageOf(error)}. It still holds one of the batch's 10 export slots.`,
      )
    }
  }
}

/** Masked by the runner in what it shows, and redacted from outside text before we show any. */
function keepSecret(secret: string): void {
  core.setSecret(secret)
  registerSecret(secret)
}

function describeFilter({ filter }: Settings): string {
  const parts = [
    filter.studyId && `study ${filter.studyId}`,
    filter.from && `from ${filter.from}`,
    filter.to && `to ${filter.to}`,
  ].filter(Boolean)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}
