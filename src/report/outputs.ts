import * as core from '@actions/core'
import { type Exported, problemsText } from '../pipeline/export-target.ts'
import { neutralise } from '../runner/outside-text.ts'
import type { ExportResult } from '../pipeline/result.ts'
import { combinedCoverage, type CoverageValues, coverageValues, sharedWindow } from './task-outputs.ts'

/** Output names exactly as in action.yml. */
export const Outputs = {
  Path: 'path',
  ExtractPath: 'extract-path',
  SubmissionCount: 'submission-count',
  TaskCount: 'task-count',
  FileCount: 'file-count',
  InstructionCount: 'instruction-count',
  SizeBytes: 'size-bytes',
  Sha256: 'sha256',
  ExportId: 'export-id',
  Reused: 'reused',
  ArtifactId: 'artifact-id',
  ArtifactUrl: 'artifact-url',
  ArtifactDigest: 'artifact-digest',
  ContentDigest: 'content-digest',
  Changed: 'changed',
  MinTaskResponses: 'min-task-responses',
  MaxTaskResponses: 'max-task-responses',
  TasksBelowMinimum: 'tasks-below-minimum',
  WindowFrom: 'window-from',
  WindowTo: 'window-to',
  TablesPath: 'tables-path',
  Results: 'results',
} as const

/** The coverage outputs, empty where there is no value. */
function setCoverageOutputs(values: CoverageValues): void {
  core.setOutput(Outputs.MinTaskResponses, values.minTaskResponses ?? '')
  core.setOutput(Outputs.MaxTaskResponses, values.maxTaskResponses ?? '')
  core.setOutput(Outputs.TasksBelowMinimum, values.tasksBelowMinimum ?? '')
}

/** The filter values the request sent (one export's, or the value all of several sent), empty where none was. */
export function setWindowOutputs(finished: Exported[]): void {
  const { from, to } = sharedWindow(finished)
  core.setOutput(Outputs.WindowFrom, from)
  core.setOutput(Outputs.WindowTo, to)
}

/** One export's outputs, every one of them, from what it placed and uploaded. */
export function setExportOutputs(one: Exported & { result: ExportResult }): void {
  const { result } = one
  const { archive, artifact } = result
  core.setOutput(Outputs.Path, result.zipPath)
  core.setOutput(Outputs.ExtractPath, result.extractPath ?? '')
  core.setOutput(Outputs.TablesPath, result.tablesPath ?? '')
  core.setOutput(Outputs.SubmissionCount, archive.submissions)
  core.setOutput(Outputs.TaskCount, archive.tasks ?? '')
  core.setOutput(Outputs.FileCount, archive.files)
  core.setOutput(Outputs.InstructionCount, archive.instructions ?? '')
  core.setOutput(Outputs.SizeBytes, result.sizeBytes)
  core.setOutput(Outputs.Sha256, result.sha256)
  core.setOutput(Outputs.ExportId, result.exportId)
  core.setOutput(Outputs.Reused, result.reused)
  core.setOutput(Outputs.ContentDigest, archive.contentDigest)
  core.setOutput(Outputs.Changed, result.changed)
  core.setOutput(Outputs.ArtifactId, artifact?.id ?? '')
  core.setOutput(Outputs.ArtifactUrl, artifact?.url ?? '')
  core.setOutput(Outputs.ArtifactDigest, artifact?.digest ?? '')
  setCoverageOutputs(coverageValues(one))
}

/** The per-export outputs, as one object of `results`. */
function outputsOf(one: Exported): Record<string, string | number | boolean | null> {
  const { settings, result } = one
  const problem = problemsText(one)
  const archive = result?.archive
  const coverage = coverageValues(one)
  return {
    id: settings.targetId,
    kind: settings.kind,
    status: problem ? 'failed' : 'success',
    error: problem === undefined ? null : neutralise(problem, Infinity),
    [Outputs.Path]: result?.zipPath ?? '',
    [Outputs.ExtractPath]: result?.extractPath ?? '',
    [Outputs.TablesPath]: result?.tablesPath ?? '',
    [Outputs.SubmissionCount]: archive?.submissions ?? null,
    [Outputs.TaskCount]: archive?.tasks ?? null,
    [Outputs.FileCount]: archive?.files ?? null,
    [Outputs.InstructionCount]: archive?.instructions ?? null,
    [Outputs.SizeBytes]: result?.sizeBytes ?? null,
    [Outputs.Sha256]: result?.sha256 ?? '',
    [Outputs.ExportId]: result?.exportId ?? '',
    [Outputs.Reused]: result?.reused ?? null,
    [Outputs.ArtifactId]: result?.artifact?.id ?? '',
    [Outputs.ArtifactUrl]: result?.artifact?.url ?? '',
    [Outputs.ArtifactDigest]: result?.artifact?.digest ?? '',
    [Outputs.ContentDigest]: archive?.contentDigest ?? '',
    [Outputs.Changed]: result?.changed ?? null,
    [Outputs.MinTaskResponses]: coverage.minTaskResponses ?? null,
    [Outputs.MaxTaskResponses]: coverage.maxTaskResponses ?? null,
    [Outputs.TasksBelowMinimum]: coverage.tasksBelowMinimum ?? null,
    [Outputs.WindowFrom]: settings.filter.from ?? '',
    [Outputs.WindowTo]: settings.filter.to ?? '',
  }
}

/** Several exports: `results` holds each one's outputs; the counts and size are totals. */
export function setManyOutputs(finished: Exported[]): void {
  core.setOutput(Outputs.Results, JSON.stringify(finished.map(outputsOf)))
  const placed = finished.flatMap((one) => (one.result ? [one.result] : []))
  // A total of counts that exist for none of the exports (tasks of collections) stays empty.
  const total = (pick: (result: ExportResult) => number | undefined) => {
    const counts = placed.map(pick).filter((count) => count !== undefined)
    return counts.length === 0 ? '' : counts.reduce((sum, count) => sum + count, 0)
  }
  core.setOutput(
    Outputs.SubmissionCount,
    total((result) => result.archive.submissions),
  )
  core.setOutput(
    Outputs.TaskCount,
    total((result) => result.archive.tasks),
  )
  core.setOutput(
    Outputs.FileCount,
    total((result) => result.archive.files),
  )
  core.setOutput(
    Outputs.SizeBytes,
    total((result) => result.sizeBytes),
  )
  setCoverageOutputs(combinedCoverage(finished))
}
