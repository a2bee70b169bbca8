// Which route of the fake a request takes: the export API of batches and of collections (the same
// routes under two paths) or a presigned download from the bucket.
import type { Resource, Target } from './fake-export-jobs.ts'
import { STORAGE_PATH } from './fake-s3.ts'

export type Route = 'request' | 'poll' | 'list' | 'delete' | 'download'

const API_PATH = /^\/api\/v1\/data-collection\/(batches|collections)\/([^/]+)\/export(?:\/([^/]+))?\/?$/

/** The batch or collection an API path names, and the export job when it names one. */
export function parseApiPath(path: string): { target: Target; exportId: string | undefined } | undefined {
  const match = API_PATH.exec(path)
  if (!match) return undefined
  return { target: { resource: match[1] as Resource, id: match[2] ?? '' }, exportId: match[3] }
}

export function classify(method: string, path: string): Route | 'unknown' {
  if (STORAGE_PATH.test(path)) return method === 'GET' || method === 'HEAD' ? 'download' : 'unknown'
  const api = parseApiPath(path)
  if (!api) return 'unknown'
  const onJob = api.exportId !== undefined
  if (method === 'POST' && !onJob) return 'request'
  if (method === 'GET') return onJob ? 'poll' : 'list'
  return method === 'DELETE' && onJob ? 'delete' : 'unknown'
}
