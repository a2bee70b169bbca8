// Self-hosted runners behind a proxy: the API calls and the download go through HTTPS_PROXY /
// HTTP_PROXY as with other actions, and NO_PROXY bypasses it.
import { afterEach, describe, expect, it } from 'vitest'
import { startConnectProxy, type ConnectProxy } from '../test-support/connect-proxy.ts'
import { EXPORT_BATCH_ID } from '../test-support/export-archive.ts'
import { type FakeProlific, startFakeProlific } from '../test-support/fake-prolific.ts'
import { runAction } from '../test-support/run-action.ts'

let fake: FakeProlific | undefined
let proxy: ConnectProxy | undefined
afterEach(async () => {
  await fake?.close()
  await proxy?.close()
})

async function exportThroughProxy(env: (proxyUrl: string, fakeHost: string) => Record<string, string>) {
  fake = await startFakeProlific({ token: 't0k3n-for-proxy-tests' })
  proxy = await startConnectProxy()
  const fakeHost = new URL(fake.url).host
  const run = await runAction({
    inputs: { 'batch-id': EXPORT_BATCH_ID, 'api-url': fake.url, 'poll-interval': '20ms' },
    env: { PROLIFIC_TOKEN: 't0k3n-for-proxy-tests', ...env(proxy.url, fakeHost) },
  })
  return { run, fakeHost, proxy, fake }
}

describe('proxies', () => {
  it('sends the API calls and the download through HTTP_PROXY / HTTPS_PROXY', async () => {
    const {
      run,
      fakeHost,
      proxy: p,
      fake: f,
    } = await exportThroughProxy((url) => ({
      HTTP_PROXY: url,
      HTTPS_PROXY: url,
    }))
    expect(run.code).toBe(0)
    expect(run.outputs['submission-count']).toBe('3')
    // Every request the fake served came through the proxy: API calls and the download alike.
    expect(f.requests.map((r) => r.route)).toEqual(['request', 'poll', 'poll', 'download', 'delete'])
    const carried = p.plain.map((line) => line.replace(/^\w+ /, ''))
    expect(p.tunnels.length + p.plain.length).toBe(f.requests.length)
    expect(carried.every((line) => line.startsWith(`${fakeHost}/`))).toBe(true)
    expect(carried.filter((line) => line.includes('/storage/'))).toHaveLength(1)
  })

  it('honours the lower-case spelling too', async () => {
    const { run, proxy: p } = await exportThroughProxy((url) => ({ http_proxy: url, https_proxy: url }))
    expect(run.code).toBe(0)
    expect(p.tunnels.length + p.plain.length).toBe(5)
  })

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    const { run, proxy: p } = await exportThroughProxy((url) => ({
      HTTP_PROXY: url,
      HTTPS_PROXY: url,
      NO_PROXY: '127.0.0.1',
    }))
    expect(run.code).toBe(0)
    expect(p.tunnels).toEqual([])
    expect(p.plain).toEqual([])
  })

  it('uses no proxy when none is set', async () => {
    const { run, proxy: p } = await exportThroughProxy(() => ({}))
    expect(run.code).toBe(0)
    expect(p.tunnels).toEqual([])
    expect(p.plain).toEqual([])
  })
})
