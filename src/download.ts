import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { type Dispatcher, request } from 'undici'
import type { Clock } from './clock.ts'
import { ActionError, HttpError } from './errors.ts'
import { readCapped, retryAfterMs } from './http.ts'
import { isLoopbackHost } from './input-parsers.ts'
import { describeStorageError } from './prolific/error-message.ts'
import type { ExportJob, ReadyExport } from './prolific/export-job.ts'
import { type RetryPolicy, withRetry } from './retry.ts'

/*
 * Why not @actions/tool-cache's downloadTool: it cannot hash the bytes as they pass (we
 * would read a multi-gigabyte file a second time), has its own fixed retry loop that ignores
 * our deadline and cannot refresh an expired presigned URL, and cannot be aborted.
 */

export interface DownloadOptions {
  dispatcher: Dispatcher
  retry: RetryPolicy
  clock: Clock
  log: (message: string) => void
}

export interface Downloaded {
  bytes: number
  sha256: string
  /** The export as last refreshed (its URL may differ from the first one). */
  ready: ReadyExport
}

/** A refused link (403) is refreshed at most this many times before the step fails. */
const MAX_URL_REFRESHES = 3

/**
 * Streams the archive to `tempPath`, hashing it on the way. Transient failures are retried
 * by the one retry policy; an expired or refused link is refreshed through the export job.
 */
export async function downloadArchive(
  job: ExportJob,
  first: ReadyExport,
  tempPath: string,
  options: DownloadOptions,
): Promise<Downloaded> {
  let ready = first
  for (let refreshes = 0; ; refreshes++) {
    assertSafeUrl(ready.url)
    try {
      const result = await withRetry(
        'downloading the archive',
        () => fetchOnce(ready.url, tempPath, options),
        options.retry,
      )
      return { ...result, ready }
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 403) || refreshes >= MAX_URL_REFRESHES) throw error
      options.log(`The download link was refused (${error.message}); asking Prolific for a fresh one.`)
      ready = await job.refresh(ready)
    }
  }
}

function assertSafeUrl(url: URL): void {
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return
  throw new ActionError(
    `Prolific gave a download link over ${url.protocol.replace(':', '')}, which is refused: ` +
      'participant data is only downloaded over https.',
  )
}

async function fetchOnce(url: URL, tempPath: string, { dispatcher, retry, clock }: DownloadOptions) {
  // No Authorization (the token must never reach storage) and no other headers of ours.
  const response = await request(url, { method: 'GET', dispatcher, signal: retry.deadline.signal })
  if (response.statusCode !== 200) {
    const body = await readCapped(response.body)
    throw new HttpError(
      `the download link answered HTTP ${response.statusCode}: ${describeStorageError(body)}`,
      response.statusCode,
      retryAfterMs(response.headers['retry-after'], clock.now()),
    )
  }
  const hash = createHash('sha256')
  let bytes = 0
  await pipeline(
    response.body,
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk)
        bytes += chunk.length
        yield chunk
      }
    },
    // Participant data: readable by this user only.
    createWriteStream(tempPath, { flags: 'w', mode: 0o600 }),
  )
  const declared = Number(response.headers['content-length'])
  if (Number.isFinite(declared) && declared !== bytes) {
    throw Object.assign(new Error(`the download ended after ${bytes} of ${declared} bytes`), {
      code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    })
  }
  return { bytes, sha256: hash.digest('hex') }
}
