import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { MockAgent } from 'undici'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { downloadArchive } from '../src/download/download.ts'
import { DownloadProgress, progressSink } from '../src/download/download-sink.ts'
import { HashWorker } from '../src/download/hash-worker.ts'
import { buildExportArchive } from '../test-support/export-archive.ts'
import { harness } from '../test-support/client-harness.ts'
import { type FakeProlific, type FakeProlificOptions, startFakeProlific } from '../test-support/fake-prolific.ts'

const dir = mkdtempSync(join(tmpdir(), 'download-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let fake: FakeProlific | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function download(options: FakeProlificOptions = {}, setup: (f: FakeProlific) => void = () => undefined) {
  fake = await startFakeProlific(options)
  const h = harness(fake.url)
  const ready = await h.job.ready()
  setup(fake)
  const target = join(dir, `${Math.random()}.part`)
  const result = downloadArchive(h.job, ready, target, { ...h, log: (m) => h.log.push(m) })
  return { h, ready, target, result, fake }
}

const downloads = (f: FakeProlific) => f.requests.filter((r) => r.route === 'download')

describe('downloadArchive', () => {
  it('streams the archive to disk, hashing it on the way, with no Authorization or User-Agent', async () => {
    const archive = buildExportArchive({ submissions: 50, files: 10 })
    const { target, result, fake: f } = await download({ archive })
    const done = await result
    expect(readFileSync(target).equals(archive)).toBe(true)
    expect(done.bytes).toBe(archive.length)
    expect(done.sha256).toBe(createHash('sha256').update(archive).digest('hex'))
    expect(downloads(f)).toHaveLength(1)
    expect(downloads(f)[0]?.authorization).toBeUndefined()
    expect(downloads(f)[0]?.userAgent).toBeUndefined()
  })

  it('refreshes an expired link through the job and downloads again', async () => {
    const expired =
      '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'
    const {
      h,
      ready,
      result,
      fake: f,
    } = await download({}, (f) => f.script('download', { status: 403, body: expired }))
    const done = await result
    expect(downloads(f)).toHaveLength(2)
    expect(done.ready.url.href).not.toBe(ready.url.href)
    expect(h.log.join('\n')).toMatch(
      /download link was refused \(.*AccessDenied: Request has expired\); asking Prolific/,
    )
  })

  it('gives up after three refreshes that do not help', async () => {
    const denied = { status: 403, body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' }
    const { result, fake: f } = await download({}, (f) => f.script('download', denied, denied, denied, denied))
    await expect(result).rejects.toThrow(/HTTP 403: AccessDenied: Access Denied/)
    expect(downloads(f)).toHaveLength(4)
  })

  it('retries a reset connection and a 503 from storage', async () => {
    const { result, fake: f } = await download({}, (f) =>
      f.script('download', { status: 0, destroy: true }, { status: 503, body: '<Error><Code>SlowDown</Code></Error>' }),
    )
    await result
    expect(downloads(f)).toHaveLength(3)
  })

  it('refuses a plain-http link to a host that is not this machine', async () => {
    fake = await startFakeProlific()
    const h = harness(fake.url)
    const ready = { url: new URL('http://storage.example.com/x.zip?X-Amz-Signature=abc'), exportId: 'e', reused: false }
    await expect(downloadArchive(h.job, ready, join(dir, 'never'), { ...h, log: () => undefined })).rejects.toThrow(
      /download link over http, which is refused/,
    )
  })
})

/**
 * Storage whose answers a real server cannot be made to give (a body shorter than its
 * Content-Length that undici does not notice): undici's MockAgent, one reply per request in order.
 */
function storage(...replies: Array<{ status: number; body?: Buffer; headers?: Record<string, string> }>) {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const ranges: Array<string | undefined> = []
  const pool = agent.get('https://storage.example.com')
  for (const { status, body = Buffer.alloc(0), headers = {} } of replies) {
    pool.intercept({ path: '/export.zip', method: 'GET' }).reply((request) => {
      ranges.push(new Headers(request.headers as Record<string, string>).get('range') ?? undefined)
      return { statusCode: status, data: body, responseOptions: { headers } }
    })
  }
  return { agent, ranges }
}

async function downloadFrom(agent: MockAgent) {
  const h = harness('http://127.0.0.1:9') // the job is never asked: no link is refused here
  const ready = { url: new URL('https://storage.example.com/export.zip'), exportId: 'e', reused: false }
  const target = join(dir, `${Math.random()}.part`)
  const done = await downloadArchive(h.job, ready, target, { ...h, dispatcher: agent, log: (m) => h.log.push(m) })
  return { done, target, log: h.log.join('\n') }
}

describe('downloadArchive: the faults the retry policy retries as what they are', () => {
  const archive = buildExportArchive({ submissions: 20 })
  const CUT = 1000
  const whole = { 'content-length': String(archive.length), etag: '"v1"', 'accept-ranges': 'bytes' }
  const cut = { status: 200, body: archive.subarray(0, CUT), headers: whole }
  const full = { status: 200, body: archive, headers: whole }

  it('a body shorter than its Content-Length is TransferInterrupted: retried, and resumed with Range', async () => {
    const rest = { 'content-range': `bytes ${CUT}-${archive.length - 1}/${archive.length}` }
    const { agent, ranges } = storage(cut, { status: 206, body: archive.subarray(CUT), headers: rest })
    const { done, target, log } = await downloadFrom(agent)
    expect(readFileSync(target).equals(archive)).toBe(true)
    expect(done.bytes).toBe(archive.length)
    expect(ranges).toEqual([undefined, `bytes=${CUT}-`])
    expect(log).toMatch(
      new RegExp(
        `Downloading the archive failed \\(The download ended after ${CUT} of ${archive.length} bytes: the connection closed early\\. .*\\); retrying`,
      ),
    )
    expect(log).toMatch(`Resuming the download at byte ${CUT}.`)
  })

  it('a 206 for another range than asked is RangeNotHonoured: retried, starting over from byte 0', async () => {
    const wrong = { 'content-range': `bytes 0-${archive.length - 1}/${archive.length}` }
    const { agent, ranges } = storage(cut, { status: 206, body: archive, headers: wrong }, full)
    const { done, target, log } = await downloadFrom(agent)
    expect(readFileSync(target).equals(archive)).toBe(true)
    expect(done.sha256).toBe(createHash('sha256').update(archive).digest('hex'))
    expect(ranges).toEqual([undefined, `bytes=${CUT}-`, undefined])
    expect(log).toMatch(/Downloading the archive failed \(the download link answered HTTP 206: .*\); retrying/)
  })

  it('a 416 to a resumed request is RangeNotHonoured: retried, starting over from byte 0', async () => {
    const refused = { status: 416, body: Buffer.from('<Error><Code>InvalidRange</Code></Error>') }
    const { agent, ranges } = storage(cut, refused, full)
    const { target, log } = await downloadFrom(agent)
    expect(readFileSync(target).equals(archive)).toBe(true)
    expect(ranges).toEqual([undefined, `bytes=${CUT}-`, undefined])
    expect(log).toMatch(
      /Downloading the archive failed \(the download link answered HTTP 416: InvalidRange\); retrying/,
    )
  })
})

describe('progressSink', () => {
  it('fails the transfer when the file cannot be written, with the bytes and hash left as they were', async () => {
    const path = join(dir, 'read-only')
    writeFileSync(path, '')
    const file = await open(path, 'r')
    const hash = new HashWorker(64 * 1024)
    try {
      const progress = new DownloadProgress(hash)
      const sink = progressSink(file, progress)
      await expect(pipeline(Readable.from([Buffer.from('some bytes')]), sink)).rejects.toThrow(/EBADF|bad file/i)
      await sink.settled()
      expect(progress.bytes).toBe(0)
    } finally {
      await Promise.all([file.close(), hash.close()])
    }
  })
})
