import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { get, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildCollectionArchive, COLLECTION_ID } from '../test-support/collection-archive.ts'
import { buildExportArchive } from '../test-support/export-archive.ts'
import { startFakeProlific, type FakeProlific } from '../test-support/fake-prolific.ts'

const BATCH = '/api/v1/data-collection/batches/batch-1/export'
const COLLECTION = `/api/v1/data-collection/collections/${COLLECTION_ID}/export`
const AUTH = { Authorization: 'Token test-token' }

let fake: FakeProlific | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function call(method: string, path: string, headers: Record<string, string> = AUTH) {
  const response = await fetch(`${fake!.url}${path}`, { method, headers })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : null,
  }
}

async function download(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers })
  return { status: response.status, headers: response.headers, bytes: await response.bytes() }
}

describe('fake Prolific, newer API (v2)', () => {
  it('runs POST, poll and download end to end', async () => {
    const archive = buildExportArchive()
    fake = await startFakeProlific({ archive })
    const created = await call('POST', BATCH)
    expect(created).toMatchObject({ status: 202, body: { status: 'generating' } })
    const id: string = created.body.export_id
    expect((await call('GET', `${BATCH}/${id}`)).body).toEqual({
      status: 'generating',
      export_id: id,
    })
    const done = await call('GET', `${BATCH}/${id}`)
    expect(done.body).toMatchObject({ status: 'complete', url: expect.stringContaining(id) })
    expect(Date.parse(done.body.expires_at)).toBeGreaterThan(Date.now())

    const file = await download(done.body.url)
    expect(file.status).toBe(200)
    expect(Buffer.from(file.bytes).equals(archive)).toBe(true)
    expect(file.headers.get('content-length')).toBe(String(archive.length))
    expect(file.headers.get('accept-ranges')).toBe('bytes')
    expect(file.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/)
    expect(fake.requests.map((r) => r.route)).toEqual(['request', 'poll', 'poll', 'download'])
    expect(fake.requests[3]?.authorization).toBeUndefined()
  })

  it('hands out a fresh URL on every completed poll', async () => {
    fake = await startFakeProlific({ pollsUntilComplete: 0 })
    const id: string = (await call('POST', BATCH)).body.export_id
    const first = (await call('GET', `${BATCH}/${id}`)).body.url
    const second = (await call('GET', `${BATCH}/${id}`)).body.url
    expect(first).not.toBe(second)
  })

  it('caps a batch at 10 jobs, reuses a generating job with the same filter, frees slots on delete', async () => {
    fake = await startFakeProlific({ pollsUntilComplete: 0 })
    const ids: string[] = []
    for (let i = 1; i <= 10; i++) {
      ids.push((await call('POST', `${BATCH}?study_id=s${i}`)).body.export_id)
    }
    expect(new Set(ids).size).toBe(10)
    expect((await call('POST', `${BATCH}?study_id=s3`)).body.export_id).toBe(ids[2])
    const refused = await call('POST', BATCH)
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({ status: 409, error_code: 40900 })
    expect(refused.body.error.detail).toMatch(/limit of 10 export jobs/)

    expect((await call('DELETE', `${BATCH}/${ids[0]}`)).status).toBe(409) // still generating
    await call('GET', `${BATCH}/${ids[0]}`) // completes it
    expect((await call('DELETE', `${BATCH}/${ids[0]}`)).status).toBe(204)
    expect((await call('GET', `${BATCH}/${ids[0]}`)).status).toBe(404)
    expect((await call('POST', BATCH)).status).toBe(202)

    const listed = (await call('GET', BATCH)).body as Array<{ export_id: string; filter: unknown }>
    expect(listed).toHaveLength(10)
    expect(listed[0]?.filter).toBeNull() // most recent first
    expect(listed.at(-1)?.filter).toEqual({ study_id: 's2' })
    expect(
      fake
        .jobs()
        .filter((job) => job.deleted)
        .map((job) => job.exportId),
    ).toEqual([ids[0]])
  })
})

describe('fake Prolific, older API (v1)', () => {
  it('keeps one job per batch and answers 200 complete once it is done', async () => {
    const archive = buildExportArchive({ submissions: 5 })
    fake = await startFakeProlific({ generation: 'v1', archive })
    const first = await call('POST', BATCH)
    expect(first.status).toBe(202)
    expect((await call('POST', BATCH)).body.export_id).toBe(first.body.export_id)
    await call('GET', `${BATCH}/${first.body.export_id}`)
    expect((await call('GET', `${BATCH}/${first.body.export_id}`)).body.status).toBe('complete')

    const again = await call('POST', BATCH)
    expect(again.status).toBe(200)
    expect(Object.keys(again.body).sort()).toEqual(['expires_at', 'status', 'url'])
    expect(again.body.url).not.toContain(first.body.export_id)
    expect(Buffer.from((await download(again.body.url)).bytes).equals(archive)).toBe(true)
    expect((await call('GET', BATCH)).status).toBe(405)
    expect((await call('DELETE', `${BATCH}/${first.body.export_id}`)).status).toBe(405)
  })

  it('answers the very first POST with 200 complete when an export already exists', async () => {
    fake = await startFakeProlific({ generation: 'v1', existing: true })
    const response = await call('POST', BATCH)
    expect(response).toMatchObject({ status: 200, body: { status: 'complete' } })
    expect(response.body.export_id).toBeUndefined()
    expect((await download(response.body.url)).status).toBe(200)
  })
})

describe('fake Prolific, collections', () => {
  it('runs POST, poll and download of the collection archive, while batches keep theirs', async () => {
    const archive = buildExportArchive()
    const collectionArchive = buildCollectionArchive({ submissions: 4 })
    fake = await startFakeProlific({ archive, collectionArchive })
    const created = await call('POST', COLLECTION)
    expect(created).toMatchObject({ status: 202, body: { status: 'generating' } })
    const id: string = created.body.export_id
    expect((await call('GET', `${COLLECTION}/${id}`)).body).toEqual({ status: 'generating', export_id: id })
    const done = await call('GET', `${COLLECTION}/${id}`)
    expect(done.body).toMatchObject({ status: 'complete', url: expect.stringContaining(id) })
    expect(Buffer.from((await download(done.body.url)).bytes).equals(collectionArchive)).toBe(true)

    const batchId: string = (await call('POST', BATCH)).body.export_id
    await call('GET', `${BATCH}/${batchId}`)
    const batchDone = (await call('GET', `${BATCH}/${batchId}`)).body
    expect(Buffer.from((await download(batchDone.url)).bytes).equals(archive)).toBe(true)

    expect(fake.requests.map((r) => [r.route, r.resource])).toEqual([
      ['request', 'collections'],
      ['poll', 'collections'],
      ['poll', 'collections'],
      ['download', 'collections'],
      ['request', 'batches'],
      ['poll', 'batches'],
      ['poll', 'batches'],
      ['download', 'batches'],
    ])
    expect(fake.jobs().map((job) => [job.resource, job.batchId])).toEqual([
      ['collections', COLLECTION_ID],
      ['batches', 'batch-1'],
    ])
  })

  it('serves buildCollectionArchive() by default, and lists and deletes as for batches', async () => {
    fake = await startFakeProlific({ pollsUntilComplete: 0 })
    const id: string = (await call('POST', COLLECTION)).body.export_id
    const { url } = (await call('GET', `${COLLECTION}/${id}`)).body
    expect(Buffer.from((await download(url)).bytes).equals(buildCollectionArchive())).toBe(true)
    // A batch with the same id is another export target: its jobs are its own.
    expect((await call('GET', COLLECTION.replace('collections', 'batches'))).body).toEqual([])
    expect((await call('GET', COLLECTION)).body).toMatchObject([{ export_id: id, status: 'complete' }])
    expect((await call('DELETE', `${COLLECTION}/${id}`)).status).toBe(204)
    expect((await download(url)).status).toBe(404)
    expect(fake.requests.map((r) => r.route)).toEqual([
      'request',
      'poll',
      'download',
      'list',
      'list',
      'delete',
      'download',
    ])
  })

  it('answers 404 for the collection "missing" and 403 for "forbidden", with the nested error body', async () => {
    fake = await startFakeProlific()
    const missing = await call('POST', COLLECTION.replace(COLLECTION_ID, 'missing'))
    expect(missing.status).toBe(404)
    expect(missing.body.error).toMatchObject({ status: 404, error_code: 40400, detail: 'Collection not found.' })
    const forbidden = await call('GET', COLLECTION.replace(COLLECTION_ID, 'forbidden'))
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.error.detail).toMatch(/access to this collection/)
    expect((await call('POST', COLLECTION, {})).status).toBe(401)
    expect(fake.requests.map((r) => r.resource)).toEqual(['collections', 'collections', 'collections'])
  })

  it('knows only the listed collections when given some', async () => {
    fake = await startFakeProlific({ collections: [COLLECTION_ID] })
    expect((await call('POST', COLLECTION)).status).toBe(202)
    expect((await call('POST', COLLECTION.replace(COLLECTION_ID, 'other'))).status).toBe(404)
    expect((await call('POST', BATCH)).status).toBe(202) // batches keep their own rule
  })
})

describe('fake Prolific, errors and faults', () => {
  it('answers 401, 403 and 404 with the nested error body', async () => {
    fake = await startFakeProlific()
    const noToken = await call('POST', BATCH, {})
    expect(noToken.status).toBe(401)
    expect(noToken.body.error).toMatchObject({ status: 401, error_code: 40100 })
    expect((await call('POST', BATCH, { Authorization: 'Token wrong' })).status).toBe(401)
    expect((await call('POST', BATCH.replace('batch-1', 'forbidden'))).status).toBe(403)
    expect((await call('POST', BATCH.replace('batch-1', 'missing'))).status).toBe(404)
    expect(fake.requests[0]?.authorization).toBeUndefined()
  })

  it('refuses an expired URL with the S3 XML error, and a refreshed one works', async () => {
    let clock = Date.parse('2025-02-01T00:00:00Z')
    fake = await startFakeProlific({ pollsUntilComplete: 0, now: () => clock })
    const id: string = (await call('POST', BATCH)).body.export_id
    const stale = (await call('GET', `${BATCH}/${id}`)).body
    expect(stale.expires_at).toBe('2025-02-01T01:00:00.000Z')
    clock += 3_600_000
    const expired = await fetch(stale.url)
    expect(expired.status).toBe(403)
    const xml = await expired.text()
    expect(xml).toContain('<Code>AccessDenied</Code>')
    expect(xml).toContain('<Message>Request has expired</Message>')
    const fresh = (await call('GET', `${BATCH}/${id}`)).body
    expect((await download(fresh.url)).status).toBe(200)
  })

  it('refuses a download that carries an Authorization header, and an unknown signature', async () => {
    fake = await startFakeProlific({ pollsUntilComplete: 0 })
    const id: string = (await call('POST', BATCH)).body.export_id
    const { url } = (await call('GET', `${BATCH}/${id}`)).body
    const withToken = await fetch(url, { headers: AUTH })
    expect(withToken.status).toBe(400)
    expect(await withToken.text()).toContain('<Code>InvalidArgument</Code>')
    const forged = url.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${'0'.repeat(64)}`)
    expect((await fetch(forged)).status).toBe(403)
  })

  it('honours a Range request with 206 and the right bytes', async () => {
    const archive = buildExportArchive()
    fake = await startFakeProlific({ archive, pollsUntilComplete: 0 })
    const id: string = (await call('POST', BATCH)).body.export_id
    const { url } = (await call('GET', `${BATCH}/${id}`)).body
    const part = await download(url, { Range: 'bytes=100-' })
    expect(part.status).toBe(206)
    expect(Buffer.from(part.bytes).equals(archive.subarray(100))).toBe(true)
    expect(part.headers.get('content-range')).toBe(`bytes 100-${archive.length - 1}/${archive.length}`)
  })

  it('plays scripted responses once each, in order, and records them', async () => {
    fake = await startFakeProlific()
    fake.script(
      'request',
      { status: 429, body: { message: 'slow down' }, headers: { 'Retry-After': '2' } },
      { status: 502, body: '<html>bad gateway</html>', headers: { 'Content-Type': 'text/html' } },
      { status: 0, destroy: true },
    )
    const limited = await call('POST', BATCH)
    expect(limited).toMatchObject({ status: 429, body: { message: 'slow down' } })
    expect(limited.headers.get('retry-after')).toBe('2')
    const gateway = await fetch(`${fake.url}${BATCH}`, { method: 'POST', headers: AUTH })
    expect([gateway.status, await gateway.text()]).toEqual([502, '<html>bad gateway</html>'])
    // A reset is a network error (undici's `fetch failed`, caused by the socket), not an HTTP status.
    await expect(fetch(`${fake.url}${BATCH}`, { method: 'POST', headers: AUTH })).rejects.toThrow(
      expect.objectContaining({
        message: 'fetch failed',
        cause: expect.objectContaining({ code: expect.stringMatching(/^(ECONNRESET|UND_ERR_SOCKET)$/) }),
      }),
    )
    expect((await call('POST', BATCH)).status).toBe(202)
    expect(fake.requests.map((r) => r.route)).toEqual(['request', 'request', 'request', 'request'])
    expect(fake.jobs()).toHaveLength(1)
  })
})

/** A download over a raw socket, so a cut or a stalled body can be seen byte for byte. */
function rawGet(url: string, headers: Record<string, string> = {}, settleMs = 2_000) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer; open: boolean }>((done, fail) => {
    const req = get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      const finish = (open: boolean) => {
        clearTimeout(timer)
        done({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks), open })
        if (open) req.destroy()
      }
      const timer = setTimeout(() => finish(true), settleMs)
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', () => undefined)
      res.on('close', () => finish(false))
    })
    req.on('error', fail)
  })
}

async function readyUrl(): Promise<string> {
  const id: string = (await call('POST', BATCH)).body.export_id
  return (await call('GET', `${BATCH}/${id}`)).body.url
}

describe('fake Prolific, injected download faults', () => {
  const archive = buildExportArchive()

  it('cuts a download after N bytes with the full Content-Length, then serves normally', async () => {
    fake = await startFakeProlific({ archive, pollsUntilComplete: 0 })
    const url = await readyUrl()
    fake.downloadFault({ cutAfter: 100 }, { cutAfter: 10 })
    const cut = await rawGet(url)
    expect([cut.status, cut.headers['content-length'], cut.bytes.length, cut.open]).toEqual([
      200,
      String(archive.length),
      100,
      false,
    ])
    const resumed = await rawGet(url, { Range: 'bytes=100-', 'If-Range': String(cut.headers.etag) })
    expect([resumed.status, resumed.headers['content-length'], resumed.bytes.length]).toEqual([
      206,
      String(archive.length - 100),
      10,
    ])
    const whole = await rawGet(url, { Range: 'bytes=110-', 'If-Range': String(cut.headers.etag) })
    expect(whole.status).toBe(206)
    expect(Buffer.concat([cut.bytes, resumed.bytes, whole.bytes]).equals(archive)).toBe(true)
    expect(fake.requests.filter((r) => r.route === 'download').map((r) => r.status)).toEqual([200, 206, 206])
  })

  it('stalls a download after N bytes, keeping the socket open', async () => {
    fake = await startFakeProlific({ archive, pollsUntilComplete: 0 })
    const url = await readyUrl()
    fake.downloadFault({ stallAfter: 50 })
    const stalled = await rawGet(url, {}, 300)
    expect([stalled.status, stalled.bytes.length, stalled.open]).toEqual([200, 50, true])
    expect((await download(url)).bytes.length).toBe(archive.length)
  })

  it('ignores a Range once, and sends all of a changed object to a stale If-Range', async () => {
    fake = await startFakeProlific({ archive, pollsUntilComplete: 0 })
    const url = await readyUrl()
    const etag = (await download(url)).headers.get('etag') ?? ''
    fake.downloadFault({ ignoreRange: true }, { changeEtag: true })
    expect((await download(url, { Range: 'bytes=100-', 'If-Range': etag })).status).toBe(200)
    const changed = await download(url, { Range: 'bytes=100-', 'If-Range': etag })
    expect([changed.status, changed.bytes.length]).toEqual([200, archive.length])
    const newEtag = changed.headers.get('etag') ?? ''
    expect(newEtag).not.toBe(etag)
    expect((await download(url, { Range: 'bytes=100-', 'If-Range': etag })).status).toBe(200)
    expect((await download(url, { Range: 'bytes=100-', 'If-Range': newEtag })).status).toBe(206)
  })

  it('replaces the object, and refuses one download as expired', async () => {
    fake = await startFakeProlific({ archive, pollsUntilComplete: 0 })
    const url = await readyUrl()
    const other = buildExportArchive({ submissions: 7 })
    fake.downloadFault({ expired: true }, { changeObject: other })
    const refused = await fetch(url)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('<Message>Request has expired</Message>')
    expect(Buffer.from((await download(url)).bytes).equals(other)).toBe(true)
    expect(Buffer.from((await download(url)).bytes).equals(other)).toBe(true)
  })

  it('streams an archive from a file, with a strong ETag, ranges and cuts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-prolific-'))
    const path = join(dir, 'export.zip')
    writeFileSync(path, archive)
    try {
      fake = await startFakeProlific({ archiveFile: path, pollsUntilComplete: 0 })
      const url = await readyUrl()
      const whole = await download(url)
      expect(Buffer.from(whole.bytes).equals(archive)).toBe(true)
      expect(whole.headers.get('content-length')).toBe(String(archive.length))
      const etag = whole.headers.get('etag') ?? ''
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/)
      fake.downloadFault({ cutAfter: 100 })
      const cut = await rawGet(url)
      expect([cut.status, cut.headers['content-length'], cut.bytes.length, cut.open]).toEqual([
        200,
        String(archive.length),
        100,
        false,
      ])
      const rest = await download(url, { Range: 'bytes=100-', 'If-Range': etag })
      expect(rest.status).toBe(206)
      expect(Buffer.concat([cut.bytes, rest.bytes]).equals(archive)).toBe(true)
      expect((await download(url, { Range: `bytes=${archive.length}-` })).status).toBe(416)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('stalls an API route before headers, and sends a Retry-After date as scripted', async () => {
    fake = await startFakeProlific()
    const when = new Date(Date.now() + 60_000).toUTCString()
    fake.script('request', { status: 0, stallHeaders: true }, { status: 429, headers: { 'Retry-After': when } })
    const stalled = fetch(`${fake.url}${BATCH}`, { method: 'POST', headers: AUTH, signal: AbortSignal.timeout(300) })
    await expect(stalled).rejects.toThrow(/aborted due to timeout/)
    expect((await call('POST', BATCH)).headers.get('retry-after')).toBe(when)
    expect(fake.requests.map((r) => [r.route, r.status])).toEqual([
      ['request', undefined],
      ['request', 429],
    ])
  })
})
