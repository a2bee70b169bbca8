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

/** The `timeout` input's deadline passed. */
export class DeadlineError extends ActionError {
  override name = 'DeadlineError'
}

/** The artifact upload failed after the archive was safely on disk. */
export class UploadError extends ActionError {
  override name = 'UploadError'
}

/** A message for any thrown value, never the stack: the stack is for `core.debug`. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
