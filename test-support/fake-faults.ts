// Fault injection for the fake Prolific server: scripted one-shot responses for any route, and
// one-shot faults in how the storage half sends an object (cut, stalled, Range ignored, object
// changed). Kept apart so the server and the bucket stay about their normal behaviour.
import { createReadStream } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { pipeline } from 'node:stream'

export interface ScriptedResponse {
  status: number
  /** Objects are sent as JSON; strings and buffers as-is. */
  body?: string | Buffer | object
  /** Or made as the response is sent, e.g. a Retry-After date some seconds after that moment. */
  headers?: Record<string, string> | (() => Record<string, string>)
  /** Reset the connection instead of answering. */
  destroy?: boolean
  /** Answer nothing, not even a status line; the socket stays open until the client gives up or the fake closes. */
  stallHeaders?: boolean
}

/**
 * How one download of the object goes wrong. Faults are consumed in order, one per download
 * request that carries a valid signature (S3 refusals and scripted responses consume none).
 * Fields combine, e.g. `{ ignoreRange: true, cutAfter: 10 }`.
 */
export interface DownloadFault {
  /** Send the status line, headers with the full Content-Length and this many body bytes, then close the socket (0.1 s later). */
  cutAfter?: number
  /** Send this many body bytes, then nothing more; the socket stays open until the client gives up or the fake closes. */
  stallAfter?: number
  /** Answer 200 with the whole object even when a Range is asked. */
  ignoreRange?: boolean
  /** The object changed (same bytes, new ETag) from this request on, so an old If-Range gets a 200 with all of it. */
  changeEtag?: boolean
  /** The object is replaced by these bytes (and so a new ETag) from this request on. */
  changeObject?: Buffer
  /** Answer 403 'Request has expired' as S3 does for a presigned URL past its X-Amz-Expires. */
  expired?: boolean
}

export function sendScripted(res: ServerResponse, scripted: ScriptedResponse): void {
  if (scripted.stallHeaders === true) return
  if (scripted.destroy === true) return void res.socket?.resetAndDestroy()
  const { body } = scripted
  const isRaw = body === undefined || typeof body === 'string' || Buffer.isBuffer(body)
  const headers = isRaw ? {} : { 'Content-Type': 'application/json' }
  const extra = typeof scripted.headers === 'function' ? scripted.headers() : scripted.headers
  res.writeHead(scripted.status, { ...headers, ...extra })
  res.end(isRaw ? body : JSON.stringify(body))
}

/** Sends a response whose headers are already set, honouring a cut or a stall. */
export function sendBody(res: ServerResponse, body: Buffer | undefined, fault: DownloadFault | undefined): void {
  const limit = fault?.cutAfter ?? fault?.stallAfter
  if (body === undefined || limit === undefined) return void res.end(body)
  const sent = body.subarray(0, limit)
  if (sent.length > 0) res.write(sent)
  else res.flushHeaders()
  if (fault?.cutAfter === undefined) return
  // end(), not destroy(), on the next tick: the bytes already written go out first. The client
  // must then resume from what it had, however soon after them the socket closes.
  setTimeout(() => res.socket?.end(), CUT_PAUSE_MS)
}

/** sendBody for bytes `first`..`last` (inclusive) of a file, streamed: never all in memory. */
export function sendFileBody(
  res: ServerResponse,
  path: string,
  first: number,
  last: number,
  fault: DownloadFault | undefined,
): void {
  const limit = fault?.cutAfter ?? fault?.stallAfter
  const end = limit === undefined ? last : Math.min(last, first + limit - 1)
  if (end < first) return void (limit === undefined ? res.end() : sendBody(res, Buffer.alloc(0), fault))
  const stream = createReadStream(path, { start: first, end, highWaterMark: FILE_CHUNK_BYTES })
  if (limit === undefined) return void pipeline(stream, res, () => undefined)
  stream.on('error', () => res.destroy())
  stream.on('end', () => {
    if (fault?.cutAfter !== undefined) setTimeout(() => res.socket?.end(), CUT_PAUSE_MS)
  })
  stream.pipe(res, { end: false })
}

const CUT_PAUSE_MS = 0
const FILE_CHUNK_BYTES = 1024 * 1024
