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
  /** A bound on the run's seconds tighter than its timeout, where the case must be quick. */
  maxSeconds?: number
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

/** The retry on `route` came when Retry-After said (`due`, from the first try's time), not much later. */
function retriedWhenDue(route: Route, due: (first: number) => number) {
  return (_run: ActionRun, fake: FakeProlific) => {
    const [first, second] = routeOf(fake, route)
    const at = due(first?.at ?? 0)
    expect(second?.at ?? 0).toBeGreaterThanOrEqual(at - 20)
    expect(second?.at ?? 0).toBeLessThan(at + 1_000)
  }
}

function retryAfterDateCase(): FaultCase {
  let due = 0
  return {
    name: 'poll answers 429 with Retry-After as an HTTP date ~2 s ahead',
    // HTTP dates have whole seconds: 2.5 s ahead now is 1.5-2.5 s ahead, about 1-2 s after the run starts.
    scripts: () => {
      due = Math.floor((Date.now() + 2_500) / 1000) * 1000
      return { poll: [{ status: 429, headers: { 'Retry-After': new Date(due).toUTCString() } }] }
    },
    outcome: { outputs: {} },
    requests: { ...CLEAN, poll: 3 },
    check: retriedWhenDue('poll', () => due),
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
    check: retriedWhenDue('request', (first) => first + 1_000),
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
    maxSeconds: 6,
  },
  {
    name: 'POST answers 429 with a Retry-After past the deadline: fails at once, without waiting',
    scripts: { request: [{ status: 429, headers: { 'Retry-After': '60' } }] },
    inputs: { timeout: '5s' },
    outcome: {
      error: /while requesting the export would pass the timeout of 5s .* The last error was: .*HTTP 429 to POST/,
    },
    requests: { request: 1 },
    maxSeconds: 2,
  },
  {
    name: 'POST answers 400 (validation error)',
    scripts: {
      request: [{ status: 400, body: apiErrorBody(400, 'Bad request', { from: ['Enter a valid date/time.'] }) }],
    },
    outcome: { error: /HTTP 400 to POST .*Bad request: from: Enter a valid date\/time\. Check the 'study-id'/ },
    requests: { request: 1 },
    maxSeconds: 4,
  },
  {
    name: 'POST answers 401 (wrong token)',
    fake: { token: 'the-right-token' },
    outcome: { error: /HTTP 401 to POST .*Unauthorized: Invalid token\. Check that the token secret/ },
    requests: { request: 1 },
    maxSeconds: 4,
  },
  {
    name: 'POST answers 403 (no workspace access)',
    inputs: { 'batch-id': 'forbidden' },
    outcome: { error: /HTTP 403 to POST .*Forbidden: You do not have workspace access.*needs access to the workspace/ },
    requests: { request: 1 },
    maxSeconds: 4,
  },
  {
    name: 'POST answers 404 (no such batch)',
    inputs: { 'batch-id': 'missing' },
    outcome: { error: /HTTP 404 to POST .*Not found: Batch not found\. Check 'batch-id'/ },
    requests: { request: 1 },
    maxSeconds: 4,
  },
  {
    name: 'poll answers 404 (the job is gone)',
    scripts: { poll: [{ status: 404, body: apiErrorBody(404, 'Not found', 'Export job not found.') }] },
    outcome: { error: /HTTP 404 to GET .*\/export\/[0-9a-f-]{36}: Not found: Export job not found/ },
    requests: { request: 1, poll: 1 },
    maxSeconds: 4,
  },
]
