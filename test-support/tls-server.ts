// HTTPS servers on 127.0.0.1 with certificates that fail verification in each way a runner
// meets in practice (a TLS-inspecting proxy's own authority, a self-signed certificate, an
// expired one, one for another host). The keys and certificates are made at test time with
// the system's openssl in a temporary folder, removed at once; nothing is checked in.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { RequestListener } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent } from 'undici'

/** `valid` is valid only for a client that trusts `ca` (as NODE_EXTRA_CA_CERTS would make it). */
export type CertificateCase = 'valid' | 'self-signed' | 'untrusted-leaf' | 'untrusted-chain' | 'expired' | 'other-host'

export interface Certificates {
  /** The test authority's certificate (PEM), which no default trust store holds. */
  ca: string
  served: Record<CertificateCase, { key: string; cert: string }>
}

let made: Certificates | undefined

/** Made once per test file: a few milliseconds of EC key generation. */
export function certificates(): Certificates {
  made ??= makeCertificates()
  return made
}

function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'tls-'))
  // Arguments hold no spaces, so a command reads as on a shell.
  const ssl = (command: string) => execFileSync('/usr/bin/openssl', command.split(' '), { cwd: dir, stdio: 'pipe' })
  const ec = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'
  const signed = '-req -in leaf.csr -CA ca.pem -CAkey ca.key -days 2'
  try {
    ssl(`req -x509 ${ec} -keyout ca.key -out ca.pem -days 2 -subj /CN=Test-TLS-inspection-CA`)
    ssl(`req -x509 ${ec} -keyout self.key -out self.pem -days 2 -subj /CN=127.0.0.1`)
    ssl(`req ${ec} -keyout leaf.key -out leaf.csr -subj /CN=127.0.0.1`)
    writeFileSync(join(dir, 'ip.ext'), 'subjectAltName=IP:127.0.0.1\n')
    writeFileSync(join(dir, 'dns.ext'), 'subjectAltName=DNS:elsewhere.invalid\n')
    ssl(`x509 ${signed} -extfile ip.ext -out leaf.pem`)
    ssl(`x509 ${signed} -extfile dns.ext -out other.pem`)
    expiredLeaf(dir, ssl)
    const read = (name: string) => readFileSync(join(dir, name), 'utf8')
    const leaf = { key: read('leaf.key'), cert: read('leaf.pem') }
    return {
      ca: read('ca.pem'),
      served: {
        valid: leaf,
        'self-signed': { key: read('self.key'), cert: read('self.pem') },
        'untrusted-leaf': leaf,
        'untrusted-chain': { key: leaf.key, cert: leaf.cert + read('ca.pem') },
        expired: { key: leaf.key, cert: read('expired.pem') },
        'other-host': { key: leaf.key, cert: read('other.pem') },
      },
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A client that trusts the test authority, as NODE_EXTRA_CA_CERTS would make the action. */
export function trustingAgent(): Agent {
  return new Agent({ connect: { ca: certificates().ca } })
}

/** `openssl x509` cannot date a certificate in the past; `openssl ca` can. */
function expiredLeaf(dir: string, ssl: (command: string) => Buffer): void {
  writeFileSync(join(dir, 'index.txt'), '')
  writeFileSync(join(dir, 'serial'), '01\n')
  const config = ['[ca]', 'default_ca = x', '[x]', 'database = index.txt', 'serial = serial', 'new_certs_dir = .']
  config.push('default_md = sha256', 'policy = p', '[p]', 'commonName = supplied')
  writeFileSync(join(dir, 'ca.cnf'), `${config.join('\n')}\n`)
  const dates = '-startdate 20200101000000Z -enddate 20200102000000Z'
  ssl(
    `ca -batch -notext -config ca.cnf -cert ca.pem -keyfile ca.key ${dates} -in leaf.csr -extfile ip.ext -out expired.pem`,
  )
}

export interface TlsServer {
  /** https://127.0.0.1:PORT, no trailing slash. */
  url: string
  close(): Promise<void>
}

export async function startTlsServer(
  which: CertificateCase,
  handler: RequestListener = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'),
): Promise<TlsServer> {
  const server = createServer(certificates().served[which], handler)
  server.on('tlsClientError', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
