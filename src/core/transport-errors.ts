import { ActionError, NetworkError } from './errors.ts'
import { type ProxyEnvironment, proxyFor } from './proxy.ts'

/*
 * Failures below HTTP (TLS, a proxy, DNS, bytes that are not HTTP) reach us as undici's or
 * Node's errors, named by a code. Each becomes a NetworkError that names the host (never a
 * path or query: a download URL's query is a credential), the cause in plain words and the fix.
 * The original stays as `cause`, so the retry policy still sees transient codes. Only our own
 * words and codes go into a message: a certificate's names and the raw bytes undici keeps of
 * a broken response are the server's text, and are left out.
 */

/** Who was at the other end: the API, or the storage behind a download link. */
export type Peer = 'api' | 'download'

const UNTRUSTED = 'is signed by an authority the runner does not trust'
const CERTIFICATE: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED,
  CERT_UNTRUSTED: UNTRUSTED,
  INVALID_CA: UNTRUSTED,
  SELF_SIGNED_CERT_IN_CHAIN: 'chains up to a self-signed authority the runner does not trust',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed',
  CERT_SIGNATURE_FAILURE: 'has a signature that does not verify',
  CERT_REVOKED: 'has been revoked',
  CERT_HAS_EXPIRED: 'has expired',
  CERT_NOT_YET_VALID: 'is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'is for a different host name',
}
const CLOCK_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])

/** Transient ones are retried by src/core/retry.ts (through `cause`); ENOTFOUND is not. */
const CONNECTION: Record<string, string> = {
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'the connection was refused',
  ECONNABORTED: 'the connection was aborted',
  EPIPE: 'the connection closed while the request was sent',
  ETIMEDOUT: 'the connection timed out',
  EAI_AGAIN: 'the host name could not be looked up just now',
  ENOTFOUND: 'the host name does not resolve',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  UND_ERR_CLOSED: 'the connection closed unexpectedly',
  UND_ERR_PRX_CONN: 'the connection through the proxy closed unexpectedly',
  UND_ERR_CONNECT_TIMEOUT: 'connecting took too long',
  UND_ERR_HEADERS_TIMEOUT: 'no answer came for too long',
  UND_ERR_BODY_TIMEOUT: 'the transfer stalled',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'the response ended before its announced length',
  ERR_STREAM_PREMATURE_CLOSE: 'the response ended early',
}

/** Awaits `work`; a transport failure comes out as a NetworkError about `target`'s host. */
export async function overTransport<T>(
  target: URL,
  peer: Peer,
  proxy: ProxyEnvironment,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw transportError(error, target, peer, proxy)
  }
}

/** A NetworkError for a failure this module recognises; anything else is returned unchanged. */
export function transportError(error: unknown, target: URL, peer: Peer, proxy: ProxyEnvironment): unknown {
  if (error instanceof ActionError || !(error instanceof Error)) return error
  const explained = explain(chain(error), target, peer, proxy)
  if (!explained) return error
  return new NetworkError(`The connection to ${describePeer(target, peer)} failed: ${explained}`, { cause: error })
}

function explain(errors: Error[], target: URL, peer: Peer, proxy: ProxyEnvironment): string | undefined {
  const tls = errors.find((e) => Object.hasOwn(CERTIFICATE, codeOf(e)))
  if (tls) return certificateProblem(codeOf(tls), target, peer)
  const handshake = errors.find((e) => /^ERR_SSL_/.test(codeOf(e)) || codeOf(e) === 'EPROTO')
  if (handshake) {
    return (
      `the TLS handshake failed (${codeOf(handshake)}). ${peer === 'api' ? "Check that 'api-url' is an https URL of the Prolific API and that" : 'Check that'} ` +
      'no proxy in between interferes, then run the workflow again.'
    )
  }
  const proxyStatus = errors.map(proxyRefusal).find((status) => status !== undefined)
  if (proxyStatus !== undefined) return proxyProblem(proxyStatus, target, proxy)
  const broken = errors.find((e) => e.name === 'HTTPParserError' || codeOf(e) === 'UND_ERR_HEADERS_OVERFLOW')
  if (broken) {
    return (
      `the server or a proxy in between sent a broken response (${brokenDetail(broken)}). Run the workflow ` +
      `again; if this keeps happening, check any proxy between the runner and ${target.hostname}.`
    )
  }
  const connection = errors.find((e) => Object.hasOwn(CONNECTION, codeOf(e)))
  if (!connection) return undefined
  const code = codeOf(connection)
  const fix =
    code === 'ENOTFOUND'
      ? `Check ${peer === 'api' ? "'api-url' and " : ''}the runner's DNS and proxy settings`
      : "Check the runner's network and proxy settings if this persists"
  return `${CONNECTION[code]} (${code}). ${fix}, then run the workflow again.`
}

function certificateProblem(code: string, target: URL, peer: Peer): string {
  const first = CLOCK_CODES.has(code)
    ? "Check the runner's clock. "
    : code === 'ERR_TLS_CERT_ALTNAME_INVALID' && peer === 'api'
      ? "Check 'api-url'. "
      : ''
  return (
    `the TLS certificate of ${target.hostname} ${CERTIFICATE[code]} (${code}). ${first}If the runner reaches the ` +
    "internet through a TLS-inspecting proxy, give Node that proxy's CA certificate: set " +
    "NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the step's or the runner's environment, then run the workflow again."
  )
}

function proxyProblem(status: number, target: URL, proxy: ProxyEnvironment): string {
  const { name, value } = proxyFor(target.protocol, proxy)
  const where = `the proxy in ${name}${proxyHost(value)}`
  if (status === 407) {
    return (
      `${where} answered 407 Proxy Authentication Required. Check the proxy credentials in ${name} ` +
      '(http://user:password@host:port, with special characters percent-encoded), then run the workflow again.'
    )
  }
  return (
    `${where} refused to connect to ${target.hostname} (HTTP ${status}). Check that the proxy allows ` +
    `connections to ${target.hostname}, then run the workflow again.`
  )
}

/** The status of a proxy's refusal: undici words CONNECT and plain-request refusals differently. */
function proxyRefusal(error: Error): number | undefined {
  if (codeOf(error) === 'UND_ERR_INVALID_ARG' && error.message === 'Proxy Authentication Required (407)') return 407
  if (codeOf(error) !== 'UND_ERR_ABORTED') return undefined
  const match = /^Proxy response \((\d{3})\) !== 200/.exec(error.message)
  return match ? Number(match[1]) : undefined
}

function brokenDetail(error: Error): string {
  if (codeOf(error) === 'UND_ERR_HEADERS_OVERFLOW') return 'response headers over the size limit'
  // undici's own reason, e.g. "Invalid character in Content-Length"; kept only if it is plain words.
  const reason = /\(([A-Za-z0-9 ,.\-/]{1,80})\)$/.exec(error.message)?.[1]
  return reason ? `not valid HTTP: ${reason}` : 'not valid HTTP'
}

function describePeer(target: URL, peer: Peer): string {
  return peer === 'api' ? `the Prolific API at ${target.host}` : `the download host ${target.host}`
}

function proxyHost(value: string | undefined): string {
  return value && URL.canParse(value) ? ` (${new URL(value).host})` : ''
}

function chain(error: Error): Error[] {
  const errors: Error[] = []
  for (let current: unknown = error; current instanceof Error && errors.length < 5; current = current.cause) {
    errors.push(current)
  }
  return errors
}

function codeOf(error: Error): string {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? code : ''
}
