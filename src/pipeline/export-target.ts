import * as core from '@actions/core'
import type { Dispatcher } from 'undici'
import { assertExtractTarget } from '../archive/extract.ts'
import { type UploadedArtifact, uploadZip } from '../artifact/artifact.ts'
import type { Clock } from '../core/clock.ts'
import { Deadline } from '../core/deadline.ts'
import { ActionError, DeadlineError, UploadError } from '../core/errors.ts'
import { createDispatcher, stallTimeoutMs } from '../core/http.ts'
import { readProxyEnvironment } from '../core/proxy.ts'
import type { Log } from '../runner/log.ts'
import { registerSecret } from '../runner/outside-text.ts'
import { Phases } from './phases.ts'
import { type ArchiveSettings, type PlacedArchive, placeArchive } from './place-archive.ts'
import { ProlificClient } from '../prolific/client.ts'
import { ExportJob } from '../prolific/export-job.ts'
import type { ExportResult } from './result.ts'
import type { Settings } from '../settings/settings.ts'
import { deleteJobs, describeFilter } from './export-jobs.ts'
import { tooFewPerTask } from './coverage-gate.ts'
import { makeTables, uploadTablesArtifact } from './tables-phase.ts'

export interface Dependencies {
  clock: Clock
  env: NodeJS.ProcessEnv
  cwd: string
  /** The HTTP client, given how long without a byte counts as a stall (default: undici's Agent). */
  createDispatcher?: (stallMs: number) => Dispatcher
  /** Aborted when the runner cancels the job (SIGINT, then SIGTERM). */
  cancel?: AbortSignal
}

/** One export as it ended: what it placed, and what went wrong. */
export interface Exported {
  /** Without the token, which only the API client holds. */
  settings: Omit<Settings, 'token'>
  /** The archive at `path` and what became of it; present once it was placed, even if a later step failed. */
  result?: ExportResult
  /** What went wrong, in the order it did; empty when all went well. */
  problems: ActionError[]
}

/**
 * One export, as its phases: the archive requested, downloaded, validated and put in place; the
 * export jobs it used freed; the artifact uploaded; the gates (`min-submissions`,
 * `min-responses-per-task`) checked. A failure before the archive is in place is thrown; after
 * it, it is one of the problems, and the result stays.
 */
export async function exportTarget(settings: Settings, deps: Dependencies, log: Log): Promise<Exported> {
  // From the injected environment: a proxy variable that is not a URL fails before any request.
  const proxy = readProxyEnvironment(deps.env)
  const stallMs = stallTimeoutMs(settings.timeoutMs)
  const dispatcher = deps.createDispatcher?.(stallMs) ?? createDispatcher(proxy, stallMs)
  try {
    const phases = new Phases(deps.clock, log)
    const deadline = new Deadline(deps.clock, settings.timeoutMs, deps.cancel)
    const info = (message: string) => log.info(message)
    const retry = { deadline, log: info }
    // The token goes to the API client, and nowhere else.
    const { token, ...rest } = settings
    const { kind, apiUrl, targetId, pruneExports, filter, pollIntervalMs } = rest
    const client = new ProlificClient({ kind, apiUrl, token, dispatcher, proxy, retry, clock: deps.clock })
    const job = new ExportJob({
      client,
      kind,
      targetId,
      pruneExports,
      filter,
      pollIntervalMs,
      deadline,
      mask: keep,
      log: info,
    })
    if (rest.extractPath) await assertExtractTarget(rest.extractPath)
    log.info(`Requesting an export of ${kind} ${targetId} from ${apiUrl.origin}${describeFilter(filter)}.`)
    const placed = await placeArchive({
      settings: rest,
      log,
      job,
      phases,
      deadline,
      retry,
      dispatcher,
      proxy,
      clock: deps.clock,
    }).catch(async (error: unknown) => {
      // Failed jobs are useless; a finished one is kept so the export can still be looked at.
      if (rest.deleteExport) await deleteJobs(client, targetId, job.failedIds(), log)
      throw error
    })
    if (rest.deleteExport && job.createdIds().length > 0) {
      await phases.run('Delete the export job', () => deleteJobs(client, targetId, job.createdIds(), log))
    }
    const tables = await makeTables(placed, rest, { phases, deadline, log })
    // The timeout or a cancel that stopped the tables stops the export too: nothing is sent after it.
    const stopped = tables.problem instanceof DeadlineError
    const steps = { phases, env: deps.env, log, stopped }
    const { result, problems } = await upload({ ...placed, tablesPath: tables.path }, rest, steps)
    const gates = [tooFewSubmissions(result, rest), tooFewPerTask(result, rest)]
    return { settings: rest, result, problems: [tables.problem, ...problems, ...gates].filter(isProblem) }
  } finally {
    await dispatcher.close().catch(() => undefined)
  }
}

interface UploadSteps {
  phases: Phases
  env: NodeJS.ProcessEnv
  log: Log
  /** The step was stopped (timeout or cancel) after the archive was placed: upload nothing. */
  stopped: boolean
}

async function upload(
  placed: PlacedArchive & Pick<ExportResult, 'tablesPath'>,
  settings: ArchiveSettings,
  { phases, env, log, stopped }: UploadSteps,
) {
  const changed = settings.previousDigest !== placed.archive.contentDigest
  const result: ExportResult = { ...placed, changed, artifact: undefined, artifactNote: '', phases: phases.times }
  if (!changed) log.info('The content digest equals previous-digest: the export is unchanged.')
  const request = settings.artifact
  if (!request) return { result: { ...result, artifactNote: 'not uploaded (upload-artifact is false)' }, problems: [] }
  if (stopped) return { result: { ...result, artifactNote: 'not uploaded (the step was stopped)' }, problems: [] }
  if (!changed) {
    return { result: { ...result, artifactNote: 'not uploaded (unchanged since previous-digest)' }, problems: [] }
  }
  let artifact: UploadedArtifact | undefined
  try {
    artifact = await phases.run('Upload the artifact', async () => {
      const uploaded = await uploadZip(settings.zipPath, request, env, log)
      if (uploaded) log.info(`Uploaded artifact '${uploaded.name}' (id ${uploaded.id}).`)
      return uploaded
    })
  } catch (error) {
    if (!(error instanceof UploadError)) throw error
    return { result: { ...result, artifactNote: 'upload failed' }, problems: [error] }
  }
  const tables = await uploadTablesArtifact(result.tablesPath, settings, { phases, env, log })
  const artifactNote = artifact ? '' : 'not uploaded (not running inside GitHub Actions)'
  return { result: { ...result, artifact, tablesArtifact: tables.artifact, artifactNote }, problems: [tables.problem] }
}

function tooFewSubmissions(result: ExportResult, { minSubmissions }: ArchiveSettings): ActionError | undefined {
  const { submissions } = result.archive
  if (submissions >= minSubmissions) return undefined
  return new ActionError(
    `The archive holds ${submissions} submission record(s), fewer than min-submissions (${minSubmissions}). ` +
      `It is kept at ${result.zipPath} and the outputs are set.`,
  )
}

function isProblem(problem: ActionError | undefined): problem is ActionError {
  return problem !== undefined
}

/** Masked by the runner in what it shows, and redacted from outside text before we show any. */
function keep(secret: string): void {
  core.setSecret(secret)
  registerSecret(secret)
}

/** The problems of one export as the one sentence the step reports; undefined when there are none. */
export function problemsText({ problems }: Pick<Exported, 'problems'>): string | undefined {
  return problems.length === 0 ? undefined : problems.map((problem) => problem.message).join(' ')
}
