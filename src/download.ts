import { open } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { type Dispatcher, request } from 'undici'
import type { Clock } from './clock.ts'
import { type ByteTap, DownloadProgress, progressSink } from './download-sink.ts'
import { HashWorker } from './hash-worker.ts'
import { ActionError, HttpError } from './errors.ts'
import { readCapped, retryAfterMs } from './http.ts'
import { isLoopbackHost } from './input-parsers.ts'
import { describeStorageError } from './prolific/error-message.ts'
import type { ExportJob, ReadyExport } from './prolific/export-job.ts'
import { type RetryPolicy, withRetry } from './retry.ts'
import { overTransport, transportError } from './transport-errors.ts'
import { keepYoungGenerationSmall, PacedCollection } from './young-generation.ts'

/*
 * Why not @actions/tool-cache's downloadTool: it cannot hash the bytes as they pass (we
 * would read a multi-gigabyte file a second time), cannot resume with Range, has its own
 * fixed retry loop that ignores our deadline and cannot refresh an expired presigned URL.
 */

export interface DownloadOptions {
  dispatcher: Dispatcher
  retry: RetryPolicy
  clock: Clock
  log: (message: string) => void
  /** Sees the bytes as they are written, in file order (validation during the download). */
  tap?: ByteTap
}

export interface Downloaded {
  bytes: number
  sha256: string
  /** The export as last refreshed (its URL may differ from the first one). */
  ready: ReadyExport
}

/** A refused link (403) is refreshed at most this many times before the step fails. */
const MAX_URL_REFRESHES = 3
/** Interrupted transfers are resumed or restarted at most this many times in all. */
const MAX_TRANSFER_ATTEMPTS = 12

/**
 * Streams the archive to `tempPath`, hashing it on the way. Transient failures are retried by
 * the one retry policy, resuming with Range where the server allows; an expired or refused
 * link is refreshed through the export job.
 */
export async function downloadArchive(
  job: ExportJob,
  first: ReadyExport,
  tempPath: string,
  options: DownloadOptions,
): Promise<Downloaded> {
  keepYoungGenerationSmall()
  // Participant data: readable by this user only.
  const file = await open(tempPath, 'w', 0o600)
  // SHA-256 runs on the second core while this thread receives and writes.
  const hash = new HashWorker()
  const progress = new DownloadProgress(hash, options.tap, new PacedCollection())
  const retry = { ...options.retry, maxAttempts: MAX_TRANSFER_ATTEMPTS }
  try {
    let ready = first
    for (let refreshes = 0; ; refreshes++) {
      assertSafeUrl(ready.url)
      try {
        await withRetry('downloading the archive', () => fetchOnce(ready.url, file, progress, options), retry)
        // A restart writes from 0 over an earlier attempt's bytes; drop whatever lies past the end.
        await file.truncate(progress.bytes)
        return { bytes: progress.bytes, sha256: await hash.digest(), ready }
      } catch (error) {
        if (!(error instanceof HttpError && error.status === 403)) throw error
        if (refreshes >= MAX_URL_REFRESHES) {
          throw new HttpError(
            `The download link was refused ${refreshes + 1} times, even with fresh links from Prolific: ` +
              `${error.message}. Check that the runner's clock is right and that no proxy alters the request, ` +
              'then run the workflow again.',
            error.status,
          )
        }
        options.log(`The download link was refused (${error.message}); asking Prolific for a fresh one.`)
        ready = await job.refresh(ready)
      }
    }
  } finally {
    await Promise.all([file.close(), hash.close()])
  }
}

function assertSafeUrl(url: URL): void {
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return
  throw new ActionError(
    `Prolific gave a download link over ${url.protocol.replace(':', '')}, which is refused: ` +
      'participant data is only downloaded over https.',
  )
}

async function fetchOnce(
  url: URL,
  file: Awaited<ReturnType<typeof open>>,
  progress: DownloadProgress,
  { dispatcher, retry, clock, log }: DownloadOptions,
): Promise<void> {
  const resuming = progress.bytes > 0 && progress.etag !== undefined
  // No Authorization (the token must never reach storage), nothing but the Range we need.
  const headers: Record<string, string> = resuming
    ? { range: `bytes=${progress.bytes}-`, 'if-range': progress.etag ?? '' }
    : {}
  const response = await overTransport(url, 'download', () =>
    request(url, { method: 'GET', dispatcher, signal: retry.deadline.signal, headers }),
  )
  const status = response.statusCode
  if (status === 206 && resuming && contentRangeStart(response.headers['content-range']) === progress.bytes) {
    log(`Resuming the download at byte ${progress.bytes}.`)
  } else if (status === 200) {
    if (progress.bytes > 0) log('The server sent the whole archive again; restarting the download.')
    // No await before the body is read: undici may drop bytes that arrive meanwhile.
    progress.restart(resumableEtag(response.headers), Number(response.headers['content-length']) || undefined)
  } else {
    const body = await overTransport(url, 'download', () => readCapped(response.body))
    // A range we cannot use: start over on the next attempt rather than fail.
    if (status === 206 || status === 416) progress.restart(undefined, undefined)
    throw new HttpError(
      `the download link answered HTTP ${status}: ${describeStorageError(body)}`,
      status === 206 || status === 416 ? 503 : status,
      retryAfterMs(response.headers['retry-after'], clock.now()),
    )
  }
  const sink = progressSink(file, progress)
  try {
    await pipeline(response.body, sink)
  } catch (error) {
    await sink.settled()
    throw transportError(error, url, 'download')
  }
  if (progress.total !== undefined && progress.bytes !== progress.total) {
    throw Object.assign(new Error(`the download ended after ${progress.bytes} of ${progress.total} bytes`), {
      code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    })
  }
}

/** Only a strong ETag may go in If-Range (RFC 9110 13.1.5), and only if ranges are offered. */
function resumableEtag(headers: Record<string, string | string[] | undefined>): string | undefined {
  const etag = headers.etag
  if (typeof etag !== 'string' || etag.startsWith('W/') || headers['accept-ranges'] !== 'bytes') return undefined
  return etag
}

function contentRangeStart(header: string | string[] | undefined): number | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(typeof header === 'string' ? header : '')
  return match ? Number(match[1]) : undefined
}
