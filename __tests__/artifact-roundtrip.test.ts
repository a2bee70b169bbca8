// The artifact round trip as a later job of the run sees it. The action runs in-process
// (run(deps)) and uploads into Azurite through the fake results service; then
// @actions/artifact's downloadArtifact, the library actions/download-artifact@v8 wraps, fetches
// it back the way that action does: getArtifact(name) for the id and digest, then
// downloadArtifact(id, { path, expectedHash: digest, skipDecompress }).
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption'
import { unzipSync } from 'fflate'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type Azurite, azuriteArtifactStorage, startAzurite } from '../test-support/azurite.ts'
import { EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import {
  artifactEnv,
  type FakeArtifactService,
  startFakeArtifactService,
} from '../test-support/fake-artifact-service.ts'
import { startFakeProlific } from '../test-support/fake-prolific.ts'
import { type InProcessRun, runInProcess } from '../test-support/run-in-process.ts'

const NAME = 'responses.zip'
let azurite: Azurite
let containers = 0
const fakes: { close(): Promise<void> }[] = []

beforeAll(async () => {
  azurite = await startAzurite()
}, 30_000)
afterEach(async () => {
  vi.unstubAllEnvs()
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})
afterAll(async () => {
  await azurite?.stop()
})

/** One export through the action, uploaded into its own container of Azurite. */
async function exportAndUpload(inputs: Record<string, string> = {}) {
  const storage = await azuriteArtifactStorage(azurite, `roundtrip-${++containers}`)
  const prolific = await startFakeProlific()
  const service = await startFakeArtifactService({ storage })
  fakes.push(prolific, service)
  const run = await runInProcess({
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': prolific.url, 'poll-interval': '10ms', ...inputs },
    env: { PROLIFIC_TOKEN: 'test-token', ...artifactEnv(service) },
  })
  expect(run.code, run.stdout).toBe(0)
  return { run, service, storage, zip: readFileSync(run.outputs.path ?? '') }
}

interface Downloaded {
  /** The artifact as getArtifact described it. */
  artifact: { id: number; name: string; size: number; digest?: string | undefined }
  digestMismatch: boolean
  /** Files under `path`, relative, sorted. */
  files: string[]
  path: string
  log: string
}

/** What download-artifact@v8 does for `name: <name>`, from another job of the same run. */
async function downloadAsV8(
  service: FakeArtifactService,
  name: string,
  { skipDecompress, expectedHash }: { skipDecompress: boolean; expectedHash?: string },
): Promise<Downloaded> {
  const path = mkdtempSync(join(tmpdir(), 'download-artifact-'))
  vi.stubEnv('ACTIONS_RUNTIME_TOKEN', service.newJob().token)
  vi.stubEnv('ACTIONS_RESULTS_URL', `${service.url}/`)
  vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com')
  const chunks: string[] = []
  const quiet = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => chunks.push(String(chunk)) > 0)
  try {
    const { DefaultArtifactClient } = await import('@actions/artifact')
    const client = new DefaultArtifactClient()
    const { artifact } = await client.getArtifact(name)
    const { digestMismatch = false } = await client.downloadArtifact(artifact.id, {
      path,
      expectedHash: expectedHash ?? artifact.digest,
      skipDecompress,
    })
    const files = readdirSync(path, { recursive: true, encoding: 'utf8' })
      .filter((file) => statSync(join(path, file)).isFile())
      .sort()
    return { artifact, digestMismatch, files, path, log: chunks.join('') }
  } finally {
    quiet.mockRestore()
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** The download URL came from the results service, for the downloading job, and points into Azurite. */
function expectSignedIntoAzurite(service: FakeArtifactService, run: InProcessRun, container: string): void {
  expect(service.signed).toHaveLength(1)
  const [signed] = service.signed
  expect(signed?.id).toBe(run.outputs['artifact-id'])
  expect(signed?.workflowJobRunBackendId).not.toBe(service.workflowJobRunBackendId)
  const url = new URL(signed?.signedUrl ?? '')
  expect(`${url.origin}${url.pathname}`).toBe(`${container}/${signed?.id}`)
}

describe('the artifact round trip through @actions/artifact downloadArtifact (download-artifact@v8)', () => {
  it('skipDecompress: saves the ZIP byte for byte under the artifact name; the digest check passes', async () => {
    const { run, service, storage, zip } = await exportAndUpload({ 'artifact-name': NAME })
    const got = await downloadAsV8(service, NAME, { skipDecompress: true })
    expect(got.files).toEqual([NAME])
    const downloaded = readFileSync(join(got.path, NAME))
    expect(downloaded.length).toBe(zip.length)
    expect(downloaded.equals(zip)).toBe(true)
    // The digest download-artifact checks against is the action's sha256 output.
    expect(got.artifact).toMatchObject({ name: NAME, size: zip.length, digest: `sha256:${run.outputs.sha256}` })
    expect(String(got.artifact.id)).toBe(run.outputs['artifact-id'])
    expect(got.digestMismatch).toBe(false)
    expect(got.log).toContain(`SHA256 digest of downloaded artifact is ${sha256(zip)}`)
    expectSignedIntoAzurite(service, run, storage.container.url)
  })

  it('reports a digest mismatch when the expected hash is not the bytes served', async () => {
    const { service } = await exportAndUpload({ 'artifact-name': NAME })
    const got = await downloadAsV8(service, NAME, { skipDecompress: true, expectedHash: `sha256:${'0'.repeat(64)}` })
    expect(got.files).toEqual([NAME])
    expect(got.digestMismatch).toBe(true)
  })

  it('without skipDecompress, unpacks the ZIP: path holds the entries, as README warns', async () => {
    const { service, zip } = await exportAndUpload({ 'artifact-name': NAME })
    const got = await downloadAsV8(service, NAME, { skipDecompress: false })
    const entries = Object.entries(unzipSync(zip)).filter(([entry]) => !entry.endsWith('/'))
    expect(got.files).toEqual(entries.map(([entry]) => entry).sort())
    for (const [entry, bytes] of entries) expect(readFileSync(join(got.path, entry)).equals(bytes)).toBe(true)
    expect(got.digestMismatch).toBe(false)
  })

  it('with encrypt-to, saves <name>.age, which decrypts to the ZIP byte for byte', async () => {
    const identity = await generateIdentity()
    const inputs = { 'artifact-name': NAME, 'encrypt-to': await identityToRecipient(identity) }
    const { run, service, storage, zip } = await exportAndUpload(inputs)
    const got = await downloadAsV8(service, `${NAME}.age`, { skipDecompress: true })
    expect(got.files).toEqual([`${NAME}.age`])
    const downloaded = readFileSync(join(got.path, `${NAME}.age`))
    expect(got.artifact.digest).toBe(`sha256:${run.outputs['artifact-digest']}`)
    expect(sha256(downloaded)).toBe(run.outputs['artifact-digest'])
    expect(got.digestMismatch).toBe(false)
    const decrypter = new Decrypter()
    decrypter.addIdentity(identity)
    const plain = Buffer.from(await decrypter.decrypt(downloaded))
    expect(plain.length).toBe(zip.length)
    expect(plain.equals(zip)).toBe(true)
    expectSignedIntoAzurite(service, run, storage.container.url)
  })
})
