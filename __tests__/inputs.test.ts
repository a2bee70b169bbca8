import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InputError } from '../src/core/errors.ts'
import { getSettings } from '../src/settings/inputs.ts'
import { defaultInputs } from '../test-support/run-action.ts'

const cwd = mkdtempSync(join(tmpdir(), 'inputs-'))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))
const now = new Date('2026-03-04T05:06:07.890Z')

function setInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries({ ...defaultInputs(), 'batch-id': 'batch1', ...inputs })) {
    vi.stubEnv(`INPUT_${name.toUpperCase()}`, value)
  }
}

function runSettings(inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = { PROLIFIC_TOKEN: 'env-token' }) {
  setInputs(inputs)
  return getSettings({ env, cwd, now })
}

async function settings(inputs: Record<string, string> = {}, env?: NodeJS.ProcessEnv) {
  const { exports } = await runSettings(inputs, env)
  expect(exports).toHaveLength(1)
  return exports[0] as (typeof exports)[number]
}

async function failure(inputs: Record<string, string>, env?: NodeJS.ProcessEnv): Promise<string> {
  try {
    await settings(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}

let stdout: string[] = []
beforeEach(() => {
  stdout = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk))
    return true
  })
})
afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

describe('getSettings', () => {
  it("reads action.yml's defaults into typed settings", async () => {
    const s = await settings()
    expect(s).toMatchObject({
      targetId: 'batch1',
      token: 'env-token',
      filter: { studyId: undefined, from: undefined, to: undefined },
      zipPath: join(cwd, 'batch1-export-20260304-050607.zip'),
      timeoutMs: 600_000,
      pollIntervalMs: 3000,
      extractPath: undefined,
      minSubmissions: 0,
      strict: false,
      artifact: { name: 'batch1-export-20260304-050607.zip', retentionDays: undefined, overwrite: false },
      deleteExport: true,
    })
    expect(s.apiUrl.href).toBe('https://api.prolific.com/')
  })

  it('prefers the token input and registers it as a secret before anything else is printed', async () => {
    expect((await settings({ token: 'input-token' })).token).toBe('input-token')
    expect(stdout[0]).toBe('::add-mask::input-token\n')
  })

  it('says how to pass a token when there is none', async () => {
    expect(await failure({}, {})).toMatch(
      /No Prolific API token.*secrets\.PROLIFIC_TOKEN.*PROLIFIC_TOKEN environment variable/,
    )
  })

  it.each([
    ['timeout', 'soon', /Input 'timeout' is "soon": expected a positive duration/],
    ['poll-interval', '-1s', /Input 'poll-interval' is "-1s"/],
    ['extract', 'yes', /Input 'extract' is "yes": expected true or false/],
    ['min-submissions', '1.5', /Input 'min-submissions' is "1.5": expected a whole number/],
    ['from', '2026-02-30', /Input 'from' is "2026-02-30": expected empty or an ISO-8601 date-time/],
    ['api-url', 'http://api.prolific.com', /Input 'api-url' .*plain http only for a loopback host/],
    ['batch-id', '../x', /Input 'batch-id' holds "..\/x": expected IDs of at most 100 letters, digits/],
    ['retention-days', '0', /Input 'retention-days' is "0"/],
    ['artifact-name', 'a/b', /Input 'artifact-name' is "a\/b"/],
  ])('a bad %s names the input, the value and what is accepted', async (name, value, message) => {
    expect(await failure({ [name]: value })).toMatch(message)
  })

  it('refuses from later than to', async () => {
    expect(await failure({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toMatch(/later than 'to'/)
  })

  it('puts the default file name inside a path ending in / or an existing folder', async () => {
    mkdirSync(join(cwd, 'exports'), { recursive: true })
    expect((await settings({ path: 'exports' })).zipPath).toBe(
      join(cwd, 'exports', 'batch1-export-20260304-050607.zip'),
    )
    expect((await settings({ path: 'new/dir/' })).zipPath).toBe(
      join(cwd, 'new', 'dir', 'batch1-export-20260304-050607.zip'),
    )
    expect((await settings({ path: 'out/data.zip' })).zipPath).toBe(join(cwd, 'out', 'data.zip'))
  })

  it('extracts beside the ZIP by default, or where asked', async () => {
    expect((await settings({ path: 'data.zip', extract: 'true' })).extractPath).toBe(join(cwd, 'data'))
    expect((await settings({ extract: 'True', 'extract-path': 'unpacked' })).extractPath).toBe(join(cwd, 'unpacked'))
  })

  it('refuses to upload from a public repository unless allowed', async () => {
    const event = join(cwd, 'event.json')
    writeFileSync(event, JSON.stringify({ repository: { private: false, visibility: 'public' } }))
    const env = { PROLIFIC_TOKEN: 't', GITHUB_EVENT_PATH: event }
    expect(await failure({}, env)).toMatch(/repository is public.*allow-public-repository: true/)
    expect((await settings({ 'allow-public-repository': 'true' }, env)).artifact).toBeDefined()
    expect((await settings({ 'upload-artifact': 'false' }, env)).artifact).toBeUndefined()
  })

  it('reads several IDs, one per line or comma-separated, each with its own ZIP', async () => {
    const { exports, concurrency } = await runSettings({ 'batch-id': 'b1, b2\nb3\n\nb1', path: 'out/' })
    expect(exports.map((e) => e.targetId)).toEqual(['b1', 'b2', 'b3'])
    expect(exports.map((e) => e.zipPath)).toEqual(
      ['b1', 'b2', 'b3'].map((id) => join(cwd, 'out', `${id}-export-20260304-050607.zip`)),
    )
    expect(exports.map((e) => e.artifact?.name)).toEqual(
      ['b1', 'b2', 'b3'].map((id) => `${id}-export-20260304-050607.zip`),
    )
    expect(concurrency).toBe(3)
  })

  it('separates IDs by commas and line breaks only: a space inside a line is an error, not a second batch', async () => {
    expect(await failure({ 'batch-id': '67a1b2c3 d4e5f607' })).toMatch(
      /Input 'batch-id' holds "67a1b2c3 d4e5f607": .*a space does not separate IDs: use a comma or a new line/,
    )
    const { exports } = await runSettings({ 'batch-id': ' b1 ,\tb2\r\nb3 ' })
    expect(exports.map((e) => e.targetId)).toEqual(['b1', 'b2', 'b3'])
  })

  it('refuses inputs that name one export when several IDs are given', async () => {
    expect(await failure({ 'batch-id': 'b1,b2', path: 'one.zip' })).toMatch(/Input 'path' .*several IDs/)
    expect(await failure({ 'batch-id': 'b1,b2', 'artifact-name': 'x.zip' })).toMatch(
      /'artifact-name' is set, but several IDs/,
    )
    expect(await failure({ 'batch-id': 'b1,b2', 'previous-digest': 'a'.repeat(64) })).toMatch(
      /previous-digest' applies to one export/,
    )
    expect(await failure({ 'batch-id': 'b1,b/2' })).toMatch(/Input 'batch-id' holds "b\/2"/)
    expect(await failure({ concurrency: '0' })).toMatch(
      /Input 'concurrency' is "0": expected a whole number, 1 or more/,
    )
  })

  it('exports a collection with collection-id, and wants exactly one of the two IDs', async () => {
    const s = await settings({ 'batch-id': '', 'collection-id': 'col1' })
    expect(s).toMatchObject({ kind: 'collection', targetId: 'col1' })
    expect(await failure({ 'batch-id': 'b1', 'collection-id': 'col1' })).toMatch(/Both 'batch-id' and 'collection-id'/)
    expect(await failure({ 'batch-id': '' })).toMatch(/No export target/)
  })

  it('treats a repository whose visibility cannot be established as public, where an upload would happen', async () => {
    const inActions = { PROLIFIC_TOKEN: 't', ACTIONS_RUNTIME_TOKEN: 'runtime' }
    const noRepository = join(cwd, 'schedule-old.json')
    writeFileSync(noRepository, JSON.stringify({ schedule: '0 3 * * *' }))
    const stringly = join(cwd, 'stringly.json')
    writeFileSync(stringly, JSON.stringify({ repository: { private: 'false' } }))
    for (const GITHUB_EVENT_PATH of [undefined, noRepository, stringly, join(cwd, 'absent.json')]) {
      const message = await failure({}, { ...inActions, GITHUB_EVENT_PATH })
      expect(message).toMatch(/visibility cannot be established .* treated as public.*allow-public-repository: true/)
    }
    // Encrypted, or not uploaded, or outside GitHub Actions (nothing is uploaded there): no refusal.
    const recipient = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p'
    expect((await settings({ 'encrypt-to': recipient }, inActions)).artifact).toBeDefined()
    expect((await settings({ 'upload-artifact': 'false' }, inActions)).artifact).toBeUndefined()
    expect((await settings({}, { PROLIFIC_TOKEN: 't' })).artifact).toBeDefined()
  })

  it('never echoes a URL password, and refuses an ID, a path or an artifact name that cannot work', async () => {
    const message = await failure({ 'api-url': 'http://user:hunter2secret@example.com/' })
    expect(message).toMatch(/Input 'api-url' is "http:\/\/\*\*\*@example.com\/"/)
    expect(message).not.toContain('hunter2secret')
    expect(await failure({ 'batch-id': 'a'.repeat(300) })).toMatch(/expected IDs of at most 100 letters/)
    expect(await failure({ path: `${'p'.repeat(250)}.zip` })).toMatch(/Input 'path' leads to a file name longer than/)
    expect(await failure({ path: `${'d'.repeat(256)}/x.zip` })).toMatch(/Input 'path' leads to a file name longer/)
    expect(await failure({ extract: 'true', 'extract-path': 'e'.repeat(250) })).toMatch(/Input 'extract-path' leads/)
    expect(await failure({ 'artifact-name': '.' })).toMatch(/'artifact-name' is ".", which names a folder/)
    expect(await failure({ 'artifact-name': '..' })).toMatch(/'artifact-name' is "..", which names a folder/)
  })

  it('refuses a token a header cannot carry, without echoing it, after masking it', async () => {
    for (const token of ['zqx vb-123456', 'zqx\nvb-123456', 'zqxé-vb123456']) {
      stdout = []
      const message = await failure({ token })
      expect(message).toMatch(/token holds a character an HTTP header cannot carry/)
      expect(message).not.toContain(token.slice(0, 3))
      expect(stdout[0]).toMatch(/^::add-mask::/)
    }
  })

  it('reads the decompression-bomb limits', async () => {
    expect((await settings()).archiveLimits).toEqual({ maxUncompressedBytes: 16 * 2 ** 30, maxRatio: 100 })
    const raised = await settings({ 'max-uncompressed-size': '40GB', 'max-compression-ratio': '250.5' })
    expect(raised.archiveLimits).toEqual({ maxUncompressedBytes: 40e9, maxRatio: 250.5 })
    expect(await failure({ 'max-uncompressed-size': 'lots' })).toMatch(
      /'max-uncompressed-size' is "lots": expected a size/,
    )
    expect(await failure({ 'max-compression-ratio': '0.5' })).toMatch(/'max-compression-ratio' is "0.5"/)
  })

  it('uploads from a private repository', async () => {
    const event = join(cwd, 'private.json')
    writeFileSync(event, JSON.stringify({ repository: { private: true } }))
    expect((await settings({}, { PROLIFIC_TOKEN: 't', GITHUB_EVENT_PATH: event })).artifact).toBeDefined()
  })
})
