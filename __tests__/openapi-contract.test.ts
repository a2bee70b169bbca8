// Holds the fake Prolific API and our zod schemas to Prolific's published OpenAPI description
// (__tests__/fixtures/prolific-openapi-export.yml), the way the official CLI's contract test does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportStatus, NestedErrorBody } from '../src/prolific/schemas.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { check, responseSchema, schemaAt } from '../test-support/openapi.ts'

const REQUEST = '/api/v1/data-collection/batches/{batch_id}/export'
const POLL = '/api/v1/data-collection/batches/{batch_id}/export/{export_id}'
const ERROR = schemaAt('#/components/schemas/Error')
const STATUS = responseSchema(POLL, 'get', '200')

let fake: FakeProlific
beforeAll(async () => {
  fake = await startFakeProlific({ token: 't', pollsUntilComplete: 1 })
})
afterAll(() => fake.close())

async function call(method: string, path: string, token = 't') {
  const response = await fetch(`${fake.url}${path}`, { method, headers: { authorization: `Token ${token}` } })
  return { status: response.status, body: (await response.json()) as unknown }
}

describe('the fake Prolific API answers as the OpenAPI description says', () => {
  it('POST, then GET while generating, then GET when complete', async () => {
    const posted = await call('POST', '/api/v1/data-collection/batches/b1/export')
    expect(posted.status).toBe(202)
    expect(check(posted.body, STATUS)).toEqual([])
    const id = (posted.body as { export_id: string }).export_id
    const generating = await call('GET', `/api/v1/data-collection/batches/b1/export/${id}`)
    expect(check(generating.body, STATUS)).toEqual([])
    const complete = await call('GET', `/api/v1/data-collection/batches/b1/export/${id}`)
    expect((complete.body as { status: string }).status).toBe('complete')
    expect(check(complete.body, STATUS)).toEqual([])
  })

  it('a 200 on POST from the older API', async () => {
    const old = await startFakeProlific({ token: 't', generation: 'v1', existing: true })
    const response = await fetch(`${old.url}/api/v1/data-collection/batches/b1/export`, {
      method: 'POST',
      headers: { authorization: 'Token t' },
    })
    expect(response.status).toBe(200)
    expect(check(await response.json(), responseSchema(REQUEST, 'post', '200'))).toEqual([])
    await old.close()
  })

  it('errors, with the documented error body', async () => {
    for (const [path, method, token] of [
      ['/api/v1/data-collection/batches/forbidden/export', 'POST', 't'],
      ['/api/v1/data-collection/batches/b1/export/unknown', 'GET', 't'],
      ['/api/v1/data-collection/batches/b1/export', 'POST', 'wrong'],
    ] as const) {
      const { body } = await call(method, path, token)
      expect(check(body, ERROR)).toEqual([])
    }
  })
})

describe('our zod schemas agree with the OpenAPI description', () => {
  const samples = [
    { status: 'generating', export_id: '0b6e2b1c-3f0e-4a8e-9a52-0c1d2e3f4a5b' },
    {
      status: 'complete',
      url: 'https://prolific-export.s3.amazonaws.com/x.zip?X-Amz-Signature=ab',
      expires_at: '2024-06-01T13:00:00Z',
    },
    { status: 'failed' },
  ]
  it.each(samples)('accepts the documented state %j', (sample) => {
    expect(check(sample, STATUS)).toEqual([])
    expect(ExportStatus.safeParse(sample).success).toBe(true)
  })

  const broken = [
    { status: 'generating' },
    { status: 'complete', expires_at: '2024-06-01T13:00:00Z' },
    { status: 'complete', url: 'not a url', expires_at: '2024-06-01T13:00:00Z' },
    { status: 'exploded' },
  ]
  it.each(broken)('refuses what the description refuses: %j', (sample) => {
    expect(check(sample, STATUS)).not.toEqual([])
    expect(ExportStatus.safeParse(sample).success).toBe(false)
  })

  it('reads the documented error body', () => {
    const body = { error: { status: 404, error_code: 140400, title: 'Not found', detail: ['x'], traceback: 't' } }
    expect(check(body, ERROR)).toEqual([])
    expect(NestedErrorBody.safeParse(body).success).toBe(true)
  })
})
