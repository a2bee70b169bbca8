import type { Clock } from './clock.ts'
import { DeadlineError, messageOf } from './errors.ts'

/**
 * The `timeout` input as one object: the moment it passes on the injected clock (for back-off
 * and poll decisions) and an AbortSignal on real time (to cut off IO that hangs).
 */
export class Deadline {
  readonly signal: AbortSignal
  private readonly expiresAt: number
  private readonly clock: Clock
  private readonly timeoutMs: number
  private readonly cancel: AbortSignal | undefined

  /** `cancel` aborts everything early too: the runner's SIGINT/SIGTERM when a job is cancelled. */
  constructor(clock: Clock, timeoutMs: number, cancel?: AbortSignal) {
    this.clock = clock
    this.timeoutMs = timeoutMs
    this.cancel = cancel
    this.expiresAt = clock.now() + timeoutMs
    const timeout = AbortSignal.timeout(timeoutMs)
    this.signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - this.clock.now())
  }

  /** Waits `ms`, or fails at once when the wait would end past the deadline. */
  async sleep(ms: number, during: string, lastError?: unknown): Promise<void> {
    if (this.signal.aborted) throw this.expired(during, lastError)
    if (ms >= this.remainingMs()) throw this.wouldPass(ms, during, lastError)
    try {
      await this.clock.sleep(ms, this.signal)
    } catch (error) {
      throw this.expired(during, lastError ?? error)
    }
  }

  /** Failing now beats sleeping into the deadline: say so, not that it passed already. */
  private wouldPass(ms: number, during: string, lastError?: unknown): DeadlineError {
    const last = lastError === undefined ? '' : ` The last error was: ${messageOf(lastError)}`
    return new DeadlineError(
      `Waiting ${formatDuration(ms)} more while ${during} would pass the timeout of ${formatDuration(this.timeoutMs)} ` +
        `(${formatDuration(this.remainingMs())} left), so the step stops now.${last} ` +
        'Raise the `timeout` input if the export is large, or run the workflow again later.',
    )
  }

  expired(during: string, lastError?: unknown): DeadlineError {
    if (this.cancel?.aborted) {
      return new DeadlineError(`The step was cancelled while ${during}; no partial download was kept.`)
    }
    const last = lastError === undefined ? '' : ` The last error was: ${messageOf(lastError)}`
    return new DeadlineError(
      `The timeout of ${formatDuration(this.timeoutMs)} passed while ${during}.${last} ` +
        'Raise the `timeout` input if the export is large, or run the workflow again later.',
    )
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  const seconds = ms / 1000
  if (seconds < 120) return `${Number(seconds.toFixed(1))}s`
  const minutes = seconds / 60
  if (minutes < 120) return `${Number(minutes.toFixed(1))}m`
  return `${Number((minutes / 60).toFixed(1))}h`
}
