// The Azure Blob Storage half of the fake artifact service: just what @azure/storage-blob's
// BlockBlobClient.uploadStream sends behind a SAS URL (Put Block, then Put Block List), plus a
// single-shot Put Blob. Blocks are kept per blob until a block list (Latest or Uncommitted ids;
// re-committing Committed blocks is not played) commits them in its order.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

export const BLOB_PATH = /^\/blob\/([^/]+)\/([^/]+)$/
const SERVICE_VERSION = '2026-02-06'

export type BlobRoute = 'PutBlock' | 'PutBlockList' | 'PutBlob'

export interface CommittedBlob {
  bytes: Buffer
  /** x-ms-blob-content-type of the commit (the SDK's blobHTTPHeaders.blobContentType). */
  contentType: string | undefined
  /** Block ids in commit order, decoded from base64. */
  blockIds: string[]
}

export interface FakeBlobStore {
  /** A SAS-style URL for a blob in `container`; only the `sig` it carries is accepted. */
  sign(baseUrl: string, container: string, blob: string): string
  serve(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void
  committed(blob: string): CommittedBlob | undefined
  /** Forgets the blob's grants, staged blocks and committed bytes (the artifact was deleted). */
  remove(blob: string): void
}

export function blobRoute(method: string, url: URL): BlobRoute | undefined {
  if (method !== 'PUT' || !BLOB_PATH.test(url.pathname)) return undefined
  const comp = url.searchParams.get('comp')
  if (comp === 'block') return 'PutBlock'
  if (comp === 'blocklist') return 'PutBlockList'
  return comp === null ? 'PutBlob' : undefined
}

export function createFakeBlobStore(): FakeBlobStore {
  const grants = new Map<string, string>()
  const staged = new Map<string, Map<string, Buffer>>()
  const blobs = new Map<string, CommittedBlob>()

  const sign: FakeBlobStore['sign'] = (baseUrl, container, blob) => {
    const sig = randomBytes(24).toString('base64')
    grants.set(sig, `${container}/${blob}`)
    const expiry = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}/, '')
    const query = new URLSearchParams({ sv: SERVICE_VERSION, sr: 'b', sp: 'cw', se: expiry, sig })
    return `${baseUrl}/blob/${container}/${blob}?${query.toString()}`
  }

  const serve: FakeBlobStore['serve'] = (req, res, url, body) => {
    const [, container = '', blob = ''] = BLOB_PATH.exec(url.pathname) ?? []
    if (grants.get(url.searchParams.get('sig') ?? '') !== `${container}/${blob}`) {
      const message =
        'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.'
      return sendBlobError(res, 403, 'AuthenticationFailed', message)
    }
    const route = blobRoute(req.method ?? 'GET', url)
    const blocks = staged.get(blob) ?? new Map<string, Buffer>()
    staged.set(blob, blocks)
    const contentType = header(req, 'x-ms-blob-content-type')
    if (route === 'PutBlock') {
      const id = url.searchParams.get('blockid') ?? ''
      if (id === '') return sendBlobError(res, 400, 'InvalidQueryParameterValue', 'blockid is missing.')
      blocks.set(id, body)
      return created(req, res, { 'Content-MD5': createHash('md5').update(body).digest('base64') })
    }
    if (route === 'PutBlob') {
      blobs.set(blob, { bytes: body, contentType, blockIds: [] })
      return created(req, res, blobHeaders(body))
    }
    if (route !== 'PutBlockList') return sendBlobError(res, 400, 'UnsupportedHttpVerb', 'Not played by this fake.')
    const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted)>([^<]*)<\//g)].map((m) => m[1] ?? '')
    const parts = ids.map((id) => blocks.get(id))
    if (ids.length === 0 || parts.some((part) => part === undefined)) {
      return sendBlobError(res, 400, 'InvalidBlockList', 'The specified block list is invalid.')
    }
    const bytes = Buffer.concat(parts as Buffer[])
    blobs.set(blob, { bytes, contentType, blockIds: ids.map((id) => Buffer.from(id, 'base64').toString('utf8')) })
    staged.delete(blob)
    created(req, res, blobHeaders(bytes))
  }

  const remove: FakeBlobStore['remove'] = (blob) => {
    for (const [sig, grant] of grants) if (grant.endsWith(`/${blob}`)) grants.delete(sig)
    staged.delete(blob)
    blobs.delete(blob)
  }

  return { sign, serve, committed: (blob) => blobs.get(blob), remove }
}

/** An Azure Storage error as the service sends it: XML body and x-ms-error-code header. */
export function blobErrorBody(code: string, message: string): string {
  const detail = `${message}\nRequestId:${randomUUID()}\nTime:${new Date().toISOString()}`
  return `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${detail}</Message></Error>`
}

export function sendBlobError(res: ServerResponse, status: number, code: string, message: string): void {
  const headers = { 'Content-Type': 'application/xml', 'x-ms-error-code': code, ...commonHeaders(undefined) }
  res.writeHead(status, headers).end(blobErrorBody(code, message))
}

function blobHeaders(bytes: Buffer): Record<string, string> {
  return {
    ETag: `"0x${createHash('sha256').update(bytes).digest('hex').slice(0, 15).toUpperCase()}"`,
    'Last-Modified': new Date().toUTCString(),
    'Content-MD5': createHash('md5').update(bytes).digest('base64'),
  }
}

function created(req: IncomingMessage, res: ServerResponse, extra: Record<string, string>): void {
  res.writeHead(201, { ...commonHeaders(req), ...extra, 'x-ms-request-server-encrypted': 'true' }).end()
}

function commonHeaders(req: IncomingMessage | undefined): Record<string, string> {
  const clientRequestId = req && header(req, 'x-ms-client-request-id')
  return {
    'x-ms-request-id': randomUUID(),
    ...(clientRequestId === undefined ? {} : { 'x-ms-client-request-id': clientRequestId }),
    'x-ms-version': (req && header(req, 'x-ms-version')) ?? SERVICE_VERSION,
    Date: new Date().toUTCString(),
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}
