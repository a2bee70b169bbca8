// With encrypt-to, the artifact is the validated ZIP encrypted with age, and only the
// recipients' identities get the ZIP back.
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import {
  artifactEnv,
  type FakeArtifactService,
  startFakeArtifactService,
} from '../test-support/fake-artifact-service.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { maskedLog, runAction } from '../test-support/run-action.ts'

let fake: FakeProlific
let service: FakeArtifactService
beforeAll(async () => {
  fake = await startFakeProlific({ token: 'age-token-1234567' })
  service = await startFakeArtifactService()
})
afterAll(async () => {
  await fake.close()
  await service.close()
})

function exportWith(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction({
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '20ms', ...inputs },
    env: { PROLIFIC_TOKEN: 'age-token-1234567', ...artifactEnv(service), ...env },
  })
}

async function decrypt(bytes: Uint8Array, identity: string): Promise<Buffer> {
  const decrypter = new Decrypter()
  decrypter.addIdentity(identity)
  return Buffer.from(await decrypter.decrypt(bytes))
}

describe('encrypted artifacts', () => {
  it('uploads <name>.age, which the recipients decrypt to the ZIP byte for byte', async () => {
    const [alice, bob] = [await generateIdentity(), await generateIdentity()]
    const recipients = `${await identityToRecipient(alice)}\n\n# the PI\n${await identityToRecipient(bob)}\n`
    const run = await exportWith({ 'artifact-name': 'nightly.zip', 'encrypt-to': recipients })
    expect(run.code).toBe(0)
    const blob = service.blob('nightly.zip.age')
    expect(blob).toBeDefined()
    const uploaded = blob?.bytes ?? Buffer.alloc(0)
    const zip = readFileSync(run.outputs.path ?? '')
    // What left the runner is not the ZIP, and holds none of it in the clear.
    expect(uploaded.subarray(0, 21).toString()).toBe('age-encryption.org/v1')
    expect(uploaded.includes(zip.subarray(0, 64))).toBe(false)
    expect((await decrypt(uploaded, alice)).equals(zip)).toBe(true)
    expect((await decrypt(uploaded, bob)).equals(zip)).toBe(true)
    // The outputs describe what was uploaded.
    expect(run.outputs['artifact-digest']).toBe(createHash('sha256').update(uploaded).digest('hex'))
    expect(run.outputs['artifact-digest']).not.toBe(run.outputs.sha256)
    expect(service.created.at(-1)?.name).toBe('nightly.zip.age')
    expect(run.summary).toContain('nightly.zip.age (artifact')
    expect(run.summary).toContain('encrypted with age')
  })

  it('is not refused in a public repository, since the artifact cannot be read without a key', async () => {
    const event = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json')
    writeFileSync(event, JSON.stringify({ repository: { private: false } }))
    const recipient = await identityToRecipient(await generateIdentity())
    const run = await exportWith(
      { 'artifact-name': 'public.zip', 'encrypt-to': recipient },
      { GITHUB_EVENT_PATH: event },
    )
    expect(run.code).toBe(0)
    expect(service.blob('public.zip.age')).toBeDefined()
    const plain = await exportWith({ 'artifact-name': 'plain.zip' }, { GITHUB_EVENT_PATH: event })
    expect(plain.stdout).toMatch(/::error::This repository is public.*'encrypt-to'/)
  })

  it('fails on a bad recipient before any request, without echoing a secret key', async () => {
    const requests = fake.requests.length
    const bad = await exportWith({ 'encrypt-to': 'age1notarealkey' })
    expect(bad.stdout).toMatch(/::error::Input 'encrypt-to' line 1: "age1notarealkey"/)
    const secret = await generateIdentity()
    const leaked = await exportWith({ 'encrypt-to': secret })
    expect(leaked.code).not.toBe(0)
    expect(maskedLog(leaked)).not.toContain(secret)
    expect(fake.requests.length).toBe(requests)
  })
})
