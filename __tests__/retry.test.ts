import { describe, expect, it } from 'vitest'
import { Deadline } from '../src/core/deadline.ts'
import {
  DeadlineError,
  ExportJobFailed,
  HttpError,
  LinkRefused,
  NoFreeSlot,
  RangeNotHonoured,
  TransferInterrupted,
} from '../src/core/errors.ts'
import { retryAfterMs } from '../src/core/http.ts'
import { backoffMs, classify, type Renewal, withRetry } from '../src/core/retry.ts'
import { fakeClock } from '../test-support/fake-clock.ts'

function policy(timeoutMs = 600_000) {
  const clock = fakeClock()
  const log: string[] = []
  return {
    clock,
    log,
    policy: { deadline: new Deadline(clock, timeoutMs), log: (m: string) => log.push(m), random: () => 0.5 },
  }
}

function failing(...errors: unknown[]) {
  let calls = 0
  const attempt = async () => {
    const error = errors[calls++]
    if (error) throw error
    return 'done'
  }
  return { attempt, calls: () => calls }
}

const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })

describe('classify', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %d', (status) =>
    expect(classify(new HttpError('x', status)).retry).toBe(true),
  )
  it.each([400, 401, 403, 404, 409, 410, 422])('never retries HTTP %d', (status) =>
    expect(classify(new HttpError('x', status)).retry).toBe(false),
  )
  it('retries resets and timeouts, also when undici wraps them', () => {
    expect(classify(reset()).retry).toBe(true)
    expect(classify(new Error('fetch failed', { cause: reset() })).retry).toBe(true)
    expect(classify(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' })).retry).toBe(true)
  })
  it('does not retry programming errors or unknown hosts', () => {
    expect(classify(new TypeError('x')).retry).toBe(false)
    expect(classify(Object.assign(new Error('x'), { code: 'ENOTFOUND' })).retry).toBe(false)
  })
})

describe('classify: what the error is, not what it is dressed as', () => {
  it('retries a range the server would not honour (206 elsewhere, 416), keeping its Retry-After', () => {
    expect(classify(new RangeNotHonoured('x', 416, 2000))).toEqual({ retry: true, afterMs: 2000 })
    expect(classify(new RangeNotHonoured('x', 206))).toEqual({ retry: true, afterMs: undefined })
    // The same statuses without the type are the request's fault.
    expect(classify(new HttpError('x', 416)).retry).toBe(false)
    expect(classify(new HttpError('x', 206)).retry).toBe(false)
  })
  it('retries a body cut short by its type; the same words as a plain Error are not retried', () => {
    expect(classify(new TransferInterrupted(1, 2)).retry).toBe(true)
    expect(classify(new Error('the download ended after 1 of 2 bytes')).retry).toBe(false)
  })
  it('calls a refused link, a failed export job and full slots renewable, never retryable', () => {
    const renewable = [new LinkRefused('x', 403), new ExportJobFailed('e'), new NoFreeSlot(new HttpError('x', 409))]
    for (const error of renewable) expect(classify(error)).toEqual({ retry: false, renew: true })
    expect(classify(new HttpError('x', 403))).toEqual({ retry: false })
  })
})

describe('withRetry with a renewal step', () => {
  const refusals = (count: number) => Array.from({ length: count }, () => new LinkRefused('refused', 403))
  function renewal(renewed: number[], limit = 2): Renewal<LinkRefused> {
    return {
      of: LinkRefused,
      limit,
      renew: async (_, renewals) => void renewed.push(renewals),
      exhausted: (failure, renewals) => new Error(`${failure.message} ${renewals + 1} times`),
    }
  }

  it('renews at once, with no back-off, until an attempt succeeds', async () => {
    const { clock, log, policy: p } = policy()
    const renewed: number[] = []
    const { attempt, calls } = failing(...refusals(2))
    await expect(withRetry('x', attempt, p, renewal(renewed))).resolves.toBe('done')
    expect([calls(), renewed, clock.sleeps, log]).toEqual([3, [1, 2], [], []])
  })

  it('throws what `exhausted` makes of the failure past the limit', async () => {
    const renewed: number[] = []
    const { attempt, calls } = failing(...refusals(3))
    await expect(withRetry('x', attempt, policy().policy, renewal(renewed))).rejects.toThrow('refused 3 times')
    expect([calls(), renewed]).toEqual([3, [1, 2]])
  })

  it('gives what was renewed the whole count of attempts again', async () => {
    const { clock, policy: p } = policy()
    const busy = () => new HttpError('busy', 503)
    const { attempt, calls } = failing(busy(), new LinkRefused('refused', 403), busy())
    await withRetry('x', attempt, { ...p, maxAttempts: 2 }, renewal([]))
    expect(calls()).toBe(4)
    expect(clock.sleeps).toEqual([750, 750])
  })

  it('does not renew a renewable failure of another kind, nor any without a renewal step', async () => {
    const failed = new ExportJobFailed('e')
    await expect(withRetry('x', failing(failed).attempt, policy().policy, renewal([]))).rejects.toBe(failed)
    const refused = new LinkRefused('refused', 403)
    await expect(withRetry('x', failing(refused).attempt, policy().policy)).rejects.toBe(refused)
  })

  it('once the deadline has passed, keeps a DeadlineError from within as it is and wraps anything else', async () => {
    const cancel = new AbortController()
    const p = { deadline: new Deadline(fakeClock(), 600_000, cancel.signal), log: () => undefined }
    cancel.abort()
    const inner = new DeadlineError('The step was cancelled while polling the export.')
    await expect(withRetry('requesting the export', failing(inner).attempt, p)).rejects.toBe(inner)
    await expect(withRetry('requesting the export', failing(reset()).attempt, p)).rejects.toThrow(
      'The step was cancelled while requesting the export',
    )
  })
})

describe('withRetry', () => {
  it('retries transient failures with growing, jittered waits until one succeeds', async () => {
    const { clock, log, policy: p } = policy()
    const { attempt, calls } = failing(new HttpError('busy', 503), reset(), new HttpError('busy', 500))
    await expect(withRetry('polling the export', attempt, p)).resolves.toBe('done')
    expect(calls()).toBe(4)
    expect(clock.sleeps).toEqual([750, 1500, 3000])
    expect(log[0]).toMatch(/^Polling the export failed \(busy\); retrying in 0\.8s\.$/)
  })

  it('fails at once on a permanent error', async () => {
    const { clock, policy: p } = policy()
    const { attempt, calls } = failing(new HttpError('no', 401))
    await expect(withRetry('x', attempt, p)).rejects.toThrow('no')
    expect(calls()).toBe(1)
    expect(clock.sleeps).toEqual([])
  })

  it('honours Retry-After over its own back-off', async () => {
    const { clock, policy: p } = policy()
    const { attempt } = failing(new HttpError('slow down', 429, 7000))
    await withRetry('x', attempt, p)
    expect(clock.sleeps).toEqual([7000])
  })

  it('never waits less than its own back-off, whatever Retry-After says (0, a past date)', async () => {
    const { clock, policy: p } = policy()
    const past = retryAfterMs(new Date(clock.now() - 60_000).toUTCString(), clock.now())
    const { attempt, calls } = failing(
      new HttpError('busy', 503, retryAfterMs('0', clock.now())),
      new HttpError('busy', 503, past),
      new HttpError('busy', 429, 0),
    )
    await withRetry('requesting the export', attempt, p)
    expect(calls()).toBe(4)
    expect(clock.sleeps).toEqual([750, 1500, 3000])
  })

  it('stops when the next wait would pass the deadline, naming the last error', async () => {
    const { clock, policy: p } = policy(10_000)
    const errors = Array.from({ length: 50 }, () => new HttpError('HTTP 503 from Prolific', 503))
    const { attempt, calls } = failing(...errors)
    const failure = await withRetry('requesting the export', attempt, p).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(DeadlineError)
    expect(String(failure)).toMatch(
      /Waiting 6s more while requesting the export would pass the timeout of 10s \(4\.8s left\).*HTTP 503 from Prolific/,
    )
    expect(calls()).toBe(4) // waits of 750 + 1500 + 3000; the next (6000) would pass 10 s
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(10_000)
  })

  it('caps the back-off', () => {
    const p = { deadline: new Deadline(fakeClock(), 1), log: () => undefined, random: () => 1 }
    expect(backoffMs(30, p)).toBe(30_000)
  })
})

describe('Deadline', () => {
  it('a cancel signal aborts it and says the step was cancelled', async () => {
    const cancel = new AbortController()
    const deadline = new Deadline(fakeClock(), 600_000, cancel.signal)
    expect(deadline.signal.aborted).toBe(false)
    cancel.abort()
    expect(deadline.signal.aborted).toBe(true)
    await expect(deadline.sleep(10, 'polling the export')).rejects.toThrow(
      'The step was cancelled while polling the export; no partial download was kept.',
    )
  })
})
