import type { Deadline } from './deadline.ts'
import {
  DeadlineError,
  ExportJobFailed,
  HttpError,
  LinkRefused,
  messageOf,
  NoFreeSlot,
  RangeNotHonoured,
  TransferInterrupted,
} from './errors.ts'

/**
 * The one retry policy: every API call and the download go through `withRetry`, and so do the
 * steps that renew what went stale (the download link, a failed export job, a full slot list).
 */
export interface RetryPolicy {
  deadline: Deadline
  /** Where retries are reported (core.info in the action). */
  log: (message: string) => void
  /** First back-off; it doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number
  maxDelayMs?: number
  /** Injected so tests can pin the jitter. */
  random?: () => number
  /** Attempts at most, besides the deadline (default: as many as the deadline allows). */
  maxAttempts?: number
}

/** Network failures that say nothing about the request itself: worth another try. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  // undici's own, when it notices a body shorter than its Content-Length.
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
])

export interface RetryDecision {
  /** Try the same again after a back-off. */
  retry: boolean
  afterMs?: number
  /** Try again, with no back-off, once the caller's renewal step has run: waiting would not help. */
  renew?: boolean
}

export function classify(error: unknown): RetryDecision {
  // The request was fine; the transfer was not. The next attempt resumes or starts over.
  if (error instanceof RangeNotHonoured) return { retry: true, afterMs: error.retryAfterMs }
  if (error instanceof TransferInterrupted) return { retry: true }
  if (error instanceof LinkRefused || error instanceof ExportJobFailed || error instanceof NoFreeSlot) {
    return { retry: false, renew: true }
  }
  if (error instanceof HttpError) {
    const transient = error.status === 408 || error.status === 429 || error.status >= 500
    return transient ? { retry: true, afterMs: error.retryAfterMs } : { retry: false }
  }
  return { retry: TRANSIENT_CODES.has(errorCode(error)) }
}

/** What a caller does about one kind of renewable failure, and how often. */
export interface Renewal<E extends Error> {
  /** The failure this step answers; `classify` must call it renewable. */
  of: new (...args: never[]) => E
  /** Renewals at most in one `withRetry`. Each one starts the count of `maxAttempts` over. */
  limit: number
  /** Runs before the next attempt; `renewals` counts this one. */
  renew: (failure: E, renewals: number) => Promise<void>
  /** What to throw instead of the `limit + 1`th failure (`renewals` made so far). */
  exhausted: (failure: E, renewals: number) => unknown
}

function errorCode(error: unknown): string {
  let current: unknown = error
  // undici wraps the socket error in `cause`; look a few levels down.
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return code
    current = current.cause
  }
  return ''
}

export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const base = policy.baseDelayMs ?? 1000
  const max = policy.maxDelayMs ?? 30_000
  const ceiling = Math.min(max, base * 2 ** (attempt - 1))
  // "Equal jitter": never less than half the ceiling, so a storm of runs spreads out
  // without any of them hammering the API with a zero wait.
  return ceiling / 2 + (policy.random ?? Math.random)() * (ceiling / 2)
}

/**
 * Runs `attempt` until it succeeds, fails permanently, or the deadline would pass before the
 * next try. `Retry-After` lengthens the computed back-off, never shortens it. A renewable failure
 * of `renewal`'s kind runs its step and tries again at once, at most `renewal.limit` times.
 */
export async function withRetry<T, E extends Error = never>(
  what: string,
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  renewal?: Renewal<E>,
): Promise<T> {
  let renewals = 0
  for (let tries = 1; ; tries++) {
    try {
      return await attempt()
    } catch (error) {
      // A DeadlineError from within (a poll's wait, a nested call) already says what timed out.
      if (policy.deadline.signal.aborted)
        throw error instanceof DeadlineError ? error : policy.deadline.expired(what, error)
      const decision = classify(error)
      if (decision.renew && renewal && error instanceof renewal.of) {
        if (renewals >= renewal.limit) throw renewal.exhausted(error, renewals)
        await renewal.renew(error, ++renewals)
        tries = 0 // what was renewed gets the whole count of attempts
        continue
      }
      if (!decision.retry || tries >= (policy.maxAttempts ?? Infinity)) throw error
      // Retry-After may lengthen a wait, never shorten it: `0` or a past date would otherwise
      // turn the retries into a burst.
      const waitMs = Math.max(decision.afterMs ?? 0, backoffMs(tries, policy))
      policy.log(`${capitalise(what)} failed (${messageOf(error)}); retrying in ${(waitMs / 1000).toFixed(1)}s.`)
      await policy.deadline.sleep(waitMs, what, error)
    }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
