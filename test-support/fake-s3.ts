// The storage half of the fake: presigned URLs and the way S3 refuses them. Kept apart from the
// API half because its failure modes (XML bodies, expiry, Range) are S3's, not Prolific's.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type DownloadFault, sendBody, sendFileBody } from './fake-faults.ts'

export const STORAGE_PATH = /^\/storage\/exports\/([^/]+)\.zip$/

/** An object served from a file, streamed and never loaded whole: archives of any size. */
export interface StoredFile {
  file: string
}

/** The object's bytes, a function called on every download, or a file. */
export type StoredObject = Buffer | (() => Buffer) | StoredFile

export interface FakeBucketOptions {
  now: () => number
  ttlMs: number
  archive: StoredObject
}

export interface FakeBucket {
  /** A fresh presigned URL for `name`; `exists` says whether the object is still stored. */
  sign(baseUrl: string, name: string, exists: () => boolean): { url: string; expires_at: string }
  serve(req: IncomingMessage, res: ServerResponse, url: URL): void
  setArchive(archive: StoredObject): void
  /** One-shot faults, consumed in order by the next well-signed downloads. */
  addFaults(faults: DownloadFault[]): void
}

export function createFakeBucket({ now, ttlMs, archive: first }: FakeBucketOptions): FakeBucket {
  const grants = new Map<string, { name: string; issuedAt: number; exists: () => boolean }>()
  const faults: DownloadFault[] = []
  let archive = first
  // Bumped by a changeEtag fault: the same bytes under a new ETag, as after a re-upload.
  let version = 0

  const sign: FakeBucket['sign'] = (baseUrl, name, exists) => {
    const issuedAt = now()
    const signature = randomBytes(32).toString('hex')
    grants.set(signature, { name, issuedAt, exists })
    const amzDate = new Date(issuedAt).toISOString().replace(/[-:]|\.\d{3}/g, '')
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `AKIAFAKEFAKEFAKE/${amzDate.slice(0, 8)}/eu-west-2/s3/aws4_request`,
      'X-Amz-Date': amzDate,
      'X-Amz-Expires': String(Math.ceil(ttlMs / 1000)),
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': signature,
    })
    return {
      url: `${baseUrl}/storage/exports/${name}.zip?${query.toString()}`,
      expires_at: new Date(issuedAt + ttlMs).toISOString(),
    }
  }

  const serve: FakeBucket['serve'] = (req, res, url) => {
    // Real S3 rejects a presigned request that also carries an Authorization header, which
    // lets tests prove the API token is never sent to storage.
    if (req.headers.authorization !== undefined) {
      return s3Error(
        res,
        400,
        'InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      )
    }
    const grant = grants.get(url.searchParams.get('X-Amz-Signature') ?? '')
    if (!grant || STORAGE_PATH.exec(url.pathname)?.[1] !== grant.name) {
      return s3Error(
        res,
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      )
    }
    const fault = faults.shift()
    if (fault?.changeObject) archive = fault.changeObject
    if (fault?.changeEtag) version += 1
    if (now() - grant.issuedAt >= ttlMs || fault?.expired) {
      return s3Error(res, 403, 'AccessDenied', 'Request has expired', {
        'X-Amz-Expires': String(Math.ceil(ttlMs / 1000)),
        Expires: new Date(grant.issuedAt + ttlMs).toISOString(),
        ServerTime: new Date(now()).toISOString(),
      })
    }
    if (!grant.exists()) return s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.')
    sendObject(req, res, typeof archive === 'function' ? archive() : archive, version, fault)
  }

  return {
    sign,
    serve,
    setArchive: (next) => {
      archive = next
    },
    addFaults: (more) => {
      faults.push(...more)
    },
  }
}

// Serves the object the way S3 does, including single `bytes=N-` / `bytes=N-M` ranges and
// If-Range, so resumable downloads can be tested. A file's ETag comes from its size and mtime
// (hashing gigabytes per request would be the benchmark's bottleneck): a rewrite changes both.
function sendObject(
  req: IncomingMessage,
  res: ServerResponse,
  object: Buffer | StoredFile,
  version: number,
  fault: DownloadFault | undefined,
): void {
  const stat = Buffer.isBuffer(object) ? undefined : statSync(object.file)
  const length = stat ? stat.size : (object as Buffer).length
  const etag = `"${createHash('md5')
    .update(stat ? `${stat.size}:${stat.mtimeMs}` : (object as Buffer))
    .update(version > 0 ? `:${version}` : '')
    .digest('hex')}"`
  const headers: Record<string, string> = {
    'Content-Type': 'application/zip',
    ETag: etag,
    'Accept-Ranges': 'bytes',
    'Last-Modified': new Date(0).toUTCString(),
  }
  const ifRange = req.headers['if-range']
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '')
  let first = 0
  let last = length - 1
  let status = 200
  const start = Number(range?.[1])
  const lastAsked = range?.[2] ? Number(range[2]) : Infinity
  // An If-Range that no longer matches, or a backwards range, means "send it all" (RFC 9110).
  if (range && !fault?.ignoreRange && (ifRange === undefined || ifRange === etag) && lastAsked >= start) {
    if (start >= length) {
      res.setHeader('Content-Range', `bytes */${length}`)
      return s3Error(res, 416, 'InvalidRange', 'The requested range is not satisfiable')
    }
    first = start
    last = Math.min(lastAsked, length - 1)
    status = 206
    headers['Content-Range'] = `bytes ${first}-${last}/${length}`
  }
  headers['Content-Length'] = String(last - first + 1)
  res.writeHead(status, headers)
  if (req.method === 'HEAD') return void res.end()
  if (Buffer.isBuffer(object)) sendBody(res, object.subarray(first, last + 1), fault)
  else sendFileBody(res, object.file, first, last, fault)
}

function s3Error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): void {
  const fields = Object.entries(extra).map(([key, value]) => `<${key}>${value}</${key}>`)
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message>${fields.join('')}` +
    `<RequestId>${randomUUID()}</RequestId><HostId>fake-s3</HostId></Error>`
  res.writeHead(status, { 'Content-Type': 'application/xml' })
  res.end(body)
}
