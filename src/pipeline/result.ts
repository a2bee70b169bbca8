import type { ArchiveReport } from '../archive/validate.ts'
import type { UploadedArtifact } from '../artifact/artifact.ts'
import type { PhaseTime } from './phases.ts'
import type { ExportKind } from '../settings/settings.ts'

/** Everything a finished run knows, for the outputs and the job summary. */
export interface ExportResult {
  kind: ExportKind
  targetId: string
  zipPath: string
  extractPath: string | undefined
  archive: ArchiveReport
  sizeBytes: number
  sha256: string
  exportId: string
  reused: boolean
  artifact: UploadedArtifact | undefined
  /** The folder of `tables`, or undefined when none were made. */
  tablesPath?: string | undefined
  /** The second artifact, the ZIP's name with `-tables` in place of `.zip`, when the tables were uploaded. */
  tablesArtifact?: UploadedArtifact | undefined
  /** False when the content digest equals `previous-digest` (and nothing was uploaded). */
  changed: boolean
  /** Why there is no artifact, when there is none. */
  artifactNote: string
  phases: PhaseTime[]
}
