// The artifact upload for real: dist/index.js runs as the runner runs it, against the fake
// Prolific API and a fake Actions results service + blob storage, all on loopback.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildExportArchive, EXPORT_BATCH_ID, submissionIds } from '../test-support/export-archive.ts'
import {
  type ArtifactRoute,
  artifactEnv,
  blobError,
  type FakeArtifactService,
  type ScriptedReply,
  startFakeArtifactService,
  twirpError,
} from '../test-support/fake-artifact-service.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { type ActionRun, maskedLog, runAction } from '../test-support/run-action.ts'

const DAY_MS = 86_400_000
const fakes: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})

async function start(): Promise<{ prolific: FakeProlific; service: FakeArtifactService }> {
  const prolific = await startFakeProlific()
  const service = await startFakeArtifactService()
  fakes.push(prolific, service)
  return { prolific, service }
}

function run(
  prolific: FakeProlific,
  service: FakeArtifactService,
  inputs: Record<string, string> = {},
  killAfterMs = 20_000,
) {
  return runAction({
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': prolific.url, 'poll-interval': '50ms', ...inputs },
    env: { PROLIFIC_TOKEN: 'test-token', ...artifactEnv(service) },
    killAfterMs,
  })
}

const errors = (result: ActionRun): string[] => result.stdout.split('\n').filter((line) => line.startsWith('::error::'))
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

function expectUploaded(result: ActionRun, service: FakeArtifactService, name: string): void {
  expect(result.code, maskedLog(result)).toBe(0)
  expect(errors(result)).toEqual([])
  const zip = readFileSync(result.outputs.path ?? '')
  expect(service.created.map((a) => a.name)).toEqual([name])
  const [artifact] = service.created
  expect(artifact).toMatchObject({ version: 7, mimeType: 'application/zip' })
  const blob = service.blob(name)
  expect(blob?.bytes.equals(zip)).toBe(true)
  expect(blob?.contentType).toBe('application/zip')
  expect(sha256(zip)).toBe(result.outputs.sha256)
  expect(result.outputs['artifact-digest']).toBe(result.outputs.sha256)
  expect(service.finalized).toEqual([
    { id: artifact?.id, name, size: zip.length, hash: `sha256:${result.outputs.sha256}` },
  ])
  const env = artifactEnv(service)
  expect(result.outputs['artifact-id']).toBe(artifact?.id)
  expect(result.outputs['artifact-url']).toBe(
    `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/artifacts/${artifact?.id}`,
  )
  // The upload URL's signature is registered as a secret, so it never shows in the log.
  const sig = new URL(artifact?.signedUploadUrl ?? '').searchParams.get('sig') ?? ''
  expect(sig).not.toBe('')
  expect(maskedLog(result)).not.toContain(sig)
  expect(maskedLog(result)).not.toContain(encodeURIComponent(sig))
}

function expectUploadFailed(result: ActionRun, service: FakeArtifactService, cause: RegExp): void {
  expect(result.code).toBe(1)
  const [error, ...more] = errors(result)
  expect(more).toEqual([])
  expect(error).toContain(`Uploading the artifact '${basename(result.outputs.path ?? '')}' failed:`)
  expect(error).toMatch(cause)
  const zip = readFileSync(result.outputs.path ?? '')
  expect(sha256(zip)).toBe(result.outputs.sha256)
  expect(result.outputs['submission-count']).toBe('3')
  for (const output of ['artifact-id', 'artifact-url', 'artifact-digest']) expect(result.outputs[output]).toBe('')
  expect(service.finalized).toEqual([])
}

describe('artifact upload against the fake results service', () => {
  it('uploads the ZIP byte for byte, named after its file, with no expiry by default', async () => {
    const { prolific, service } = await start()
    const result = await run(prolific, service)
    expectUploaded(result, service, basename(result.outputs.path ?? ''))
    expect(service.created[0]?.expiresAt).toBeUndefined()
    expect(service.requests.map((r) => r.route)).toEqual([
      'CreateArtifact',
      'PutBlock',
      'PutBlockList',
      'FinalizeArtifact',
    ])
    expect(service.requests.filter((r) => r.route.startsWith('Put')).map((r) => r.authorization)).toEqual([
      undefined,
      undefined,
    ])
  })

  it('uses artifact-name and sends retention-days as an expiresAt 5 days out', async () => {
    const { prolific, service } = await start()
    const before = Date.now()
    const result = await run(prolific, service, { 'artifact-name': 'prolific-export.zip', 'retention-days': '5' })
    const after = Date.now()
    expectUploaded(result, service, 'prolific-export.zip')
    // Only the artifact is renamed: the ZIP stays where `path` says, under its own name.
    expect(basename(result.outputs.path ?? '')).toMatch(new RegExp(`^${EXPORT_BATCH_ID}-export-\\d{8}-\\d{6}\\.zip$`))
    expect(existsSync(result.outputs.path ?? '')).toBe(true)
    const expiresAt = Date.parse(service.created[0]?.expiresAt ?? '')
    // setDate(+5) in local time: a DST change may move it by an hour.
    expect(expiresAt).toBeGreaterThanOrEqual(before + 5 * DAY_MS - 3_600_000)
    expect(expiresAt).toBeLessThanOrEqual(after + 5 * DAY_MS + 3_600_000)
  })

  it('commits a ZIP larger than one 8 MiB block from its blocks in list order', async () => {
    // Stored, so the ZIP is ~17 MiB: three blocks, staged concurrently by the SDK.
    const big = Buffer.alloc(17 * 1024 * 1024)
    for (let i = 0; i < big.length; i++) big[i] = i % 251
    const name = `files/${submissionIds(1)[0]}_upload-3.bin`
    const archive = buildExportArchive({ extra: [{ name, data: big, method: 'store' }] })
    const prolific = await startFakeProlific({ archive })
    const service = await startFakeArtifactService()
    fakes.push(prolific, service)
    const result = await run(prolific, service)
    expectUploaded(result, service, basename(result.outputs.path ?? ''))
    expect(service.blob(basename(result.outputs.path ?? ''))?.bytes.equals(archive)).toBe(true)
    const blockIds = service.blob(basename(result.outputs.path ?? ''))?.blockIds ?? []
    expect(blockIds).toHaveLength(3)
    expect(blockIds.map((id) => Number(id.slice(-6)))).toEqual([0, 1, 2])
    expect(service.requests.filter((r) => r.route === 'PutBlock').map((r) => r.bytes)).toEqual(
      expect.arrayContaining([8 * 1024 * 1024, 8 * 1024 * 1024, archive.length - 16 * 1024 * 1024]),
    )
  })

  it('retries a CreateArtifact that answers 500 once (the library waits 3 s), then uploads', async () => {
    const { prolific, service } = await start()
    service.script('CreateArtifact', twirpError(500, 'internal', 'database unavailable'))
    const result = await run(prolific, service)
    expectUploaded(result, service, basename(result.outputs.path ?? ''))
    expect(service.requests.filter((r) => r.route === 'CreateArtifact')).toHaveLength(2)
  })

  const refusals: [string, ArtifactRoute, ScriptedReply, RegExp][] = [
    [
      'CreateArtifact answers 409 (not retried)',
      'CreateArtifact',
      twirpError(409, 'already_exists', 'an artifact with this name already exists'),
      /\(409\) Conflict: an artifact with this name already exists/,
    ],
    [
      'CreateArtifact answers 500 insufficient usage (quota, not retried)',
      'CreateArtifact',
      twirpError(500, 'internal', 'insufficient usage to create artifact'),
      /Artifact storage quota has been hit/,
    ],
    [
      'the blob PUT answers 403 (quota-style storage error)',
      'PutBlock',
      blobError(403, 'AccountQuotaExceeded', 'The storage quota of this account is used up.'),
      /storage quota of this account is used up/,
    ],
  ]
  it.each(refusals)('fails the step, keeping the ZIP and its outputs, when %s', async (_, route, reply, cause) => {
    const { prolific, service } = await start()
    service.fail(route, reply)
    const result = await run(prolific, service)
    expectUploadFailed(result, service, cause)
    expect(service.requests.filter((r) => r.route === route)).toHaveLength(1)
    expect(service.blob(basename(result.outputs.path ?? ''))).toBeUndefined()
  })

  // No environment variable shortens @actions/artifact's Twirp retries (5 attempts; waits of
  // 3 s, then x1.5 with jitter: 24-35 s in all, 32 s measured). Run with ARTIFACT_SLOW_TESTS=1.
  it.runIf(process.env.ARTIFACT_SLOW_TESTS === '1')(
    'fails the step, keeping the ZIP and its outputs, when CreateArtifact keeps answering 500',
    { timeout: 60_000 },
    async () => {
      const { prolific, service } = await start()
      service.fail('CreateArtifact', twirpError(500, 'internal', 'database unavailable'))
      const result = await run(prolific, service, {}, 55_000)
      expectUploadFailed(result, service, /after 5 attempts: Failed request: \(500\)/)
      expect(service.requests.filter((r) => r.route === 'CreateArtifact')).toHaveLength(5)
    },
  )
})
