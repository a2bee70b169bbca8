// The real API client and download, pointed at a server that fails below HTTP, with a fake
// clock so that any back-off shows in `h.clock.sleeps` without costing time.
import { join } from 'node:path'
import type { Dispatcher } from 'undici'
import { downloadArchive } from '../src/download/download.ts'
import { ProlificClient } from '../src/prolific/client.ts'
import type { ExportJob } from '../src/prolific/export-job.ts'
import { harness } from './client-harness.ts'

/** The error a promise rejects with; fails the test if it resolves. */
export const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => Promise.reject(new Error('expected a failure')),
    (e: unknown) => e as Error,
  )

/** The real client against `url`, over its own dispatcher unless one is given. */
export function apiClient(url: string, dispatcher?: Dispatcher) {
  const h = harness(url)
  const client = dispatcher
    ? new ProlificClient({ ...h, kind: 'batch', apiUrl: new URL(url), token: 't', dispatcher })
    : h.client
  return { h, client }
}

/** Lists export jobs through the real client, expecting a failure. */
export async function listFrom(url: string, dispatcher?: Dispatcher) {
  const { h, client } = apiClient(url, dispatcher)
  return { h, error: await failure(client.listExports('batch1')) }
}

/** A presigned-looking link: its path and query are credentials no message may show. */
export const downloadLink = (origin: string) =>
  new URL(`${origin}/bucket/exports/secret-key.zip?X-Amz-Signature=s1gnature`)

/** Downloads `downloadLink(origin)` into `dir`; a refresh of the link is not expected. */
export function downloadFrom(origin: string, dir: string) {
  const h = harness('http://127.0.0.1:1')
  const ready = { url: downloadLink(origin), exportId: 'e', reused: false }
  const job = { refresh: () => Promise.reject(new Error('no refresh expected')) } as unknown as ExportJob
  const target = join(dir, `${Math.random()}.part`)
  return { h, result: downloadArchive(job, ready, target, { ...h, log: (m) => h.log.push(m) }) }
}
