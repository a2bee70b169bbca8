// The hostile corpus against the bundled action, run as the runner runs it: servers that send
// runner commands, archives that attack the disk, the memory and the clock, and the runner's own
// cancel signals. Each case asserts the promise as the runner would see it: no command but the
// action's own, no secret and no participant name in the log, nothing left on disk, the exit code
// and the message.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildExportArchive, EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import { type FakeProlific, type FakeProlificOptions, startFakeProlific } from '../test-support/fake-prolific.ts'
import { HOSTILE_ARCHIVES, HOSTILE_WARNINGS } from '../test-support/hostile-corpus.ts'
import { type ActionRun, defaultInputs, ROOT, runAction, runnerView } from '../test-support/run-action.ts'
import { foreignCommands } from '../test-support/runner-log.ts'

const TOKEN = 'tok-e2e-hostile-5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d'

let fake: FakeProlific | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function exportWith(options: FakeProlificOptions, inputs: Record<string, string> = {}, measureRss = false) {
  fake = await startFakeProlific({ token: TOKEN, ...options })
  const cwd = mkdtempSync(join(tmpdir(), 'hostile-'))
  const run = await runAction({
    cwd,
    measureRss,
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '20ms', ...inputs },
    env: { PROLIFIC_TOKEN: TOKEN },
  })
  return { run, cwd, fake }
}

function expectInert(run: Pick<ActionRun, 'stdout' | 'stderr' | 'summary' | 'outputs'>, forbidden: string[] = []) {
  const view = runnerView(run)
  expect(foreignCommands(view), view.shown).toEqual([])
  expect(view.stopped || view.ignored > 0).toBe(false)
  const visible = [view.shown, run.summary, JSON.stringify(run.outputs)].join('\n')
  expect(visible).not.toContain(TOKEN)
  expect(visible).not.toMatch(/X-Amz-Signature=[0-9a-f]/)
  for (const name of forbidden) expect(visible).not.toContain(name)
  return view.shown
}

function expectNothingLeftIn(folder: string): void {
  expect(readdirSync(folder)).toEqual([])
}

describe('hostile servers, against dist/index.js', () => {
  it('an export id carrying ##[stop-commands] is refused, and the download link is never printed', async () => {
    const { run, cwd } = await exportWith({
      rewrite: (route, body) => (route === 'request' ? { ...body, export_id: 'job##[stop-commands]pwn' } : body),
    })
    expect(run.code).toBe(1)
    expect(expectInert(run)).toMatch(/error: .*export status this action does not understand \(export_id/)
    expectNothingLeftIn(cwd)
  })

  it('a storage error body and a retried 503 title with runner commands stay inert', async () => {
    fake = await startFakeProlific({ token: TOKEN })
    fake.script('request', { status: 503, body: { error: { status: 503, title: 'x##[stop-commands]pwn' } } })
    fake.script('download', { status: 500, body: '<Error><Code>x##[add-mask]y</Code></Error>' })
    const run = await runAction({
      inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '20ms' },
      env: { PROLIFIC_TOKEN: TOKEN },
    })
    expect(run.code, run.stdout).toBe(0)
    expectInert(run)
  })
})

describe('hostile archives, against dist/index.js', () => {
  it.each(HOSTILE_ARCHIVES.map((c) => [c.title, c] as const))('%s', async (_title, hostile) => {
    const { run, cwd } = await exportWith(
      { archive: hostile.build() },
      { extract: String(hostile.extract), timeout: '60s' },
      true,
    )
    // Memory is bounded by the action, whatever the archive holds (see README, Limits).
    if (run.peakRssMiB !== undefined) expect(run.peakRssMiB).toBeLessThan(512)
    console.info(
      `${hostile.title}: exit ${run.code} after ${run.seconds.toFixed(2)} s, peak RSS ${run.peakRssMiB?.toFixed(0)} MiB`,
    )
    expect(run.code, run.stdout).toBe(1)
    const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(hostile.error)
    expect(errors[0]).not.toMatch(/Unexpected error/)
    expectInert(run, hostile.forbidden)
    expectNothingLeftIn(cwd)
  })
})

describe('odd but harmless archives, against dist/index.js', () => {
  it.each(HOSTILE_WARNINGS.map((c) => [c.title, c] as const))(
    '%s: kept, with a warning naming no one',
    async (_t, odd) => {
      const { run, cwd } = await exportWith({ archive: odd.build() }, { extract: String(odd.extract) })
      expect(run.code, run.stdout).toBe(0)
      expect(runnerView(run).shown).toMatch(new RegExp(`warning: .*${odd.warning.source}`))
      expectInert(run, odd.forbidden)
      expect(readdirSync(cwd).filter((name) => name.startsWith('.'))).toEqual([])
    },
  )
})

/** Starts dist/index.js, sends `signal` once `when` shows in its output, and waits for it to exit. */
function runAndSignal(inputs: Record<string, string>, when: RegExp, signal: NodeJS.Signals, cwd: string) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', PROLIFIC_TOKEN: TOKEN }
  for (const [name, value] of Object.entries({ ...defaultInputs(), ...inputs }))
    env[`INPUT_${name.toUpperCase()}`] = value
  return new Promise<{ code: number | null; stdout: string; sentAt: number; exitedAt: number }>((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'index.js')], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let sentAt = 0
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (sentAt === 0 && when.test(stdout)) {
        sentAt = Date.now()
        child.kill(signal)
      }
    })
    const safety = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', fail)
    child.on('close', (code) => {
      clearTimeout(safety)
      done({ code, stdout, sentAt, exitedAt: Date.now() })
    })
  })
}

describe("the runner's cancel, against dist/index.js", () => {
  const uploads = buildExportArchive({ submissions: 50, files: 30_000 })

  it.each([
    ['SIGINT', 'downloading', /::group::Download/, { stall: true }],
    ['SIGINT', 'extracting', /::group::Extract/, { stall: false }],
    ['SIGTERM', 'extracting', /::group::Extract/, { stall: false }],
  ] as const)('%s while %s stops the step, fails it and leaves nothing', async (signal, phase, when, { stall }) => {
    fake = await startFakeProlific({ token: TOKEN, archive: uploads })
    if (stall) fake.downloadFault({ stallAfter: 1000 })
    const cwd = mkdtempSync(join(tmpdir(), 'cancel-'))
    const inputs = { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '20ms', extract: 'true' }
    const run = await runAndSignal(inputs, when, signal, cwd)
    expect(run.sentAt).toBeGreaterThan(0)
    expect(run.code).toBe(1)
    const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
    // The phase itself stopped (not the backstop that ends a step which did not).
    expect(errors).toEqual([expect.stringMatching(new RegExp(`cancelled while ${phase}`))])
    expectNothingLeftIn(cwd)
    console.info(`${signal} while ${phase}: exited ${run.exitedAt - run.sentAt} ms after the signal`)
  })
})
