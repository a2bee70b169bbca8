import { describe, expect, it } from 'vitest'
import { Deadline } from '../src/deadline.ts'
import { DeadlineError, HttpError } from '../src/errors.ts'
import { retryAfterMs } from '../src/http.ts'
import { backoffMs, classify, withRetry } from '../src/retry.ts'
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
