// Fault-matrix cases of the download (expired links, cuts, stalls, a changed object) and of the
// export job (failed, never finished). See fault-cases.ts for the shape of a case.
import { createHash } from 'node:crypto'
import { expect } from 'vitest'
import { buildExportArchive } from './export-archive.ts'
import type { FakeProlific } from './fake-prolific.ts'
import { CLEAN, type FaultCase, routeOf, STANDARD } from './fault-cases.ts'
import type { ActionRun } from './run-action.ts'

/** Where the cut and stalled downloads stop: about a third of the standard export. */
const CUT = 1_000
const REEXPORTED = buildExportArchive({ submissions: 5, tasks: 3 })

function etagOf(bytes: Buffer): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`
}

/**
 * The download after the fault asked for the rest of the bytes, of the version it had. A
 * resumed one is still validated as it arrives; one that started over is validated again from
 * disk, since the check during the download saw bytes of a transfer that was thrown away.
 */
function resumed(answered: 200 | 206) {
  return (run: ActionRun, fake: FakeProlific) => {
    const [first, second] = routeOf(fake, 'download')
    expect(first?.headers.range).toBeUndefined()
    expect(second?.headers).toMatchObject({ range: `bytes=${CUT}-`, 'if-range': etagOf(STANDARD) })
    expect(second?.status).toBe(answered)
    expect(run.stdout.includes('Reading the archive again to validate it')).toBe(answered === 200)
  }
}

/** Each download carried a different presigned URL: the refused one was not tried again. */
function refreshedUrl(_run: ActionRun, fake: FakeProlific): void {
  const signatures = routeOf(fake, 'download').map((request) => request.query['X-Amz-Signature'])
  expect(new Set(signatures).size).toBe(signatures.length)
}

export const DOWNLOAD_CASES: FaultCase[] = [
  {
    name: 'expired URL, newer API: refreshed with a GET of the job',
    downloadFaults: [{ expired: true }],
    outcome: { outputs: {} },
    requests: { ...CLEAN, poll: 3, download: 2 },
    check: refreshedUrl,
  },
  {
    name: 'expired URL, older API with an existing export: refreshed with a second POST',
    fake: { generation: 'v1', existing: true },
    downloadFaults: [{ expired: true }],
    outcome: { outputs: { 'export-id': '', reused: 'true' } },
    requests: { request: 2, download: 2 },
    check: refreshedUrl,
  },
  {
    name: 'URL refused again and again: refreshed 3 times, then the step fails',
    downloadFaults: [{ expired: true }, { expired: true }, { expired: true }, { expired: true }],
    outcome: { error: /download link answered HTTP 403: AccessDenied: Request has expired/ },
    requests: { request: 1, poll: 5, download: 4 },
    check: refreshedUrl,
  },
  {
    name: 'download cut mid-body: resumed with Range and If-Range',
    downloadFaults: [{ cutAfter: CUT }],
    outcome: { outputs: {} },
    requests: { ...CLEAN, download: 2 },
    check: resumed(206),
  },
  {
    name: 'download cut, then the server ignores Range: restarted from 0',
    downloadFaults: [{ cutAfter: CUT }, { ignoreRange: true }],
    outcome: { outputs: {} },
    requests: { ...CLEAN, download: 2 },
    check: resumed(200),
  },
  {
    name: 'download cut, then the ETag changed: If-Range gets all of it, restarted',
    downloadFaults: [{ cutAfter: CUT }, { changeEtag: true }],
    outcome: { outputs: {} },
    requests: { ...CLEAN, download: 2 },
    check: resumed(200),
  },
  {
    name: 'download cut, then the object was re-exported: the new one is kept whole',
    downloadFaults: [{ cutAfter: CUT }, { changeObject: REEXPORTED }],
    outcome: { outputs: { 'submission-count': '5', 'task-count': '3' } },
    requests: { ...CLEAN, download: 2 },
    check: resumed(200),
  },
  {
    name: 'download stalls mid-body (stall limit 1 s with timeout 10s): abandoned and retried',
    downloadFaults: [{ stallAfter: CUT }],
    inputs: { timeout: '10s' },
    outcome: { outputs: {} },
    requests: { ...CLEAN, download: 2 },
    check: (run) => expect(run.stdout).toMatch(/the transfer stalled/),
  },
]

export const JOB_CASES: FaultCase[] = [
  {
    name: 'export failed once: requested again',
    fake: { failJobs: 1 },
    outcome: { outputs: {} },
    // Both jobs this run created are deleted: the failed one holds a slot too.
    requests: { request: 2, poll: 4, download: 1, delete: 2 },
  },
  {
    name: 'export failed three times: the step fails naming it',
    fake: { failJobs: 3 },
    outcome: { error: /export of batch \w+ as failed 3 times in a row/ },
    requests: { request: 3, poll: 6, delete: 3 }, // the failed jobs are deleted: they would hold 3 of the 10 slots
  },
  {
    name: 'export never finishes: fails at the deadline',
    fake: { pollsUntilComplete: 1_000_000 },
    inputs: { timeout: '2s' },
    outcome: {
      error:
        /timeout of 2s passed while (waiting for Prolific to generate export [0-9a-f-]{36}|polling the export)|while waiting for Prolific to generate export [0-9a-f-]{36} would pass the timeout of 2s/,
    },
    // Polled again and again, at most once per 20 ms wait of the 2 s (how many fit depends on the load).
    requests: { request: 1, poll: [2, 100] },
  },
]

/** The served archive of a case, after any changeObject fault. */
export function servedArchive(testCase: FaultCase): Buffer {
  const changed = testCase.downloadFaults?.findLast((fault) => fault.changeObject)?.changeObject
  return changed ?? testCase.archive?.() ?? STANDARD
}
