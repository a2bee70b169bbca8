// Builds the real API client, export job and download pieces against a fake server, with a
// fake clock so polls and back-offs cost no time.
import type { Dispatcher } from 'undici'
import { Deadline } from '../src/core/deadline.ts'
import { createDispatcher } from '../src/core/http.ts'
import { type ProxyEnvironment, readProxyEnvironment } from '../src/core/proxy.ts'
import { ProlificClient } from '../src/prolific/client.ts'
import { ExportJob } from '../src/prolific/export-job.ts'
import type { ExportFilter } from '../src/settings/settings.ts'
import { type FakeClock, fakeClock } from './fake-clock.ts'

export interface Harness {
  clock: FakeClock
  dispatcher: Dispatcher
  proxy: ProxyEnvironment
  client: ProlificClient
  job: ExportJob
  deadline: Deadline
  log: string[]
  masked: string[]
  retry: { deadline: Deadline; log: (m: string) => void; random: () => number }
}

export function harness(
  apiUrl: string,
  {
    token = 'test-token',
    batchId = 'batch1',
    filter = {} as ExportFilter,
    timeoutMs = 600_000,
    pruneExports = false,
  } = {},
): Harness {
  const clock = fakeClock()
  // The test's environment (vi.stubEnv sets proxies), read as the action reads the step's.
  const proxy = readProxyEnvironment(process.env)
  const dispatcher = createDispatcher(proxy)
  const deadline = new Deadline(clock, timeoutMs)
  const log: string[] = []
  const masked: string[] = []
  const retry = { deadline, log: (m: string) => log.push(m), random: () => 0.5 }
  const client = new ProlificClient({ kind: 'batch', apiUrl: new URL(apiUrl), token, dispatcher, proxy, retry, clock })
  const job = new ExportJob({
    client,
    targetId: batchId,
    kind: 'batch',
    pruneExports,
    filter,
    pollIntervalMs: 3000,
    deadline,
    mask: (s) => masked.push(s),
    log: (m) => log.push(m),
  })
  return { clock, dispatcher, proxy, client, job, deadline, log, masked, retry }
}
