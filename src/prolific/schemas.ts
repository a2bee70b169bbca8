import { z } from 'zod'

/**
 * Export job responses, as Prolific's OpenAPI description gives them (BatchExportStatus
 * oneOf). Unknown extra fields are tolerated: the API may add some without notice.
 */
/**
 * An export job's id: a UUID, as the OpenAPI description says (`format: uuid`). It goes into
 * request paths and log lines, so nothing else is accepted: `..` or a runner command in its
 * place would change which resource a DELETE names, or what the log does.
 */
const ExportId = z.guid()

/** `expires_at` is informational: a value that is not a date-time is dropped, never shown. */
const ExpiresAt = z.iso
  .datetime({ offset: true, local: true })
  .optional()
  .catch(() => undefined)

export const Generating = z.object({
  status: z.literal('generating'),
  export_id: ExportId,
})

export const Complete = z.object({
  status: z.literal('complete'),
  // Any scheme parses: the download refuses what is not https with a message that says so.
  url: z.url(),
  expires_at: ExpiresAt,
  // Not in the spec for this state, but kept when a newer API sends it.
  export_id: ExportId.optional(),
})

export const Failed = z.object({
  status: z.literal('failed'),
  export_id: ExportId.optional(),
})

export const ExportStatus = z.discriminatedUnion('status', [Generating, Complete, Failed])
export type ExportStatus = z.infer<typeof ExportStatus>

/** GET …/export (newer API): every job of a batch or collection, most recent first. */
export const ExportJobList = z.array(
  z.object({
    export_id: ExportId,
    status: z.string(),
    created_at: z.string().optional(),
  }),
)
export type ExportJobSummary = z.infer<typeof ExportJobList>[number]

const Detail = z.union([z.string(), z.array(z.string()), z.record(z.string(), z.unknown())])

/** `{"error": {...}}`, the body most endpoints answer errors with. */
export const NestedErrorBody = z.object({
  error: z.object({
    status: z.number().optional(),
    error_code: z.number().optional(),
    title: z.string().optional(),
    detail: Detail.optional(),
    additional_information: z.string().optional(),
  }),
})

/** `{"message": ..., "detail": ...}`, which some endpoints answer instead. */
export const FlatErrorBody = z.object({
  title: z.string().optional(),
  message: z.string().optional(),
  detail: Detail.optional(),
})
