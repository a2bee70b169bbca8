import { type Dispatcher, EnvHttpProxyAgent } from 'undici'
import type { ProxyEnvironment } from './proxy.ts'

/**
 * undici, not fetch: `request()` gives the body as a Node stream (the download is piped
 * straight to disk through the hash), adds no User-Agent or other headers of its own (the
 * presigned URL gets exactly what we send), and its timeouts catch a stalled socket.
 */
export function createDispatcher(proxy: ProxyEnvironment, stallMs = 60_000): Dispatcher {
  // HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case) are honoured as by other actions, for
  // self-hosted runners behind a proxy; without them this is a plain Agent.
  // No byte for `stallMs` (before the headers or within the body) means a stalled transfer:
  // fail it and let the retry policy try again, rather than wait out the deadline.
  // Given explicitly (an empty string for none), so that undici never reads process.env itself:
  // the step's injected environment is the only one read.
  return new EnvHttpProxyAgent({
    httpProxy: proxy.http.value ?? '',
    httpsProxy: proxy.https.value ?? '',
    noProxy: proxy.noProxy,
    connectTimeout: Math.min(stallMs, 30_000),
    headersTimeout: stallMs,
    bodyTimeout: stallMs,
  })
}

/** How long without a byte counts as stalled: a minute, or a tenth of a shorter deadline. */
export function stallTimeoutMs(timeoutMs: number): number {
  return Math.min(60_000, Math.max(1000, timeoutMs / 10))
}

/** Longer than any secret a body may echo: a token, a signature, a whole presigned query. */
const CUT_MARGIN = 4096

/**
 * Reads at most `limit` bytes of a body; the rest is discarded, not buffered. A body that was cut
 * loses its last few KiB too, so no secret that straddles the cut leaves a prefix that redaction
 * would not recognise; `cut` says it was.
 */
export async function readBody(
  body: Dispatcher.ResponseData['body'],
  limit: number,
): Promise<{ text: string; cut: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size < limit) chunks.push(chunk.subarray(0, limit - size))
    size += chunk.length
  }
  const text = Buffer.concat(chunks).toString('utf8')
  const cut = size > limit
  return { text: cut ? `${text.slice(0, Math.max(0, text.length - CUT_MARGIN))}…` : text, cut }
}

/** At most `limit` bytes of an error body, as text (see readBody). */
export async function readCapped(body: Dispatcher.ResponseData['body'], limit = 16_384): Promise<string> {
  return (await readBody(body, limit)).text
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now; capped at 5 minutes. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now
  if (!Number.isFinite(ms)) return undefined
  return Math.min(Math.max(ms, 0), 300_000)
}
