import type { URL } from 'node:url'
import type { ArtifactRequest } from '../artifact/artifact.ts'
import type { TablesRequest } from '../tables/formats.ts'

/** Filters of the export request; each one becomes a query parameter. */
export interface ExportFilter {
  /** Only this study's responses (`study_id`). */
  studyId?: string
  /** ISO-8601 date-times, passed on as written (`from`, `to`). */
  from?: string
  to?: string
}

/** What is exported: an AI Task Builder batch or a collection. */
export type ExportKind = 'batch' | 'collection'

/** Every input, read once and validated before any request is made. */
export interface Settings {
  kind: ExportKind
  /** The batch or collection whose export is requested. */
  targetId: string
  /** Free full export-job slots by deleting the oldest finished jobs, when the API refuses a POST for that. */
  pruneExports: boolean
  /** Prolific API token; registered as a secret before anything can print it. */
  token: string
  /** API base URL without a trailing slash. */
  apiUrl: URL
  filter: ExportFilter
  /** Absolute path where the validated ZIP ends up. */
  zipPath: string
  /** Deadline for request, polling, download and validation. */
  timeoutMs: number
  pollIntervalMs: number
  /** Absolute folder to unpack into, or undefined when `extract` is false. */
  extractPath: string | undefined
  /** Fewer submission records than this fails the step (after outputs are set). */
  minSubmissions: number
  /** A task with fewer responses than this fails the step (after outputs are set); 0 for none. */
  minResponsesPerTask: number
  /** `from: last-run`: `filter.from` and `filter.to` are settled from the state file before the request. */
  fromLastRun: boolean
  /** Expected-but-unconfirmed archive shape becomes an error instead of a warning. */
  strict: boolean
  /** Artifact to upload, or undefined when `upload-artifact` is false. */
  artifact: ArtifactRequest | undefined
  /** Delete the export job this run created once the archive is safe. */
  deleteExport: boolean
  /** The `content-digest` of the last stored export: an equal one is not uploaded again. */
  previousDigest: string | undefined
  /** Analysis-ready tables to make beside the ZIP (`tables`), or undefined for none. */
  tables: TablesRequest | undefined
  /** Decompression-bomb limits (`max-uncompressed-size`, `max-compression-ratio`). */
  archiveLimits: {
    maxUncompressedBytes: number
    maxRatio: number
  }
}
