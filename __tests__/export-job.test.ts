import { afterEach, describe, expect, it } from 'vitest'
import { DeadlineError, ExportFailedError, HttpError } from '../src/core/errors.ts'
import { harness } from '../test-support/client-harness.ts'
import { type FakeProlific, type FakeProlificOptions, startFakeProlific } from '../test-support/fake-prolific.ts'

let fake: FakeProlific | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function start(options: FakeProlificOptions = {}) {
  fake = await startFakeProlific(options)
  return fake
}

const routes = (f: FakeProlific) => f.requests.map((r) => r.route)

describe('ExportJob against the newer API (202 and a job id)', () => {
  it('requests, polls every poll-interval until complete, and masks the URL', async () => {
    const f = await start({ pollsUntilComplete: 3 })
    const h = harness(f.url)
    const ready = await h.job.ready()
    expect(routes(f)).toEqual(['request', 'poll', 'poll', 'poll', 'poll'])
    expect(h.clock.sleeps).toEqual([3000, 3000, 3000, 3000])
    expect(ready.reused).toBe(false)
    expect(ready.exportId).toBe(f.jobs()[0]?.exportId)
    expect(h.job.createdIds()).toEqual([ready.exportId])
    expect(h.masked).toContain(ready.url.href)
    expect(h.masked).toContain(ready.url.searchParams.get('X-Amz-Signature'))
    expect(f.requests.every((r) => r.authorization === 'Token test-token')).toBe(true)
  })

  it('passes study-id, from and to as query parameters', async () => {
    const f = await start()
    const filter = { studyId: 'study1', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }
    await harness(f.url, { filter }).job.ready()
    expect(f.requests[0]?.query).toEqual({ study_id: 'study1', from: filter.from, to: filter.to })
  })

  it('requests a failed export again, at most twice more, then says so', async () => {
    const f = await start()
    const failed = { status: 200, body: { status: 'failed' } }
    f.script('poll', failed, failed, failed)
    const error = await harness(f.url)
      .job.ready()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ExportFailedError)
    expect(String(error)).toMatch(/failed 3 times in a row/)
    expect(routes(f).filter((r) => r === 'request')).toHaveLength(3)
  })

  it('requests a failed export again at once: the only waits are the poll interval, never a back-off', async () => {
    const f = await start()
    f.script('poll', { status: 200, body: { status: 'failed' } })
    const h = harness(f.url)
    await h.job.ready()
    expect(routes(f)).toEqual(['request', 'poll', 'request', 'poll', 'poll'])
    expect(h.clock.sleeps).toEqual([3000, 3000, 3000])
    expect(h.log.join('\n')).toMatch(/Prolific reported export [0-9a-f-]+ as failed; requesting it again\./)
    expect(h.log.join('\n')).not.toMatch(/retrying in/)
  })

  it('recovers when a re-requested export succeeds', async () => {
    const f = await start({ failJobs: 1 })
    const h = harness(f.url)
    const ready = await h.job.ready()
    expect(routes(f).filter((r) => r === 'request')).toHaveLength(2)
    expect(h.job.createdIds()).toHaveLength(2) // both slots get freed afterwards
    expect(ready.exportId).toBe(h.job.createdIds()[1])
  })

  it('refreshes an expired URL by polling the job again', async () => {
    const f = await start()
    const h = harness(f.url)
    const first = await h.job.ready()
    const second = await h.job.refresh(first)
    expect(second.url.href).not.toBe(first.url.href)
    expect(routes(f).at(-1)).toBe('poll')
  })

  it('gives up at the deadline while the export never finishes', async () => {
    const f = await start({ pollsUntilComplete: 1_000_000 })
    const error = await harness(f.url, { timeoutMs: 20_000 })
      .job.ready()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineError)
    expect(String(error)).toMatch(/while waiting for Prolific to generate export .* would pass the timeout of 20s/)
    expect(routes(f).filter((r) => r === 'poll').length).toBe(6)
  })
})

describe('ExportJob against the older API (200 with a finished export)', () => {
  it('takes the finished export at once: reused, no job id, nothing to delete', async () => {
    const f = await start({ generation: 'v1', existing: true })
    const h = harness(f.url)
    const ready = await h.job.ready()
    expect(ready).toMatchObject({ reused: true, exportId: '' })
    expect(h.job.createdIds()).toEqual([])
    expect(routes(f)).toEqual(['request'])
  })

  it('refreshes a URL without a job id by posting again', async () => {
    const f = await start({ generation: 'v1', existing: true })
    const h = harness(f.url)
    await h.job.refresh(await h.job.ready())
    expect(routes(f)).toEqual(['request', 'request'])
  })
})

describe('ProlificClient errors', () => {
  it.each([
    [401, { token: 'wrong' }, 'batch1', /HTTP 401 .*Unauthorized: Invalid token\. Check that the token secret/],
    [
      403,
      {},
      'forbidden',
      /HTTP 403 .*Forbidden: You do not have workspace access to this batch\. The token's account/,
    ],
    [404, {}, 'missing', /HTTP 404 .*Not found: Batch not found\. Check 'batch-id'/],
  ])('HTTP %d fails at once with the API own words', async (status, options, batchId, message) => {
    const f = await start()
    const error = await harness(f.url, { ...options, batchId })
      .job.ready()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(status)
    expect(String(error)).toMatch(message)
    expect(f.requests).toHaveLength(1)
  })

  it('retries 429 (honouring Retry-After) and 5xx, then succeeds', async () => {
    const f = await start()
    f.script(
      'request',
      { status: 429, body: { message: 'Too many requests' }, headers: { 'Retry-After': '4' } },
      { status: 503, body: 'upstream down' },
      { destroy: true, status: 0 },
    )
    const h = harness(f.url)
    await h.job.ready()
    expect(routes(f).filter((r) => r === 'request')).toHaveLength(4)
    expect(h.clock.sleeps.slice(0, 3)).toEqual([4000, 1500, 3000])
    expect(h.log.join('\n')).toMatch(/HTTP 429.*Too many requests.*retrying in 4\.0s/)
  })

  it('refuses a 200 body it does not understand, without retrying', async () => {
    const f = await start()
    f.script('request', { status: 200, body: { status: 'done', link: 'x' } })
    const error = await harness(f.url)
      .job.ready()
      .catch((e: unknown) => e)
    expect(String(error)).toMatch(/export status this action does not understand \(status: /)
    expect(f.requests).toHaveLength(1)
  })

  it('treats a 404/405 on delete as a server without that route', async () => {
    const old = await start({ generation: 'v1' })
    const h = harness(old.url)
    const ready = await h.job.ready()
    await expect(h.client.deleteExport('batch1', ready.exportId)).resolves.toBe('unsupported')
  })

  it('deletes a finished job on the newer API', async () => {
    const f = await start()
    const h = harness(f.url)
    const ready = await h.job.ready()
    await expect(h.client.deleteExport('batch1', ready.exportId)).resolves.toBe('deleted')
    expect(f.jobs()[0]?.deleted).toBe(true)
  })
})

describe('export-job slots (newer API: at most 10 per batch)', () => {
  async function fillSlots(f: FakeProlific) {
    // Ten finished jobs, created one after the other (distinct filters keep them apart).
    for (let i = 0; i < 10; i++) {
      await harness(f.url, { filter: { studyId: `study${i}` } }).job.ready()
    }
  }

  it('fails, saying how to free a slot, when all are taken and prune-exports is off', async () => {
    const f = await start()
    await fillSlots(f)
    const error = await harness(f.url)
      .job.ready()
      .catch((e: unknown) => e)
    expect(String(error)).toMatch(/HTTP 409 .*limit of 10 export jobs.*no free export-job slot.*'prune-exports: true'/)
    expect(f.jobs().filter((job) => job.deleted)).toEqual([])
  })

  it('with prune-exports, deletes only the oldest finished job and requests once more', async () => {
    const f = await start()
    await fillSlots(f)
    const oldest = f.jobs()[0]?.exportId
    const h = harness(f.url, { pruneExports: true })
    const ready = await h.job.ready()
    expect(
      f
        .jobs()
        .filter((job) => job.deleted)
        .map((job) => job.exportId),
    ).toEqual([oldest])
    expect(ready.exportId).toBe(f.jobs().at(-1)?.exportId)
    expect(h.log.join('\n')).toMatch(/Deleted 1 finished export job\(s\) of 10 to free a slot/)
    expect(routes(f).slice(-6)).toEqual(['request', 'list', 'delete', 'request', 'poll', 'poll'])
  })

  it('prunes once only: still full after pruning, it fails with the API refusal as it answered', async () => {
    const f = await start()
    await fillSlots(f)
    const full = { status: 409, body: { error: { status: 409, title: 'Conflict', detail: 'Export limit reached.' } } }
    f.script('request', full, full)
    const error = await harness(f.url, { pruneExports: true })
      .job.ready()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(409)
    expect(String(error)).toMatch(/HTTP 409 .*Export limit reached/)
    expect(String(error)).not.toMatch(/no free export-job slot/)
    expect(routes(f).slice(-4)).toEqual(['request', 'list', 'delete', 'request'])
    expect(f.jobs().filter((job) => job.deleted)).toHaveLength(1)
  })

  it('recognises a refusal worded "at most 10 export jobs" (400) as full slots', async () => {
    const f = await start()
    await fillSlots(f)
    f.script('request', {
      status: 400,
      body: { error: { status: 400, title: 'Bad request', detail: 'A batch can have at most 10 export jobs.' } },
    })
    const ready = await harness(f.url, { pruneExports: true }).job.ready()
    expect(ready.exportId).toBe(f.jobs().at(-1)?.exportId)
    expect(f.jobs().filter((job) => job.deleted)).toHaveLength(1)
  })

  it('counts a job without a date as the oldest: [new, undated, old] loses the undated one', async () => {
    let undated: unknown
    const f = await start({
      rewriteList: (jobs) =>
        jobs.map((job, i) => {
          if (i !== 1) return job
          undated = job.export_id
          return { ...job, created_at: undefined }
        }),
    })
    await fillSlots(f)
    await harness(f.url, { pruneExports: true }).job.ready()
    expect(
      f
        .jobs()
        .filter((job) => job.deleted)
        .map((job) => job.exportId),
    ).toEqual([undated])
  })

  it('says prune-exports cannot free a slot where the API cannot delete jobs, and deletes nothing', async () => {
    const f = await start()
    await fillSlots(f)
    f.script('delete', { status: 405, body: { error: { status: 405, title: 'Method not allowed' } } })
    const h = harness(f.url, { pruneExports: true })
    const error = await h.job.ready().catch((e: unknown) => e)
    expect(String(error)).toMatch(/no route to delete export jobs, so 'prune-exports' cannot free one/)
    expect(h.log.join('\n')).not.toMatch(/Deleted/)
  })

  it('never deletes a generating job', async () => {
    const f = await start({ pollsUntilComplete: 1_000_000 })
    for (let i = 0; i < 10; i++)
      await harness(f.url, { filter: { studyId: `s${i}` } }).client.requestExport('batch1', { studyId: `s${i}` })
    const error = await harness(f.url, { pruneExports: true })
      .job.ready()
      .catch((e: unknown) => e)
    expect(String(error)).toMatch(/all 10 of its jobs are still generating/)
    expect(f.jobs().filter((job) => job.deleted)).toEqual([])
  })
})
