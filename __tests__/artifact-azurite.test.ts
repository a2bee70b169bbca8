// The artifact upload against real Azure Storage: dist/index.js runs as the runner runs it,
// against the fake Prolific API and a fake Actions results service whose signed upload URLs
// point into Azurite (the Azure Storage emulator, in memory, on loopback). @actions/artifact's
// own Azure SDK client does the upload; the test reads the blob back with the account key.
// Azurite cannot run out of quota: the quota cases stay in artifact-upload.test.ts, against
// the fake blob store.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { basename } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type Azurite,
  azuriteArtifactStorage,
  type AzuriteArtifactStorage,
  startAzurite,
} from '../test-support/azurite.ts'
import { buildExportArchive, EXPORT_BATCH_ID, submissionIds } from '../test-support/export-archive.ts'
import {
  artifactEnv,
  type FakeArtifactService,
  startFakeArtifactService,
  twirpError,
} from '../test-support/fake-artifact-service.ts'
import { type FakeProlific, type FakeProlificOptions, startFakeProlific } from '../test-support/fake-prolific.ts'
import { type ActionRun, maskedLog, runAction } from '../test-support/run-action.ts'

const DAY_MS = 86_400_000
const NAME = 'prolific-export.zip'

interface Setup {
  prolific: FakeProlific
  service: FakeArtifactService
  storage: AzuriteArtifactStorage
}

let azurite: Azurite
let containers = 0
const fakes: { close(): Promise<void> }[] = []

async function start(prolificOptions: FakeProlificOptions = {}, own = fakes): Promise<Setup> {
  // One container per test: Azurite is shared by the whole file, the artifacts are not.
  const storage = await azuriteArtifactStorage(azurite, `actions-results-${++containers}`)
  const prolific = await startFakeProlific(prolificOptions)
  const service = await startFakeArtifactService({ storage })
  own.push(prolific, service)
  return { prolific, service, storage }
}

function run(
  { prolific, service }: Setup,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
  killAfterMs = 20_000,
): Promise<ActionRun> {
  return runAction({
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': prolific.url, 'poll-interval': '50ms', ...inputs },
    env: { PROLIFIC_TOKEN: 'test-token', ...artifactEnv(service), ...env },
    killAfterMs,
  })
}

const errors = (result: ActionRun): string[] => result.stdout.split('\n').filter((line) => line.startsWith('::error::'))
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')
const routes = (service: FakeArtifactService): string[] => service.requests.map((r) => r.route)

/** The step succeeded and Azurite holds the ZIP at `path`, byte for byte, as artifact `name`. */
async function expectUploaded({ service, storage }: Setup, result: ActionRun, name: string): Promise<Buffer> {
  expect(result.code, maskedLog(result)).toBe(0)
  expect(errors(result)).toEqual([])
  const zip = readFileSync(result.outputs.path ?? '')
  const artifact = service.created.findLast((a) => a.name === name)
  expect(artifact).toMatchObject({ version: 7, mimeType: 'application/zip' })
  const blob = await storage.read(artifact?.id ?? '')
  expect(blob.bytes.length).toBe(zip.length)
  expect(blob.bytes.equals(zip)).toBe(true)
  expect(blob.contentType).toBe('application/zip')
  expect(sha256(zip)).toBe(result.outputs.sha256)
  expect(result.outputs['artifact-digest']).toBe(result.outputs.sha256)
  expect(result.outputs['size-bytes']).toBe(String(zip.length))
  expect(service.finalized.at(-1)).toEqual({
    id: artifact?.id,
    name,
    size: zip.length,
    hash: `sha256:${result.outputs.sha256}`,
  })
  expect(result.outputs['artifact-id']).toBe(artifact?.id)
  expect(result.outputs['artifact-url']).toMatch(new RegExp(`/actions/runs/\\d+/artifacts/${artifact?.id}$`))
  // The signed upload URL points into Azurite, and its signature never shows in the log.
  const upload = new URL(artifact?.signedUploadUrl ?? '')
  expect(upload.origin + upload.pathname).toBe(`${storage.container.url}/${artifact?.id}`)
  const sig = upload.searchParams.get('sig') ?? ''
  expect(sig).not.toBe('')
  expect(maskedLog(result)).not.toContain(sig)
  expect(maskedLog(result)).not.toContain(encodeURIComponent(sig))
  return zip
}

/** The step failed on the upload alone: the ZIP is kept at `path` and its outputs are set. */
function expectUploadFailed(result: ActionRun, name: string, cause: RegExp, submissions = '3'): string {
  expect(result.code, maskedLog(result)).toBe(1)
  const [error = '', ...more] = errors(result)
  expect(more).toEqual([])
  expect(error).toContain(`Uploading the artifact '${name}' failed:`)
  expect(error).toMatch(cause)
  expect(error).toContain(`The validated ZIP is kept at ${result.outputs.path}`)
  const zip = readFileSync(result.outputs.path ?? '')
  expect(sha256(zip)).toBe(result.outputs.sha256)
  expect(result.outputs['size-bytes']).toBe(String(zip.length))
  expect(result.outputs['submission-count']).toBe(submissions)
  for (const output of ['artifact-id', 'artifact-url', 'artifact-digest']) expect(result.outputs[output]).toBe('')
  return error
}

/** A loopback port nothing listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

// @actions/artifact retries a Twirp call answering 5xx 5 times, waiting 3 s, then x1.5 with
// jitter (24-35 s in all), and no setting shortens that. So this case starts first and its
// waits overlap the other cases; its own test awaits it last.
const slowFakes: { close(): Promise<void> }[] = []
let serviceDown: Promise<{ result: ActionRun; service: FakeArtifactService }>

beforeAll(async () => {
  azurite = await startAzurite()
  const setup = await start({}, slowFakes)
  setup.service.fail('CreateArtifact', twirpError(503, 'unavailable', 'the results service is down'))
  serviceDown = run(setup, {}, {}, 55_000).then((result) => ({ result, service: setup.service }))
  serviceDown.catch(() => undefined) // awaited (and reported) by its test
}, 30_000)

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})

afterAll(async () => {
  await serviceDown?.catch(() => undefined)
  await Promise.all(slowFakes.splice(0).map((fake) => fake.close()))
  await azurite?.stop()
})

describe('artifact upload into Azurite (real Azure Storage API)', () => {
  it('uploads the ZIP byte for byte, named after its file, artifact-digest = sha256, no expiry', async () => {
    const setup = await start()
    const result = await run(setup)
    const name = basename(result.outputs.path ?? '')
    expect(name).toMatch(new RegExp(`^${EXPORT_BATCH_ID}-export-\\d{8}-\\d{6}\\.zip$`))
    await expectUploaded(setup, result, name)
    expect(setup.service.created.map((a) => a.name)).toEqual([name])
    expect(setup.service.created[0]?.expiresAt).toBeUndefined()
    // The blob went to Azurite: the results service only saw the two Twirp calls.
    expect(routes(setup.service)).toEqual(['CreateArtifact', 'FinalizeArtifact'])
  })

  it('uses artifact-name, and retention-days: 3 becomes an expires_at 3 days out', async () => {
    const setup = await start()
    const before = Date.now()
    const result = await run(setup, { 'artifact-name': NAME, 'retention-days': '3' })
    const after = Date.now()
    await expectUploaded(setup, result, NAME)
    expect(setup.service.created.map((a) => a.name)).toEqual([NAME])
    // The ZIP keeps its own name; only the artifact is named NAME.
    expect(basename(result.outputs.path ?? '')).not.toBe(NAME)
    const expiresAt = Date.parse(setup.service.created[0]?.expiresAt ?? '')
    // setDate(+3) in local time: a DST change may move it by an hour.
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3 * DAY_MS - 3_600_000)
    expect(expiresAt).toBeLessThanOrEqual(after + 3 * DAY_MS + 3_600_000)
  })

  it('commits a ZIP larger than one 8 MiB block from three blocks, in order', async () => {
    // Stored, so the ZIP is ~17 MiB: the SDK stages three blocks concurrently, then commits them.
    const big = Buffer.alloc(17 * 1024 * 1024)
    for (let i = 0; i < big.length; i++) big[i] = i % 251
    const name = `files/${submissionIds(1)[0]}_upload-3.bin`
    const archive = buildExportArchive({ extra: [{ name, data: big, method: 'store' }] })
    const setup = await start({ archive })
    const result = await run(setup)
    const zip = await expectUploaded(setup, result, basename(result.outputs.path ?? ''))
    expect(zip.equals(archive)).toBe(true)
    const blob = setup.storage.container.getBlockBlobClient(setup.service.created[0]?.id ?? '')
    const { committedBlocks = [] } = await blob.getBlockList('committed')
    expect(committedBlocks.map((block) => block.size)).toEqual([
      8 * 1024 * 1024,
      8 * 1024 * 1024,
      zip.length - 16 * 1024 * 1024,
    ])
  })

  it('fails the step when the name exists in the run, naming artifact-name and overwrite-artifact', async () => {
    const setup = await start()
    const first = await run(setup, { 'artifact-name': NAME })
    const earlier = await expectUploaded(setup, first, NAME)
    // A re-run attempt: another job of the same run, and a different export.
    setup.prolific.setArchive(buildExportArchive({ submissions: 4 }))
    const rerun = setup.service.newJob()
    const result = await run(setup, { 'artifact-name': NAME }, { ACTIONS_RUNTIME_TOKEN: rerun.token })
    const error = expectUploadFailed(result, NAME, /\(409\) Conflict: an artifact named prolific-export\.zip/, '4')
    expect(error).toContain("set a different 'artifact-name', or 'overwrite-artifact: true' to replace it")
    // Nothing was deleted or replaced: Azurite still holds the earlier ZIP.
    expect(setup.service.deleted).toEqual([])
    expect(setup.service.created).toHaveLength(1)
    expect((await setup.storage.read(setup.service.created[0]?.id ?? '')).bytes.equals(earlier)).toBe(true)
    expect(readFileSync(result.outputs.path ?? '').equals(earlier)).toBe(false)
  })

  it("with overwrite-artifact: 'true' deletes the earlier artifact through the results service", async () => {
    const setup = await start()
    const first = await run(setup, { 'artifact-name': NAME })
    await expectUploaded(setup, first, NAME)
    const [earlier] = setup.service.created
    setup.prolific.setArchive(buildExportArchive({ submissions: 4 }))
    const rerun = setup.service.newJob()
    const seen = setup.service.requests.length
    const inputs = { 'artifact-name': NAME, 'overwrite-artifact': 'true' }
    const result = await run(setup, inputs, { ACTIONS_RUNTIME_TOKEN: rerun.token })
    const zip = await expectUploaded(setup, result, NAME)
    expect(result.outputs['submission-count']).toBe('4')
    expect(setup.service.requests.slice(seen).map((r) => r.route)).toEqual([
      'ListArtifacts',
      'DeleteArtifact',
      'CreateArtifact',
      'FinalizeArtifact',
    ])
    expect(setup.service.deleted).toEqual([
      {
        id: earlier?.id,
        name: NAME,
        workflowRunBackendId: setup.service.workflowRunBackendId,
        workflowJobRunBackendId: setup.service.workflowJobRunBackendId,
      },
    ])
    expect(result.stdout).toContain(`Deleted the earlier artifact '${NAME}' of this run (overwrite-artifact is true).`)
    // The earlier blob is gone from Azurite; the new artifact holds the new ZIP.
    expect(await setup.storage.size(earlier?.id ?? '')).toBeUndefined()
    expect(setup.service.created.map((a) => a.workflowJobRunBackendId)).toEqual([
      setup.service.workflowJobRunBackendId,
      rerun.workflowJobRunBackendId,
    ])
    expect(result.outputs['artifact-id']).not.toBe(earlier?.id)
    expect(zip.equals(readFileSync(first.outputs.path ?? ''))).toBe(false)
  })

  it("with overwrite-artifact: 'true' and no earlier artifact, uploads as usual", async () => {
    const setup = await start()
    const result = await run(setup, { 'artifact-name': NAME, 'overwrite-artifact': 'true' })
    await expectUploaded(setup, result, NAME)
    expect(routes(setup.service)).toEqual(['ListArtifacts', 'CreateArtifact', 'FinalizeArtifact'])
    expect(setup.service.deleted).toEqual([])
  })

  it('fails the step at once, keeping the ZIP and its outputs, when the results service is unreachable', async () => {
    // ECONNREFUSED is a network error to @actions/artifact: thrown at once, not retried.
    const setup = await start()
    const url = `http://127.0.0.1:${await closedPort()}/`
    const result = await run(setup, {}, { ACTIONS_RESULTS_URL: url })
    expectUploadFailed(result, basename(result.outputs.path ?? ''), /Unable to make request: ECONNREFUSED/)
    expect(result.stdout).not.toMatch(/Attempt \d of 5 failed/)
  })

  it(
    'retries a results service answering 503 five times, then fails the step keeping the ZIP and its outputs',
    { timeout: 60_000 },
    async () => {
      const { result, service } = await serviceDown
      const name = basename(result.outputs.path ?? '')
      const error = expectUploadFailed(result, name, /after 5 attempts: Failed request: \(503\)/)
      expect(error).toContain('re-run the job to try the upload again')
      expect(routes(service)).toEqual(Array(5).fill('CreateArtifact'))
      // Each retry after a back-off the client announces (the waits themselves are its own).
      const retries = /Attempt \d of 5 failed with error: Failed request: \(503\)[^\n]*\. Retrying request in \d+ ms/g
      expect(result.stdout.match(retries)).toHaveLength(4)
      expect(service.created).toEqual([])
    },
  )
})
