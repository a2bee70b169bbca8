import { appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'
import * as core from '@actions/core'
import { formatDuration } from '../core/deadline.ts'
import { neutralise } from '../runner/outside-text.ts'
import type { ExportResult } from '../pipeline/result.ts'
import { addTaskCoverage } from './histogram.ts'

/** Counts, size, digest, artifact, responses per task and timings: nothing that identifies a participant. */
export function buildSummary(result: ExportResult, failure?: string, minResponsesPerTask = 0): typeof core.summary {
  const { archive } = result
  const summary = core.summary.addHeading(`Prolific export of ${result.kind} ${result.targetId}`, 2)
  if (failure) summary.addRaw(`<p><strong>Step failed:</strong> ${escapeHtml(failure)}</p>`, true)
  summary.addTable([
    [
      { data: 'Item', header: true },
      { data: 'Value', header: true },
    ],
    ['Submissions', String(archive.submissions)],
    ['Tasks', archive.tasks === undefined ? 'n/a (collection)' : String(archive.tasks)],
    ['Files', String(archive.files)],
    ['Instructions', archive.instructions === undefined ? 'unknown' : String(archive.instructions)],
    ['Size', `${formatBytes(result.sizeBytes)} (${result.sizeBytes} bytes)`],
    ['SHA-256', `<code>${result.sha256}</code>`],
    ['Export job', result.exportId ? `<code>${escapeHtml(result.exportId)}</code>` : 'none (finished export)'],
    ['Reused existing export', result.reused ? 'yes' : 'no'],
    ['Content digest', `<code>${result.archive.contentDigest}</code>${result.changed ? '' : ' (unchanged)'}`],
    ['Artifact', artifactCell(result)],
    ...(result.tablesPath ? [['Tables', tablesCell(result)]] : []),
  ])
  if (archive.taskResponses) addTaskCoverage(summary, archive.taskResponses, minResponsesPerTask)
  if (archive.warnings.length > 0) {
    summary.addHeading('Warnings', 3).addList(archive.warnings.map(escapeHtml))
  }
  summary.addHeading('Time per phase', 3).addTable([
    [
      { data: 'Phase', header: true },
      { data: 'Time', header: true },
    ],
    ...result.phases.map((phase) => [escapeHtml(phase.name), formatDuration(phase.ms)]),
  ])
  return summary
}

/**
 * Appends a summary to the step's summary file (GITHUB_STEP_SUMMARY of the injected environment),
 * as core.summary.write() does, but to the file this run names rather than the first one the
 * process saw; nothing where the runner gives no such file.
 */
export async function appendSummary(summary: typeof core.summary, env: NodeJS.ProcessEnv): Promise<void> {
  const text = summary.stringify()
  summary.emptyBuffer()
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${text}${EOL}`, 'utf8')
}

/** The tables' artifact where they were uploaded, else their folder on the runner. */
function tablesCell(result: ExportResult): string {
  const { tablesArtifact, tablesPath = '' } = result
  return tablesArtifact ? artifactCell({ ...result, artifact: tablesArtifact }) : escapeHtml(tablesPath)
}

function artifactCell(result: ExportResult): string {
  const { artifact } = result
  if (!artifact) return escapeHtml(result.artifactNote)
  const label = `${escapeHtml(artifact.name)} (artifact ${escapeHtml(artifact.id)}${artifact.encrypted ? ', encrypted with age' : ''})`
  return artifact.url ? `<a href="${escapeHtml(artifact.url)}">${label}</a>` : label
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}

/** Text for the summary's HTML: inert first (no control characters, no runner commands), then escaped. */
export function escapeHtml(text: string): string {
  return neutralise(text, Infinity).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c,
  )
}
