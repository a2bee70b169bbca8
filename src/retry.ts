import type { Deadline } from './deadline.ts'
import { HttpError, messageOf } from './errors.ts'

/** The one retry policy: every API call and the download go through `withRetry`. */
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
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
])

export interface RetryDecision {
  retry: boolean
  afterMs?: number
}

export function classify(error: unknown): RetryDecision {
  if (error instanceof HttpError) {
    const transient = error.status === 408 || error.status === 429 || error.status >= 500
    return transient ? { retry: true, afterMs: error.retryAfterMs } : { retry: false }
  }
  return { retry: TRANSIENT_CODES.has(errorCode(error)) }
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
 * next try. `Retry-After` lengthens the computed back-off, never shortens it.
 */
export async function withRetry<T>(what: string, attempt: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt()
    } catch (error) {
      if (policy.deadline.signal.aborted) throw policy.deadline.expired(what, error)
      const decision = classify(error)
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
