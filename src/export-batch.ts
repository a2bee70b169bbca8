import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Dispatcher } from 'undici'
import { assertExtractTarget, extractArchive } from './archive/extract.ts'
import { type ArchiveReport, validateArchive } from './archive/validate.ts'
import { uploadZip } from './artifact.ts'
import type { Clock } from './clock.ts'
import { Deadline } from './deadline.ts'
import { downloadArchive } from './download.ts'
import { UploadError, messageOf } from './errors.ts'
import { setArchiveOutputs, setArtifactOutputs } from './outputs.ts'
import { Phases } from './phases.ts'
import { ProlificClient } from './prolific/client.ts'
import { ExportJob } from './prolific/export-job.ts'
import type { ExportResult } from './result.ts'
import type { RetryPolicy } from './retry.ts'
import { trackScratch, untrackScratch } from './scratch.ts'
import type { Settings } from './settings.ts'
import { stallTimeoutMs } from './http.ts'
import { formatBytes } from './summary.ts'

export interface Dependencies {
  clock: Clock
  env: NodeJS.ProcessEnv
  cwd: string
  /** The HTTP client, given how long without a byte counts as a stall. */
  createDispatcher: (stallMs: number) => Dispatcher
  /** Aborted when the runner cancels the job (SIGINT, then SIGTERM). */
  cancel?: AbortSignal
}

export interface Outcome {
  result: ExportResult
  /** A failure after the archive was safely in place (the upload); outputs are already set. */
  failure: string | undefined
}

/** request → poll → download → validate → (extract) → place → clean up → upload. */
export async function exportBatch(settings: Settings, deps: Dependencies): Promise<Outcome> {
  const dispatcher = deps.createDispatcher(stallTimeoutMs(settings.timeoutMs))
  try {
    return await exportWith(dispatcher, settings, deps)
  } finally {
    await dispatcher.close().catch(() => undefined)
  }
}

async function exportWith(dispatcher: Dispatcher, settings: Settings, deps: Dependencies): Promise<Outcome> {
  const phases = new Phases(deps.clock)
  const deadline = new Deadline(deps.clock, settings.timeoutMs, deps.cancel)
  const retry: RetryPolicy = { deadline, log: (message) => core.info(message) }
  const client = new ProlificClient({ ...settings, dispatcher, retry, clock: deps.clock })
  const job = new ExportJob({
    client,
    ...settings,
    deadline,
    mask: (secret) => core.setSecret(secret),
    log: (message) => core.info(message),
  })
  if (settings.extractPath) await assertExtractTarget(settings.extractPath)
  await mkdir(dirname(settings.zipPath), { recursive: true })
  // Beside the target, so the final rename is atomic and never crosses file systems.
  const tempPath = join(
    dirname(settings.zipPath),
    `.${basename(settings.zipPath)}.${randomBytes(4).toString('hex')}.part`,
  )

  let placed: Omit<ExportResult, 'artifact' | 'artifactNote' | 'phases'>
  trackScratch(tempPath)
  try {
    core.info(
      `Requesting an export of batch ${settings.batchId} from ${settings.apiUrl.origin}${describeFilter(settings)}.`,
    )
    const ready = await phases.run('Request the export', () => job.ready())
    const download = await phases.run('Download', async () => {
      core.info(`Downloading from ${ready.url.origin} to ${tempPath}.`)
      const done = await downloadArchive(job, ready, tempPath, {
        dispatcher,
        clock: deps.clock,
        retry,
        log: (m) => core.info(m),
      })
      core.info(`Downloaded ${formatBytes(done.bytes)} (${done.bytes} bytes), SHA-256 ${done.sha256}.`)
      return done
    })
    const archive = await phases.run('Validate', () => validate(tempPath, settings, deadline))
    if (settings.extractPath) {
      const target = settings.extractPath
      await phases.run('Extract', async () => {
        const files = await extractArchive(tempPath, target)
        core.info(`Extracted ${files} file(s) into ${target}.`)
      })
    }
    await rename(tempPath, settings.zipPath)
    core.info(`Saved the validated archive as ${settings.zipPath}.`)
    placed = {
      batchId: settings.batchId,
      zipPath: settings.zipPath,
      extractPath: settings.extractPath,
      archive,
      sizeBytes: download.bytes,
      sha256: download.sha256,
      exportId: download.ready.exportId,
      reused: download.ready.reused,
    }
  } finally {
    await rm(tempPath, { force: true })
    untrackScratch(tempPath)
  }
  setArchiveOutputs(placed)

  if (settings.deleteExport && job.createdIds().length > 0) {
    await phases.run('Delete the export job', () => deleteJobs(client, settings.batchId, job.createdIds()))
  }
  const result: ExportResult = {
    ...placed,
    artifact: undefined,
    artifactNote: 'not uploaded (upload-artifact is false)',
    phases: phases.times,
  }
  let failure: string | undefined
  const artifact = settings.artifact
  if (artifact) {
    try {
      result.artifact = await phases.run('Upload the artifact', async () => {
        const uploaded = await uploadZip(settings.zipPath, artifact, deps.env)
        if (uploaded) core.info(`Uploaded artifact '${artifact.name}' (id ${uploaded.id}).`)
        return uploaded
      })
      result.artifactNote = 'not uploaded (not running inside GitHub Actions)'
    } catch (error) {
      if (!(error instanceof UploadError)) throw error
      failure = error.message
      result.artifactNote = 'upload failed'
    }
    setArtifactOutputs(result.artifact)
  }
  return { result, failure }
}

async function validate(tempPath: string, settings: Settings, deadline: Deadline): Promise<ArchiveReport> {
  const report = await validateArchive(tempPath, { strict: settings.strict, deadline })
  core.info(
    `The archive is valid: ${report.entries} entries, ${report.submissions} submission(s), ${report.tasks} task(s), ` +
      `${report.files} file(s), ${report.instructions ?? 'unknown'} instruction(s), ` +
      `${formatBytes(report.uncompressedBytes)} uncompressed; every entry's CRC-32 checked.`,
  )
  for (const warning of report.warnings) core.warning(warning)
  return report
}

/** Frees the batch's export-job slots this run used. Never fails the step: the data is safe. */
async function deleteJobs(client: ProlificClient, batchId: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    try {
      const outcome = await client.deleteExport(batchId, id)
      core.info(
        outcome === 'deleted'
          ? `Deleted export job ${id}.`
          : 'This API has no route to delete export jobs; nothing to clean up.',
      )
      if (outcome === 'unsupported') return
    } catch (error) {
      core.warning(
        `Could not delete export job ${id}: ${messageOf(error)}. It still holds one of the batch's 10 export slots.`,
      )
    }
  }
}

function describeFilter({ filter }: Settings): string {
  const parts = [
    filter.studyId && `study ${filter.studyId}`,
    filter.from && `from ${filter.from}`,
    filter.to && `to ${filter.to}`,
  ].filter(Boolean)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}
