// Failures below HTTP (TLS, proxy, DNS, broken framing) end as NetworkErrors naming the host,
// the cause and the fix, against real loopback servers; permanent ones are not retried.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { ActionError, InputError, NetworkError } from '../src/core/errors.ts'
import { readProxyEnvironment } from '../src/core/proxy.ts'
import { harness } from '../test-support/client-harness.ts'
import { startConnectProxy } from '../test-support/connect-proxy.ts'
import { startFakeProlific } from '../test-support/fake-prolific.ts'
import { type RawReply, rawResponse, startRawHttp } from '../test-support/raw-http.ts'
import { runInProcess } from '../test-support/run-in-process.ts'
import { readRunnerLog } from '../test-support/runner-log.ts'
import { type CertificateCase, startTlsServer, trustingAgent } from '../test-support/tls-server.ts'
import { apiClient, downloadFrom, failure, listFrom } from '../test-support/transport-harness.ts'

const dir = mkdtempSync(join(tmpdir(), 'transport-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  vi.unstubAllEnvs()
  for (const close of cleanups.splice(0)) await close()
})
async function track<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const started = await server
  cleanups.push(() => started.close())
  return started
}

async function downloadFailure(origin: string) {
  const { h, result } = downloadFrom(origin, dir)
  return { h, error: await failure(result) }
}

function expectPermanent(error: Error, h: { clock: { sleeps: number[] } }, host: string, ...words: string[]) {
  expect(error).toBeInstanceOf(NetworkError)
  expect(error.message).toContain(host)
  for (const word of words) expect(error.message).toContain(word)
  expect(error.message).not.toMatch(/bucket|secret-key|s1gnature/)
  // Failed at once: no back-off was slept.
  expect(h.clock.sleeps).toEqual([])
}

describe('certificates that cannot be verified', () => {
  const fix = 'NODE_EXTRA_CA_CERTS=/path/to/ca.pem'
  it.each<[CertificateCase, string]>([
    ['self-signed', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['untrusted-leaf', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['untrusted-chain', 'SELF_SIGNED_CERT_IN_CHAIN'],
  ])('API with a %s certificate: %s, the host and NODE_EXTRA_CA_CERTS, no retry', async (which, code) => {
    const server = await track(startTlsServer(which))
    const { h, error } = await listFrom(server.url)
    expectPermanent(error, h, `the Prolific API at ${new URL(server.url).host}`, code, fix)
  })

  it.each<[CertificateCase, string, string]>([
    ['expired', 'CERT_HAS_EXPIRED', "Check the runner's clock"],
    ['other-host', 'ERR_TLS_CERT_ALTNAME_INVALID', "Check 'api-url'"],
  ])('API with an %s certificate from a trusted authority: %s', async (which, code, advice) => {
    const server = await track(startTlsServer(which))
    const trusting = trustingAgent()
    cleanups.push(() => trusting.close())
    const { h, error } = await listFrom(server.url, trusting)
    expectPermanent(error, h, new URL(server.url).host, code, advice, fix)
    // The certificate's own names are the server's text, and stay out of the message.
    expect(error.message).not.toContain('elsewhere.invalid')
  })

  it('the valid certificate passes for a client that trusts the authority (the fixture is sound)', async () => {
    const server = await track(startTlsServer('valid'))
    const trusting = trustingAgent()
    cleanups.push(() => trusting.close())
    const { client } = apiClient(server.url, trusting)
    await expect(client.listExports('batch1')).resolves.toEqual([])
  })

  it('a download host with a self-signed certificate: its host only, never the path or query', async () => {
    const server = await track(startTlsServer('self-signed'))
    const { h, error } = await downloadFailure(server.url)
    expectPermanent(error, h, `the download host ${new URL(server.url).host}`, 'DEPTH_ZERO_SELF_SIGNED_CERT', fix)
  })
})

describe('proxies', () => {
  it('a proxy answering 407 to CONNECT (no credentials): says so, names the variable, no retry', async () => {
    const proxy = await track(startConnectProxy({ credentials: 'alice:right' }))
    vi.stubEnv('HTTPS_PROXY', proxy.url)
    const { h, error } = await listFrom('https://127.0.0.1:9')
    expectPermanent(
      error,
      h,
      '127.0.0.1:9',
      '407 Proxy Authentication Required',
      'Check the proxy credentials in HTTPS_PROXY',
    )
    expect(error.message).toContain(new URL(proxy.url).host)
    expect(proxy.refused).toBe(1)
  })

  it('wrong credentials in HTTP_PROXY (plain request): 407, and the userinfo is never echoed', async () => {
    const fake = await track(startFakeProlific())
    const proxy = await track(startConnectProxy({ credentials: 'alice:right' }))
    vi.stubEnv('HTTP_PROXY', proxy.url.replace('//', '//alice:wr0ng-s3cret@'))
    const { h, error } = await listFrom(fake.url)
    expectPermanent(error, h, new URL(fake.url).host, '407', 'Check the proxy credentials in HTTP_PROXY')
    expect(error.message).not.toMatch(/alice|wr0ng-s3cret/)
    expect(fake.requests).toEqual([])
  })

  it('the right credentials pass (the fixture is sound)', async () => {
    const fake = await track(startFakeProlific())
    const proxy = await track(startConnectProxy({ credentials: 'alice:right' }))
    vi.stubEnv('HTTP_PROXY', proxy.url.replace('//', '//alice:right@'))
    await expect(harness(fake.url).client.listExports('batch1')).resolves.toBeInstanceOf(Array)
    expect(proxy.refused).toBe(0)
  })

  it.each([
    ['HTTPS_PROXY', 'http://alice:s3cret@[not-a-host', 'is not a valid URL'],
    ['https_proxy', 'alice:s3cret@proxy.corp:3128', 'does not start with http:// or https://'],
    ['HTTP_PROXY', 'socks5://alice:s3cret@proxy.corp:1080', 'does not start with http:// or https://'],
  ])('a malformed %s fails before any request, naming the variable, never its value', async (name, value, problem) => {
    vi.stubEnv(name, value)
    const error = await failure(Promise.resolve().then(() => readProxyEnvironment(process.env)))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toContain(`The proxy URL in the ${name} environment variable ${problem}`)
    expect(error.message).not.toMatch(/alice|s3cret|proxy\.corp/)
  })
})

describe('broken responses', () => {
  const oversized = rawResponse('[]', [`X-Padding: ${'a'.repeat(70_000)}`])
  const badLength = 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\nConnection: close\r\n\r\n[]'
  const cases: [string, string, string][] = [
    ['oversized headers', oversized, 'response headers over the size limit'],
    ['an invalid Content-Length', badLength, 'Invalid character in Content-Length'],
  ]
  const broken = 'the server or a proxy in between sent a broken response'

  it.each(cases)('from the API, %s: a NetworkError with the host, not retried', async (_, reply, detail) => {
    const server = await track(startRawHttp(() => reply))
    const { h, error } = await listFrom(server.url)
    expectPermanent(
      error,
      h,
      `the Prolific API at ${new URL(server.url).host}`,
      broken,
      detail,
      'Run the workflow again',
    )
    expect(server.requests).toBe(1)
  })

  // In the body, after the headers were fine: the error comes out of the pipeline to disk.
  const badChunk = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nPK\r\nzz\r\n'
  const storageCases = [
    ...cases,
    ['a broken chunk in the body', badChunk, 'not valid HTTP: Invalid character in chunk size'],
  ]
  it.each(storageCases)('from the storage, %s: the host only, not retried', async (_, reply, detail) => {
    const server = await track(startRawHttp(() => reply))
    const { h, error } = await downloadFailure(server.url)
    expectPermanent(error, h, `the download host ${new URL(server.url).host}`, broken, detail)
    expect(server.requests).toBe(1)
  })
})

describe('the retry policy still sees transient failures', () => {
  it('a reset connection is retried, and the download then succeeds', async () => {
    const replies: RawReply = (n) => (n === 1 ? 'reset' : rawResponse('PK-bytes'))
    const server = await track(startRawHttp(replies))
    const { h, result } = downloadFrom(server.url, dir)
    const done = await result
    expect(done.bytes).toBe(8)
    expect(server.requests).toBe(2)
    expect(h.log.join('\n')).toMatch(
      /Downloading the archive failed \(The connection to the download host .* failed: .*\); retrying/,
    )
  })

  it('resets until the attempts run out end as an ActionError naming the host, not a bug', async () => {
    const server = await track(startRawHttp(() => 'reset'))
    const { h, error } = await downloadFailure(server.url)
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toMatch(
      /^The connection to the download host 127\.0\.0\.1:\d+ failed: .* \((E[A-Z]+|UND_ERR_[A-Z_]+)\)\./,
    )
    expect(server.requests).toBe(12)
    expect(h.clock.sleeps).toHaveLength(11)
  })
})

describe('run(): reported as the cause, never as "Unexpected error"', () => {
  async function runWith(env: Record<string, string>, apiUrl: string) {
    const inputs = { 'batch-id': 'batch1', 'api-url': apiUrl, 'upload-artifact': 'false' }
    const done = await runInProcess({ inputs, env: { PROLIFIC_TOKEN: 'tok3n', ...env } })
    const view = readRunnerLog(done.stdout)
    expect(done.code).toBe(1)
    expect(view.shown).not.toContain('Unexpected error')
    return { shown: view.shown, errors: view.commands.filter((c) => c.name === 'error').map((c) => c.data) }
  }

  it('a proxy refusing the credentials in HTTP_PROXY', async () => {
    const fake = await track(startFakeProlific({ token: 'tok3n' }))
    const proxy = await track(startConnectProxy({ credentials: 'alice:right' }))
    const { shown, errors } = await runWith({ HTTP_PROXY: proxy.url.replace('//', '//alice:wr0ng@') }, fake.url)
    expect(errors).toEqual([expect.stringContaining('407 Proxy Authentication Required. Check the proxy credentials')])
    expect(shown).not.toMatch(/alice|wr0ng/)
  })

  it('a malformed HTTPS_PROXY', async () => {
    const { shown, errors } = await runWith({ HTTPS_PROXY: 'http://alice:s3cret@[oops' }, 'http://127.0.0.1:9')
    expect(errors).toEqual([expect.stringContaining('The proxy URL in the HTTPS_PROXY environment variable')])
    expect(shown).not.toMatch(/alice|s3cret/)
  })

  it('proxies come from the environment run() is given, never from process.env behind its back', async () => {
    const fake = await track(startFakeProlific({ token: 'tok3n' }))
    const proxy = await track(startConnectProxy({ credentials: 'alice:right' }))
    const inputs = { 'batch-id': 'batch1', 'api-url': fake.url, 'upload-artifact': 'false' }
    const refusing = proxy.url.replace('//', '//alice:wr0ng@')
    // In process.env only: the run ignores it and succeeds without touching the proxy.
    const ignored = await runInProcess({
      inputs,
      env: { PROLIFIC_TOKEN: 'tok3n', HTTP_PROXY: refusing },
      stepEnv: { HTTP_PROXY: undefined },
    })
    expect(ignored.code).toBe(0)
    expect(proxy.refused).toBe(0)
    // In the injected environment only: the run goes through the proxy, which refuses it.
    const used = await runInProcess({ inputs, env: { PROLIFIC_TOKEN: 'tok3n' }, stepEnv: { HTTP_PROXY: refusing } })
    expect(used.code).toBe(1)
    expect(readRunnerLog(used.stdout).shown).toContain('407 Proxy Authentication Required')
    expect(proxy.refused).toBeGreaterThan(0)
  })
})
