import { open } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { type Dispatcher, request } from 'undici'
import type { Clock } from '../core/clock.ts'
import { type ByteTap, DownloadProgress, progressSink } from './download-sink.ts'
import { HashWorker } from './hash-worker.ts'
import { ActionError, HttpError, LinkRefused, RangeNotHonoured, TransferInterrupted } from '../core/errors.ts'
import { readCapped, retryAfterMs } from '../core/http.ts'
import { isLoopbackHost } from '../settings/input-parsers.ts'
import { describeStorageError } from '../prolific/error-message.ts'
import type { ExportJob, ReadyExport } from '../prolific/export-job.ts'
import { type Renewal, type RetryPolicy, withRetry } from '../core/retry.ts'
import type { ProxyEnvironment } from '../core/proxy.ts'
import { overTransport, transportError } from '../core/transport-errors.ts'

/*
 * Why not @actions/tool-cache's downloadTool: it cannot hash the bytes as they pass (we
 * would read a multi-gigabyte file a second time), cannot resume with Range, has its own
 * fixed retry loop that ignores our deadline and cannot refresh an expired presigned URL.
 */

export interface DownloadOptions {
  dispatcher: Dispatcher
  /** The proxy the dispatcher goes through, to name it when it refuses. */
  proxy: ProxyEnvironment
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
 * Streams the archive to `tempPath`, hashing it on the way. The one retry policy drives it all:
 * transient failures are retried, resuming with Range where the server allows, and a refused
 * link is renewed through the export job.
 */
export async function downloadArchive(
  job: ExportJob,
  first: ReadyExport,
  tempPath: string,
  options: DownloadOptions,
): Promise<Downloaded> {
  // Participant data: readable by this user only.
  const file = await open(tempPath, 'w', 0o600)
  // SHA-256 runs on the second core while this thread receives and writes.
  const hash = new HashWorker()
  const progress = new DownloadProgress(hash, options.tap)
  const retry = { ...options.retry, maxAttempts: MAX_TRANSFER_ATTEMPTS }
  let ready = first
  const freshLink: Renewal<LinkRefused> = {
    of: LinkRefused,
    limit: MAX_URL_REFRESHES,
    renew: async (refused) => {
      options.log(`The download link was refused (${refused.message}); asking Prolific for a fresh one.`)
      ready = await job.refresh(ready)
      assertSafeUrl(ready.url)
    },
    exhausted: (refused, refreshes) =>
      new HttpError(
        `The download link was refused ${refreshes + 1} times, even with fresh links from Prolific: ` +
          `${refused.message}. Check that the runner's clock is right and that no proxy alters the request, ` +
          'then run the workflow again.',
        refused.status,
      ),
  }
  try {
    assertSafeUrl(ready.url)
    await withRetry('downloading the archive', () => fetchOnce(ready.url, file, progress, options), retry, freshLink)
    // A restart writes from 0 over an earlier attempt's bytes; drop whatever lies past the end.
    await file.truncate(progress.bytes)
    return { bytes: progress.bytes, sha256: await hash.digest(), ready }
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
  { dispatcher, proxy, retry, clock, log }: DownloadOptions,
): Promise<void> {
  const resuming = progress.bytes > 0 && progress.etag !== undefined
  // No Authorization (the token must never reach storage), nothing but the Range we need.
  const headers: Record<string, string> = resuming
    ? { range: `bytes=${progress.bytes}-`, 'if-range': progress.etag ?? '' }
    : {}
  const response = await overTransport(url, 'download', proxy, () =>
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
    const body = await overTransport(url, 'download', proxy, () => readCapped(response.body))
    // A range we cannot use: start over on the next attempt rather than fail.
    const unusableRange = status === 206 || status === 416
    if (unusableRange) progress.restart(undefined, undefined)
    const Refusal = unusableRange ? RangeNotHonoured : status === 403 ? LinkRefused : HttpError
    throw new Refusal(
      `the download link answered HTTP ${status}: ${describeStorageError(body)}`,
      status,
      retryAfterMs(response.headers['retry-after'], clock.now()),
    )
  }
  const sink = progressSink(file, progress)
  try {
    await pipeline(response.body, sink)
  } catch (error) {
    await sink.settled()
    throw transportError(error, url, 'download', proxy)
  }
  if (progress.total !== undefined && progress.bytes !== progress.total) {
    throw new TransferInterrupted(progress.bytes, progress.total)
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
