// The API and the storage as hostile servers: every outside string they send must reach the log,
// the summary and the outputs as inert text, and no outside value may change which resource a
// request names. run() from src/, in this process, against the fake on 127.0.0.1.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import { type FakeProlific, type FakeProlificOptions, startFakeProlific } from '../test-support/fake-prolific.ts'
import { type InProcessRun, runInProcess } from '../test-support/run-in-process.ts'
import { foreignCommands, readRunnerLog } from '../test-support/runner-log.ts'

const TOKEN = 'tok-hostile-9f8e7d6c5b4a39281706f5e4d3c2b1a0'
const SMUGGLED = 'job##[stop-commands]pwn'

let fake: FakeProlific | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function exportWith(
  options: FakeProlificOptions = {},
  inputs: Record<string, string> = {},
  setup?: (f: FakeProlific) => void,
) {
  fake = await startFakeProlific({ token: TOKEN, ...options })
  setup?.(fake)
  const run = await runInProcess({
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '10ms', timeout: '20s', ...inputs },
    env: { PROLIFIC_TOKEN: TOKEN },
  })
  return { run, fake }
}

/** What a reader of the log, the summary and the outputs can see, and what the runner ran. */
function expectInert(run: InProcessRun): string {
  const view = readRunnerLog(run.stdout)
  expect(foreignCommands(view), view.shown).toEqual([])
  expect(view.stopped).toBe(false)
  expect(view.ignored).toBe(0)
  const visible = [view.shown, run.summary, JSON.stringify(run.outputs)].join('\n')
  // Not the token, and no 8 characters of it in a row: a cut secret is a leaked secret.
  for (let i = 0; i + 8 <= TOKEN.length; i++) expect(visible).not.toContain(TOKEN.slice(i, i + 8))
  expect(visible).not.toMatch(/X-Amz-Signature=[0-9a-f]/)
  expect(run.summary).not.toContain('##[')
  return view.shown
}

describe('hostile API answers', () => {
  it('refuses an export id that is not a UUID (a runner command in it), before it is used', async () => {
    const { run, fake: f } = await exportWith({}, {}, (f) =>
      f.script('request', { status: 202, body: { status: 'generating', export_id: SMUGGLED } }),
    )
    expect(run.code).toBe(1)
    const shown = expectInert(run)
    expect(shown).toMatch(
      /error: Prolific API answered HTTP 202 to POST .* export status this action does not understand \(export_id/,
    )
    expect(f.requests.map((r) => r.route)).toEqual(['request'])
  })

  it('an export id with a line break and ::set-output sets nothing', async () => {
    const { run } = await exportWith({}, {}, (f) =>
      f.script('request', {
        status: 202,
        body: { status: 'generating', export_id: 'x\n::set-output name=path::/etc/passwd' },
      }),
    )
    expect(run.code).toBe(1)
    expectInert(run)
    expect(run.outputs.path ?? '').not.toContain('/etc/passwd')
  })

  it.each(['..', '.', '%2e%2e'])(
    'an export id of %s never turns a poll or a DELETE into a request for the batch',
    async (id) => {
      const { run, fake: f } = await exportWith({}, {}, (f) =>
        f.script('request', { status: 202, body: { status: 'generating', export_id: id } }),
      )
      expect(run.code).toBe(1)
      expectInert(run)
      expect(f.requests.filter((r) => r.method !== 'POST')).toEqual([])
    },
  )

  it('a retried 503 whose title is a runner command stays inert, and the export goes on', async () => {
    const { run } = await exportWith({}, {}, (f) =>
      f.script('request', {
        status: 503,
        body: { error: { status: 503, title: SMUGGLED, detail: '\n::error::fake' } },
      }),
    )
    expect(run.code, run.stdout).toBe(0)
    expect(expectInert(run)).toContain('job##\\[stop-commands]pwn')
  })

  it('an expires_at that is not a date-time is dropped, never shown', async () => {
    const { run } = await exportWith({
      rewrite: (route, body) => (body.status === 'complete' ? { ...body, expires_at: SMUGGLED } : body),
    })
    expect(run.code, run.stdout).toBe(0)
    const shown = expectInert(run)
    expect(shown).not.toContain('stop-commands')
    expect(shown).toMatch(/Export [0-9a-f-]{36} is ready\./)
  })

  it.each(['file:///etc/passwd', 'ftp://files.example.com/export.zip'])(
    'a download link of another scheme (%s) is refused as not https, by name',
    async (url) => {
      const { run, fake: f } = await exportWith({
        rewrite: (_route, body) => (body.status === 'complete' ? { ...body, url } : body),
      })
      expect(run.code).toBe(1)
      expect(expectInert(run)).toMatch(/error: Prolific gave a download link over (file|ftp), which is refused/)
      expect(f.requests.filter((r) => r.route === 'download')).toEqual([])
    },
  )

  it('a storage error body with runner commands is inert in the retry line', async () => {
    const xml = `<Error><Code>SlowDown</Code><Message>${SMUGGLED}\n::add-mask::x</Message></Error>`
    const { run } = await exportWith({}, {}, (f) => f.script('download', { status: 503, body: xml }))
    expect(run.code, run.stdout).toBe(0)
    expect(expectInert(run)).toMatch(/SlowDown: job##\\\[stop-commands\]pwn ::add-mask::x/)
  })

  it('a damaged "complete" answer is quoted without its download link’s query (the link was never registered)', async () => {
    const link = 'https://exports.s3.eu-west-2.amazonaws.com/b.zip?X-Amz-Expires=3600&X-Amz-Signature=0123456789abcdef'
    const { run } = await exportWith({}, {}, (f) =>
      f.script('poll', { status: 200, body: `{"status":"complete","url":"${link}"}\n<!-- injected by a proxy -->` }),
    )
    expect(run.code).toBe(1)
    const shown = expectInert(run)
    expect(shown).toMatch(/with a body that is not JSON: .*b\.zip\?\*\*\*/)
    expect(shown).not.toContain('X-Amz-Expires')
    expect(shown).not.toContain('0123456789abcdef')
  })

  it('a 2xx answer past the read cap says it is too large, not that it is not JSON', async () => {
    const padding = 'x'.repeat(2 * 1024 * 1024)
    const { run } = await exportWith({}, {}, (f) =>
      f.script('poll', { status: 200, body: { status: 'generating', export_id: randomUUID(), padding } }),
    )
    expect(run.code).toBe(1)
    expect(expectInert(run)).toMatch(
      /error: Prolific API answered HTTP 200 to GET .* with more than 1 MiB, far more than/,
    )
  })

  it('an echoed Authorization header loses the whole token before the body is cut or reflowed', async () => {
    const body = `${' \n\t'.repeat(6000)}Authorization: Token ${TOKEN}${'x'.repeat(5000)}`
    const { run } = await exportWith({}, {}, (f) => f.script('request', { status: 400, body }))
    expect(run.code).toBe(1)
    expect(expectInert(run)).toMatch(/error: Prolific API answered HTTP 400 .*Authorization: Token \*\*\*x/)
  })

  it('several IDs: a failing one’s hostile words are inert in its [id] Failed line', async () => {
    const { run } = await exportWith(
      {
        rewrite: (_route, body) =>
          body.error ? { error: { ...(body.error as object), title: `${SMUGGLED}\n::error::x` } } : body,
      },
      { 'batch-id': `${EXPORT_BATCH_ID}\nmissing` },
    )
    expect(run.code).toBe(1)
    expect(expectInert(run)).toMatch(/\[missing\] Failed: Prolific API answered HTTP 404/)
  })

  it('any outside string in any answer field stays inert (property)', async () => {
    fake = await startFakeProlific({ token: TOKEN })
    const f = fake
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 120 }),
        fc.constantFrom('title', 'detail', 'export_id', 'expires_at', 'storage'),
        async (text, where) => {
          const poison = `${text}${SMUGGLED}\n::set-output name=p::x`
          if (where === 'storage') f.script('download', { status: 500, body: `<Error><Code>${poison}</Code></Error>` })
          else if (where === 'export_id')
            f.script('poll', { status: 200, body: { status: 'failed', export_id: poison } })
          else if (where === 'expires_at')
            f.script('request', {
              status: 200,
              body: { status: 'complete', url: `${f.url}/nowhere`, expires_at: poison },
            })
          else f.script('request', { status: 503, body: { error: { status: 503, [where]: poison } } })
          const run = await runInProcess({
            inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': f.url, 'poll-interval': '10ms', timeout: '20s' },
            env: { PROLIFIC_TOKEN: TOKEN },
          })
          expectInert(run)
        },
      ),
      { numRuns: 25, seed: 13 },
    )
  })
})

describe('a run that was killed', () => {
  it('leaves no .part file for the next run to keep: the next run for the same path removes it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'stale-'))
    const stale = join(folder, '.export.zip.0123abcd.part')
    const other = join(folder, '.other.zip.0123abcd.part')
    writeFileSync(stale, 'participant data')
    writeFileSync(other, 'not ours')
    const { run } = await exportWith({}, { path: join(folder, 'export.zip') })
    expect(run.code, run.stdout).toBe(0)
    expect(existsSync(stale)).toBe(false)
    expect(existsSync(other)).toBe(true)
    expect(run.stdout).toContain('Removed 1 incomplete download(s) that an earlier, stopped run left beside the ZIP.')
  })
})
