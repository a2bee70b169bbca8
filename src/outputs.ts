import * as core from '@actions/core'
import type { UploadedArtifact } from './artifact.ts'
import type { ExportResult } from './result.ts'

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
} as const

/** Set as soon as the archive is in place, so a later failure still leaves them usable. */
export function setArchiveOutputs(
  result: Omit<ExportResult, 'artifact' | 'artifactNote' | 'phases' | 'changed'>,
): void {
  const { archive } = result
  core.setOutput(Outputs.Path, result.zipPath)
  core.setOutput(Outputs.ExtractPath, result.extractPath ?? '')
  core.setOutput(Outputs.SubmissionCount, archive.submissions)
  core.setOutput(Outputs.TaskCount, archive.tasks)
  core.setOutput(Outputs.FileCount, archive.files)
  core.setOutput(Outputs.InstructionCount, archive.instructions ?? '')
  core.setOutput(Outputs.SizeBytes, result.sizeBytes)
  core.setOutput(Outputs.Sha256, result.sha256)
  core.setOutput(Outputs.ExportId, result.exportId)
  core.setOutput(Outputs.Reused, result.reused)
  core.setOutput(Outputs.ContentDigest, archive.contentDigest)
  setArtifactOutputs(undefined)
}

export function setArtifactOutputs(artifact: UploadedArtifact | undefined): void {
  core.setOutput(Outputs.ArtifactId, artifact?.id ?? '')
  core.setOutput(Outputs.ArtifactUrl, artifact?.url ?? '')
  core.setOutput(Outputs.ArtifactDigest, artifact?.digest ?? '')
}
