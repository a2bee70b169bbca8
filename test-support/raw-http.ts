// A loopback server that answers each request with raw bytes of the test's choosing, for
// responses no well-behaved HTTP server would send (oversized headers, a Content-Length that
// is not a number), or drops the connection.
import { createServer, type AddressInfo, type Socket } from 'node:net'

/** What to do with the nth request (from 1): send these bytes and close, or reset the connection. */
export type RawReply = (n: number) => string | Buffer | 'reset'

export interface RawHttp {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string
  /** Requests received so far (one per connection: every reply closes it). */
  readonly requests: number
  close(): Promise<void>
}

export async function startRawHttp(reply: RawReply): Promise<RawHttp> {
  let requests = 0
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    let head = ''
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      socket.off('data', onData)
      const answer = reply(++requests)
      if (answer === 'reset') return void socket.resetAndDestroy()
      socket.end(answer)
    }
    socket.on('data', onData)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** A complete HTTP/1.1 response with Content-Length, plus any raw header lines. */
export function rawResponse(body: string, extraHeaders: string[] = [], status = '200 OK'): string {
  const headers = [`Content-Length: ${Buffer.byteLength(body)}`, ...extraHeaders]
  return `HTTP/1.1 ${status}\r\n${headers.join('\r\n')}\r\nConnection: close\r\n\r\n${body}`
}
