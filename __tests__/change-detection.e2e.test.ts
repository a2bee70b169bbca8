// A nightly archive stores only exports that changed: content-digest, previous-digest, changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildExportArchive, EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import {
  artifactEnv,
  type FakeArtifactService,
  startFakeArtifactService,
} from '../test-support/fake-artifact-service.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { runAction } from '../test-support/run-action.ts'

let fake: FakeProlific
let service: FakeArtifactService
beforeAll(async () => {
  fake = await startFakeProlific({ token: 'digest-token-123456' })
  service = await startFakeArtifactService()
})
afterAll(async () => {
  await fake.close()
  await service.close()
})

function exportOnce(inputs: Record<string, string> = {}) {
  return runAction({
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '20ms', ...inputs },
    env: { PROLIFIC_TOKEN: 'digest-token-123456', ...artifactEnv(service) },
  })
}

describe('change detection', () => {
  let firstDigest = ''
  let firstSha256 = ''

  it('reports a content-digest and changed: true without a previous digest, and uploads', async () => {
    const run = await exportOnce({ 'artifact-name': 'first.zip' })
    expect(run.code).toBe(0)
    firstDigest = run.outputs['content-digest'] ?? ''
    firstSha256 = run.outputs.sha256 ?? ''
    expect(firstDigest).toMatch(/^[0-9a-f]{64}$/)
    expect(firstDigest).not.toBe(run.outputs.sha256)
    expect(run.outputs.changed).toBe('true')
    expect(service.created.map((a) => a.name)).toContain('first.zip')
  })

  it('skips the upload of an unchanged export, even re-zipped with other timestamps', async () => {
    fake.setArchive(buildExportArchive({ mtime: new Date('2030-01-01T00:00:00Z') }))
    const before = service.created.length
    const run = await exportOnce({ 'artifact-name': 'second.zip', 'previous-digest': firstDigest.toUpperCase() })
    expect(run.code).toBe(0)
    expect(run.outputs.sha256).not.toBe(firstSha256) // other ZIP bytes...
    expect(run.outputs['content-digest']).toBe(firstDigest) // ...same content
    expect(run.outputs.changed).toBe('false')
    expect(run.outputs['artifact-id']).toBe('')
    expect(service.created.length).toBe(before)
    expect(run.stdout).toContain('the export is unchanged')
    expect(run.summary).toContain('unchanged since previous-digest')
  })

  it('uploads when the content differs from previous-digest', async () => {
    fake.setArchive(buildExportArchive({ submissions: 4 }))
    const run = await exportOnce({ 'artifact-name': 'third.zip', 'previous-digest': firstDigest })
    expect(run.code).toBe(0)
    expect(run.outputs.changed).toBe('true')
    expect(run.outputs['content-digest']).not.toBe(firstDigest)
    expect(service.created.map((a) => a.name)).toContain('third.zip')
  })

  it('refuses a previous-digest that is not a SHA-256, before any request', async () => {
    const requests = fake.requests.length
    const run = await exportOnce({ 'previous-digest': 'abc123' })
    expect(run.stdout).toMatch(/::error::Input 'previous-digest' is "abc123": expected empty or a hex SHA-256/)
    expect(fake.requests.length).toBe(requests)
  })
})
