import * as core from '@actions/core'
import { formatDuration } from '../core/deadline.ts'
import { type Exported, problemsText } from '../pipeline/export-target.ts'
import { addTaskCoverage } from './histogram.ts'
import { escapeHtml, formatBytes } from './summary.ts'

/** One row per export: counts, size, digest, artifact, time; no participant data. */
export function buildManySummary(finished: Exported[]): typeof core.summary {
  const failed = finished.filter((one) => one.problems.length > 0).length
  const kinds = finished[0]?.settings.kind === 'collection' ? 'collections' : 'batches'
  const summary = core.summary.addHeading(`Prolific export of ${finished.length} ${kinds}`, 2)
  if (failed > 0) summary.addRaw(`<p><strong>${failed} of ${finished.length} failed.</strong></p>`, true)
  const header = ['ID', 'Status', 'Submissions', 'Tasks', 'Files', 'Size', 'SHA-256', 'Artifact', 'Time']
  const rows = finished.map((one) => {
    const { settings, result } = one
    const problem = problemsText(one)
    const archive = result?.archive
    const time = result ? formatDuration(result.phases.reduce((sum, phase) => sum + phase.ms, 0)) : ''
    return [
      escapeHtml(settings.targetId),
      problem ? `failed: ${escapeHtml(problem)}` : 'ok',
      String(archive?.submissions ?? ''),
      String(archive?.tasks ?? ''),
      String(archive?.files ?? ''),
      result ? formatBytes(result.sizeBytes) : '',
      result ? `<code>${result.sha256.slice(0, 12)}…</code>` : '',
      result?.artifact
        ? `<a href="${escapeHtml(result.artifact.url)}">${escapeHtml(result.artifact.name)}</a>`
        : escapeHtml(result?.artifactNote ?? ''),
      time,
    ]
  })
  summary.addTable([header.map((data) => ({ data, header: true })), ...rows])
  for (const { settings, result } of finished) {
    const coverage = result?.archive.taskResponses
    if (!coverage) continue
    addTaskCoverage(
      summary,
      coverage,
      settings.minResponsesPerTask,
      `Responses per task: ${escapeHtml(settings.targetId)}`,
    )
  }
  return summary
}
