// The action says who it is to the Prolific API, as Prolific asks of API clients (its own CLI
// sends prolific-oss/cli/<version>), and to no one else: a presigned download gets no headers
// of ours but Range and If-Range, so nothing it carries can change what the URL signs.
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import { type FakeProlific, type RecordedRequest, startFakeProlific } from '../test-support/fake-prolific.ts'
import { runInProcess } from '../test-support/run-in-process.ts'

const TOKEN = 'ua-token-5b4a39281706'
// Read here, not imported from src/, so the test does not take the code's word for it.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
const USER_AGENT = `prolific-export-action/${version}`
/** What undici itself puts on a request; everything else on a download would be ours. */
const TRANSPORT_HEADERS = ['host', 'connection']

let fake: FakeProlific | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

/** Ten finished export jobs of the batch, so the next request finds every slot taken. */
async function fillSlots(f: FakeProlific): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const url = `${f.url}/api/v1/data-collection/batches/${EXPORT_BATCH_ID}/export?study_id=filler${i}`
    const reply = await fetch(url, { method: 'POST', headers: { authorization: `Token ${TOKEN}` } })
    expect(reply.status).toBe(202)
  }
  for (const job of f.jobs()) f.setJobStatus(job.exportId, 'complete')
}

const routesOf = (requests: RecordedRequest[]): string[] => requests.map((r) => r.route)

describe('User-Agent', () => {
  it(`is ${USER_AGENT} on every API call, and absent from every presigned download`, async () => {
    fake = await startFakeProlific({ token: TOKEN })
    await fillSlots(fake)
    const seen = fake.requests.length
    // A cut download resumes with Range/If-Range; an expired link is refreshed through the job.
    fake.downloadFault({ cutAfter: 100 }, { expired: true })
    fake.script('poll', { status: 503, body: { error: { status: 503, title: 'Unavailable' } } })
    const run = await runInProcess({
      inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '10ms', 'prune-exports': 'true' },
      env: { PROLIFIC_TOKEN: TOKEN },
    })
    expect(run.code, run.stdout).toBe(0)
    const requests = fake.requests.slice(seen)
    // Every kind of API call the action makes, and downloads of each kind: first, resumed, refreshed.
    expect(new Set(routesOf(requests))).toEqual(new Set(['request', 'list', 'delete', 'poll', 'download']))
    const [api, downloads] = [
      requests.filter((r) => r.route !== 'download'),
      requests.filter((r) => r.route === 'download'),
    ]
    expect(api.map((r) => [r.method, r.route, r.userAgent])).toEqual(api.map((r) => [r.method, r.route, USER_AGENT]))
    expect(downloads.length).toBeGreaterThanOrEqual(3)
    expect(downloads.some((r) => r.headers.range !== undefined && r.headers['if-range'] !== undefined)).toBe(true)
    for (const download of downloads) {
      expect(download.userAgent).toBeUndefined()
      const ours = Object.keys(download.headers).filter((name) => !TRANSPORT_HEADERS.includes(name))
      expect(ours.filter((name) => name !== 'range' && name !== 'if-range')).toEqual([])
    }
  })
})
