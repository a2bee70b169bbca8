// Every fault the contract promises to survive or to report, run against dist/index.js (run
// `npm run build` first). The cases are data in test-support/fault-cases*.ts; this file runs
// each one and checks what every run must get right: the outcome, the requests the fake saw,
// nothing left behind, no secret shown, and that it ended by itself. How long runs take is
// not checked here (that is `npm run bench`'s); deadlines are unit-tested on a fake clock.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EXPORT_BATCH_ID, submissionIds } from '../test-support/export-archive.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { ARCHIVE_CASES } from '../test-support/fault-cases-archive.ts'
import { DOWNLOAD_CASES, JOB_CASES, servedArchive } from '../test-support/fault-cases-download.ts'
import {
  ABSOLUTE_NAME,
  API_CASES,
  type Counts,
  ESCAPE_NAME,
  type FaultCase,
  sha256,
  STANDARD,
  TOKEN,
} from '../test-support/fault-cases.ts'
import { type ActionRun, maskedLog, runAction } from '../test-support/run-action.ts'

/** A safety net well past every case's timeout input, and short of the test's own limit. */
const KILL_AFTER_MS = 50_000
const ZIP = join('out', 'export.zip')
const ROUTES = ['request', 'poll', 'list', 'delete', 'download', 'unknown'] as const

let fake: FakeProlific | undefined
let cwd: string | undefined
afterEach(async () => {
  await fake?.close()
  if (cwd) rmSync(cwd, { recursive: true, force: true })
  fake = undefined
  cwd = undefined
})

async function runCase(testCase: FaultCase): Promise<void> {
  const archive = testCase.archive?.() ?? STANDARD
  const f = (fake = await startFakeProlific({ token: TOKEN, archive, ...testCase.fake }))
  const scripts = typeof testCase.scripts === 'function' ? testCase.scripts() : (testCase.scripts ?? {})
  for (const [route, responses] of Object.entries(scripts)) f.script(route as keyof typeof scripts, ...responses)
  f.downloadFault(...(testCase.downloadFaults ?? []))
  const folder = (cwd = mkdtempSync(join(tmpdir(), 'fault-matrix-')))
  const inputs = {
    'batch-id': EXPORT_BATCH_ID,
    'api-url': f.url,
    'poll-interval': '20ms',
    timeout: '20s',
    path: ZIP,
    ...testCase.inputs,
  }
  const run = await runAction({ cwd: folder, inputs, env: { PROLIFIC_TOKEN: TOKEN }, killAfterMs: KILL_AFTER_MS })
  expect(run.code, 'killed by the safety net: the run did not end by itself').not.toBeNull()

  if ('error' in testCase.outcome) expectFailure(run, folder, testCase.outcome.error)
  else expectSuccess(run, f, folder, servedArchive(testCase), testCase.outcome.outputs)
  expectRequests(f, testCase.requests)
  expectNothingLeaked(run, f)
  expect(existsSync(join(folder, '..', ESCAPE_NAME)) || existsSync(ABSOLUTE_NAME)).toBe(false)
  testCase.check?.(run, f)
}

function expectSuccess(run: ActionRun, f: FakeProlific, folder: string, served: Buffer, outputs: object): void {
  expect(errors(run)).toEqual([])
  expect(run.code).toBe(0)
  const path = join(folder, ZIP)
  expect(run.outputs).toMatchObject({
    path,
    'extract-path': '',
    'submission-count': '3',
    'task-count': '2',
    'file-count': '2',
    'instruction-count': '4',
    'size-bytes': String(served.length),
    sha256: sha256(served),
    'export-id': f.jobs().at(-1)?.exportId ?? '',
    reused: 'false',
    ...outputs,
  })
  expect(sha256(readFileSync(path))).toBe(sha256(served))
  expect(entriesUnder(folder)).toEqual(['out', ZIP])
}

function expectFailure(run: ActionRun, folder: string, error: RegExp): void {
  expect(run.code).not.toBe(0)
  expect(errors(run)).toEqual([expect.stringMatching(error)])
  expect(run.outputs).toEqual({})
  // No ZIP, no .*.part file, no *.partial-* staging folder, no extracted folder: at most the
  // empty parent folder the action made for `path`.
  expect(entriesUnder(folder).filter((entry) => entry !== 'out')).toEqual([])
}

function expectRequests(f: FakeProlific, counts: Counts): void {
  for (const route of ROUTES) {
    const seen = f.requests.filter((request) => request.route === route).length
    const [least, most] = bounds(counts[route] ?? 0)
    expect({ route, seen, ok: seen >= least && seen <= most }).toEqual({ route, seen, ok: true })
  }
}

/** Secrets and participant data reach neither the log as shown, nor the outputs, nor the summary. */
function expectNothingLeaked(run: ActionRun, f: FakeProlific): void {
  const visible = [maskedLog(run), JSON.stringify(run.outputs), run.summary].join('\n')
  expect(visible).not.toContain(TOKEN)
  expect(visible).not.toMatch(/X-Amz-Signature=[0-9a-f]/)
  const downloads = f.requests.filter((request) => request.route === 'download')
  for (const { query } of downloads) expect(visible).not.toContain(query['X-Amz-Signature'])
  for (const id of submissionIds(5)) expect(visible).not.toContain(id)
  expect(downloads.map((request) => request.authorization)).toEqual(downloads.map(() => undefined))
  expect(run.stdout.indexOf(`::add-mask::${TOKEN}`)).toBe(0)
}

function errors(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
}

/** Every file and folder under `folder`, relative, sorted. */
function entriesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort()
}

function bounds(count: number | readonly [number, number]): readonly [number, number] {
  return typeof count === 'number' ? [count, count] : count
}

describe.each([
  ['the API', API_CASES],
  ['the download', DOWNLOAD_CASES],
  ['the export job', JOB_CASES],
  ['the archive', ARCHIVE_CASES],
])('faults of %s', (_, cases) => {
  // `$name` would cut names at 40 characters. The time limit is a safety net: every run is
  // bounded by its own timeout input.
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_, testCase) => runCase(testCase), 60_000)
})
