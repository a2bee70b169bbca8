// A small forward proxy on 127.0.0.1 (CONNECT tunnels, and plain absolute-form requests, which
// undici sends for http:// targets) that records what it carried, to show which traffic went
// through a proxy (HTTPS_PROXY / HTTP_PROXY) and which bypassed it (NO_PROXY).
import { createServer, type IncomingMessage, request } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

export interface ConnectProxy {
  url: string
  /** `host:port` of every tunnel asked for, in order. */
  tunnels: string[]
  /** `METHOD host:port/path` of every plain (absolute-form) request it forwarded. */
  plain: string[]
  /** Requests and tunnels answered 407 for lacking the credentials. */
  readonly refused: number
  close(): Promise<void>
}

export interface ConnectProxyOptions {
  /** `user:password` the proxy demands in Proxy-Authorization (Basic); without them it answers 407. */
  credentials?: string
}

export async function startConnectProxy({ credentials }: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const tunnels: string[] = []
  const plain: string[] = []
  const sockets = new Set<Socket>()
  let refused = 0
  const authorised = (req: IncomingMessage) => {
    const ok =
      !credentials || req.headers['proxy-authorization'] === `Basic ${Buffer.from(credentials).toString('base64')}`
    if (!ok) refused++
    return ok
  }
  const server = createServer((req, res) => {
    if (!authorised(req)) return void res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end()
    const target = new URL(req.url ?? '/')
    plain.push(`${req.method} ${target.host}${target.pathname}`)
    // Only loopback: this proxy must never reach anything else.
    if (target.hostname !== '127.0.0.1') return void res.writeHead(403).end()
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connect', (req, client: Socket, head: Buffer) => {
    if (!authorised(req)) {
      return void client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      )
    }
    const target = req.url ?? ''
    tunnels.push(target)
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))]
    // Only loopback: this proxy must never reach anything else.
    if (host !== '127.0.0.1' && host !== 'localhost') return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => undefined)
      socket.on('close', () => sockets.delete(socket))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    plain,
    get refused() {
      return refused
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
