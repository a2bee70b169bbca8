/**
 * Typed failures. Helpers throw these; only run() turns them into a failed step, so every
 * message here is written for the researcher reading the job log: the cause, the thing at
 * fault and what to do.
 */
export class ActionError extends Error {
  override name = 'ActionError'
}

/** An input that cannot be used, found before any request is made. */
export class InputError extends ActionError {
  override name = 'InputError'
}

/** The Prolific API, or the storage behind a download URL, answered with an error. */
export class HttpError extends ActionError {
  override name = 'HttpError'
  readonly status: number
  /** Seconds or an HTTP date from `Retry-After`, already turned into milliseconds. */
  readonly retryAfterMs: number | undefined

  constructor(message: string, status: number, retryAfterMs?: number) {
    super(message)
    this.status = status
    this.retryAfterMs = retryAfterMs
  }
}

/**
 * The connection to the API or the storage failed below HTTP: TLS, a proxy, DNS, a response
 * that is not valid HTTP. `cause` keeps undici's error, whose code decides whether to retry.
 */
export class NetworkError extends ActionError {
  override name = 'NetworkError'
}

/** The archive is not a valid, safe Prolific export. */
export class ArchiveError extends ActionError {
  override name = 'ArchiveError'
}

/** The export job itself failed on Prolific's side, more often than we retry. */
export class ExportFailedError extends ActionError {
  override name = 'ExportFailedError'
}

/*
 * Failures the retry policy (src/core/retry.ts) classifies by their type. The transient ones are
 * retried after a back-off; the renewable ones are tried again once the caller's renewal step
 * has run (a fresh link, a new export job, a freed slot).
 */

/** A resumed download got bytes it cannot use: a 206 for another range than asked, or a 416. Transient: the transfer starts over. */
export class RangeNotHonoured extends HttpError {
  override name = 'RangeNotHonoured'
}

/**
 * The body ended before its Content-Length and undici did not notice. Transient: the next attempt
 * resumes or restarts; after the last one, its message is the step's.
 */
export class TransferInterrupted extends ActionError {
  override name = 'TransferInterrupted'

  constructor(bytes: number, total: number) {
    super(
      `The download ended after ${bytes} of ${total} bytes: the connection closed early. Run the workflow ` +
        'again; if it keeps happening, check any proxy between the runner and the storage.',
    )
  }
}

/** The storage refused the download link (HTTP 403: expired, or not valid for this request). Renewable: a fresh link. */
export class LinkRefused extends HttpError {
  override name = 'LinkRefused'
}

/** One export job ended `failed` (the API gives no reason). Renewable: the export is requested again. */
export class ExportJobFailed extends ActionError {
  override name = 'ExportJobFailed'
  /** The failed job's id, or '' where the API gave none. */
  readonly exportId: string

  constructor(exportId: string) {
    super(`Prolific reported export ${exportId || '(no id)'} as failed`)
    this.exportId = exportId
  }
}

/** The export request was refused because every export-job slot is taken. Renewable where pruning is allowed. */
export class NoFreeSlot extends ActionError {
  override name = 'NoFreeSlot'
  /** The API's refusal, as it answered. */
  readonly refusal: HttpError

  constructor(refusal: HttpError) {
    super(refusal.message, { cause: refusal })
    this.refusal = refusal
  }
}

/** The `timeout` input's deadline passed. */
export class DeadlineError extends ActionError {
  override name = 'DeadlineError'
}

/** The artifact upload failed after the archive was safely on disk. */
export class UploadError extends ActionError {
  override name = 'UploadError'
}

/** What no typed failure describes: a bug. The message says so and asks for a report. */
export class UnexpectedError extends ActionError {
  override name = 'UnexpectedError'

  constructor(cause: unknown) {
    super(`Unexpected error: ${messageOf(cause)}. Please report it.`, { cause })
  }
}

/** A message for any thrown value, never the stack: the stack is for `core.debug`. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
