import type { ProxyEnvironment } from '../core/proxy.ts'
import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Dispatcher } from 'undici'
import { extractArchive } from '../archive/extract.ts'
import { type ScanOutcome, ScanningTap } from '../archive/scan-tap.ts'
import { coverageFigures } from '../archive/task-coverage.ts'
import { type ArchiveReport, validateArchive } from '../archive/validate.ts'
import type { Clock } from '../core/clock.ts'
import type { Deadline } from '../core/deadline.ts'
import { downloadArchive } from '../download/download.ts'
import type { Log } from '../runner/log.ts'
import type { Phases } from './phases.ts'
import type { ExportJob } from '../prolific/export-job.ts'
import type { ExportResult } from './result.ts'
import type { RetryPolicy } from '../core/retry.ts'
import { trackScratch, untrackScratch } from '../runner/scratch.ts'
import { partPath, removeStaleDownloads } from './stale-downloads.ts'
import type { Settings } from '../settings/settings.ts'
import { formatBytes } from '../report/summary.ts'

/** The archive as it stands at `path`: what the outputs describe. */
export type PlacedArchive = Omit<
  ExportResult,
  'artifact' | 'artifactNote' | 'phases' | 'changed' | 'tablesPath' | 'tablesArtifact'
>

/** The settings of one export, without the token: only the API client holds it. */
export type ArchiveSettings = Omit<Settings, 'token'>

export interface PlaceContext {
  settings: ArchiveSettings
  log: Log
  job: ExportJob
  phases: Phases
  deadline: Deadline
  retry: RetryPolicy
  dispatcher: Dispatcher
  proxy: ProxyEnvironment
  clock: Clock
}

/**
 * Request → download → validate → (extract) → rename into `path`. Everything happens in a
 * temporary file beside the target (so the rename is atomic and never crosses file systems),
 * which is removed whatever happens: `path` only ever holds a complete, valid archive.
 */
export async function placeArchive(context: PlaceContext): Promise<PlacedArchive> {
  const { settings, phases, log } = context
  await mkdir(dirname(settings.zipPath), { recursive: true })
  const stale = await removeStaleDownloads(settings.zipPath, settings.targetId)
  if (stale > 0) log.info(`Removed ${stale} incomplete download(s) that an earlier, stopped run left beside the ZIP.`)
  const tempPath = partPath(settings.zipPath)
  trackScratch(tempPath)
  try {
    const ready = await phases.run('Request the export', () => context.job.ready())
    // The archive is validated as it arrives; the Validate phase then only waits for the scan's last step.
    const tap = new ScanningTap({ ...archiveRules(settings), deadline: context.deadline })
    const download = await phases.run('Download', async () => {
      log.info(`Downloading from ${ready.url.origin} to ${tempPath}, validating as the bytes arrive.`)
      try {
        const { dispatcher, proxy, retry, clock } = context
        const options = { dispatcher, proxy, retry, clock, log: (m: string) => log.info(m), tap }
        const done = await downloadArchive(context.job, ready, tempPath, options)
        log.info(`Downloaded ${formatBytes(done.bytes)} (${done.bytes} bytes), SHA-256 ${done.sha256}.`)
        return done
      } catch (error) {
        tap.abandon()
        throw error
      }
    })
    const archive = await phases.run('Validate', async () =>
      validate(tempPath, context, await tap.finish(download.bytes)),
    )
    const target = settings.extractPath
    if (target) {
      await phases.run('Extract', async () => {
        log.info(`Extracted ${await extractArchive(tempPath, target, context.deadline)} file(s) into ${target}.`)
      })
    }
    await rename(tempPath, settings.zipPath)
    log.info(`Saved the validated archive as ${settings.zipPath}.`)
    return {
      kind: settings.kind,
      targetId: settings.targetId,
      zipPath: settings.zipPath,
      extractPath: target,
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
}

async function validate(
  tempPath: string,
  { settings, deadline, log }: PlaceContext,
  scanned: ScanOutcome,
): Promise<ArchiveReport> {
  let report: ArchiveReport
  if ('report' in scanned) {
    report = scanned.report
  } else {
    log.info(
      `Reading the archive again to validate it: ${scanned.deferred}, which the check during the download leaves to a full pass.`,
    )
    report = await validateArchive(tempPath, { ...archiveRules(settings), deadline })
  }
  log.info(
    `The archive is valid: ${report.entries} entries, ${report.submissions} submission(s), ` +
      (report.tasks === undefined ? '' : `${report.tasks} task(s), `) +
      `${report.files} file(s), ${report.instructions ?? 'unknown'} instruction(s), ` +
      `${formatBytes(report.uncompressedBytes)} uncompressed; every entry's CRC-32 checked.`,
  )
  const coverage = report.taskResponses && coverageFigures(report.taskResponses)
  if (coverage?.min !== undefined) {
    log.info(
      `Responses per task: min ${coverage.min}, median ${coverage.median}, max ${coverage.max} over ${coverage.tasks} task(s).`,
    )
  }
  for (const warning of report.warnings) log.warning(warning)
  return report
}

/** What the archive is checked against, the same during the download and from disk. */
function archiveRules(settings: ArchiveSettings) {
  return {
    strict: settings.strict,
    kind: settings.kind,
    extract: settings.extractPath !== undefined,
    limits: settings.archiveLimits,
  }
}
