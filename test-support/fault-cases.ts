// The fault matrix's cases as data: what the fake is told to do, and what the contract says the
// action must then do. __tests__/fault-matrix.test.ts runs each against dist/index.js.
import { createHash } from 'node:crypto'
import { expect } from 'vitest'
import { buildExportArchive } from './export-archive.ts'
import type { DownloadFault, FakeProlific, FakeProlificOptions, Route, ScriptedResponse } from './fake-prolific.ts'
import type { ActionRun } from './run-action.ts'

export type Scripts = Partial<Record<Route, ScriptedResponse[]>>
/** Requests the fake must see per route: exact, or [least, most]. Routes left out: none. */
export type Counts = Partial<Record<Route | 'unknown', number | readonly [number, number]>>

export interface FaultCase {
  name: string
  fake?: FakeProlificOptions
  /** The archive served (default: the standard export); built once, when the case runs. */
  archive?: () => Buffer
  /** One-shot API or storage responses; a function where they depend on the time they are made. */
  scripts?: Scripts | (() => Scripts)
  downloadFaults?: DownloadFault[]
  inputs?: Record<string, string>
  /**
   * Success: outputs beyond those always checked (path, sha256, size-bytes, export-id and the
   * standard export's counts). Failure: the one `::error::` line.
   */
  outcome: { outputs: Record<string, string> } | { error: RegExp }
  requests: Counts
  check?: (run: ActionRun, fake: FakeProlific) => void
}

export const TOKEN = 'tok-3f9a1c5e7b2d4f6a8c0e'
export const STANDARD = buildExportArchive()
/** Named at random so that finding it can only mean this run wrote it. */
export const ESCAPE_NAME = `fault-matrix-escape-${process.pid}-${Date.now()}.txt`
export const ABSOLUTE_NAME = `/tmp/${ESCAPE_NAME}`

/** The standard run on the newer API: one POST, two polls (generating, complete), a download, a DELETE. */
export const CLEAN: Counts = { request: 1, poll: 2, download: 1, delete: 1 }

export function lazy<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export function routeOf(fake: FakeProlific, route: Route) {
  return fake.requests.filter((request) => request.route === route)
}

export function apiErrorBody(status: number, title: string, detail: unknown): object {
  return { error: { status, error_code: status * 100, title, detail } }
}

const S3_SLOW_DOWN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>'

/** The wait of every retry, in seconds, as the action logs it: `… failed (…); retrying in 1.0s.` */
export function retryWaits(run: ActionRun): number[] {
  return [...run.stdout.matchAll(/ failed \(.*\); retrying in (\d+\.\d)s\.$/gm)].map((match) => Number(match[1]))
}

/** Failed without waiting for a retry (what a clock would say is in the unit tests, on a fake one). */
function withoutWaiting(run: ActionRun): void {
  expect(retryWaits(run)).toEqual([])
}

/**
 * The one retry waited as long as Retry-After asked: `asked` is that many seconds, given when
 * the fake got the first try. The first back-off is at most 1.0 s, so a longer wait is the
 * header's, and ignoring the header would show as a wait of 1.0 s or less.
 */
function waitedAsAsked(route: Route, asked: (firstAt: number) => number) {
  return (run: ActionRun, fake: FakeProlific) => {
    const [wait = 0] = retryWaits(run)
    expect(retryWaits(run)).toHaveLength(1)
    expect(wait).toBeGreaterThan(1.0)
    // No longer than asked (the log rounds to 0.1 s), since the answer came after that try.
    expect(wait).toBeLessThanOrEqual(asked(routeOf(fake, route)[0]?.at ?? 0) + 0.05)
  }
}

function retryAfterDateCase(): FaultCase {
  let due = 0
  return {
    name: 'poll answers 429 with Retry-After as an HTTP date 2-3 s ahead',
    // Dated as it is sent: HTTP dates have whole seconds, so the next whole second plus two.
    scripts: {
      poll: [
        {
          status: 429,
          headers: () => {
            due = Math.floor(Date.now() / 1000) * 1000 + 3_000
            return { 'Retry-After': new Date(due).toUTCString() }
          },
        },
      ],
    },
    outcome: { outputs: {} },
    requests: { ...CLEAN, poll: 3 },
    check: waitedAsAsked('poll', (firstAt) => (due - firstAt) / 1000),
  }
}

/** Trouble talking to the API: transient is retried within the deadline, permanent fails at once. */
export const API_CASES: FaultCase[] = [
  {
    name: 'POST answers 429 with Retry-After: 1 (seconds)',
    scripts: {
      request: [
        { status: 429, headers: { 'Retry-After': '1' }, body: apiErrorBody(429, 'Too many requests', 'Slow down.') },
      ],
    },
    outcome: { outputs: {} },
    requests: { ...CLEAN, request: 2 },
    check: (run) => expect(retryWaits(run)).toEqual([1.0]),
  },
  retryAfterDateCase(),
  {
    name: 'POST answers 500',
    scripts: { request: [{ status: 500, body: apiErrorBody(500, 'Internal server error', 'Oops.') }] },
    outcome: { outputs: {} },
    requests: { ...CLEAN, request: 2 },
  },
  {
    name: 'poll answers 502 with an HTML page',
    scripts: { poll: [{ status: 502, body: '<html>Bad gateway</html>', headers: { 'Content-Type': 'text/html' } }] },
    outcome: { outputs: {} },
    requests: { ...CLEAN, poll: 3 },
  },
  {
    name: 'download answers 503 SlowDown',
    scripts: { download: [{ status: 503, body: S3_SLOW_DOWN, headers: { 'Content-Type': 'application/xml' } }] },
    outcome: { outputs: {} },
    requests: { ...CLEAN, download: 2 },
  },
  {
    name: 'POST connection reset',
    scripts: { request: [{ status: 0, destroy: true }] },
    outcome: { outputs: {} },
    requests: { ...CLEAN, request: 2 },
  },
  {
    name: 'poll connection reset',
    scripts: { poll: [{ status: 0, destroy: true }] },
    outcome: { outputs: {} },
    requests: { ...CLEAN, poll: 3 },
  },
  {
    name: 'poll stalls before headers (stall limit 1 s with timeout 10s)',
    scripts: { poll: [{ status: 0, stallHeaders: true }] },
    inputs: { timeout: '10s' },
    outcome: { outputs: {} },
    requests: { ...CLEAN, poll: 3 },
    // Given up as a stall and retried, well inside the 10 s: the run succeeds.
    check: (run) => expect(run.stdout).toMatch(/ failed \(.*no answer came for too long.*\); retrying in/),
  },
  {
    name: 'POST answers 429 with a Retry-After past the deadline: fails at once, without waiting',
    scripts: { request: [{ status: 429, headers: { 'Retry-After': '60' } }] },
    inputs: { timeout: '5s' },
    outcome: {
      error: /while requesting the export would pass the timeout of 5s .* The last error was: .*HTTP 429 to POST/,
    },
    // The error is the deadline's refusal to sleep ("Waiting 1m more … so the step stops now").
    requests: { request: 1 },
  },
  {
    name: 'POST answers 400 (validation error)',
    scripts: {
      request: [{ status: 400, body: apiErrorBody(400, 'Bad request', { from: ['Enter a valid date/time.'] }) }],
    },
    outcome: { error: /HTTP 400 to POST .*Bad request: from: Enter a valid date\/time\. Check the 'study-id'/ },
    requests: { request: 1 },
    check: withoutWaiting,
  },
  {
    name: 'POST answers 401 (wrong token)',
    fake: { token: 'the-right-token' },
    outcome: { error: /HTTP 401 to POST .*Unauthorized: Invalid token\. Check that the token secret/ },
    requests: { request: 1 },
    check: withoutWaiting,
  },
  {
    name: 'POST answers 403 (no workspace access)',
    inputs: { 'batch-id': 'forbidden' },
    outcome: { error: /HTTP 403 to POST .*Forbidden: You do not have workspace access.*needs access to the workspace/ },
    requests: { request: 1 },
    check: withoutWaiting,
  },
  {
    name: 'POST answers 404 (no such batch)',
    inputs: { 'batch-id': 'missing' },
    outcome: { error: /HTTP 404 to POST .*Not found: Batch not found\. Check 'batch-id'/ },
    requests: { request: 1 },
    check: withoutWaiting,
  },
  {
    name: 'poll answers 404 (the job is gone)',
    scripts: { poll: [{ status: 404, body: apiErrorBody(404, 'Not found', 'Export job not found.') }] },
    outcome: { error: /HTTP 404 to GET .*\/export\/[0-9a-f-]{36}: Not found: Export job not found/ },
    requests: { request: 1, poll: 1 },
    check: withoutWaiting,
  },
]
