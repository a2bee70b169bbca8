import { createHash } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'

/*
 * The SHA-256 thread that HashWorker starts. Only Node's built-in modules may be imported
 * here: the bundle ships this file on its own (ncc --asset-builds), and from src/ Node runs it
 * as TypeScript directly.
 */

/** What the thread is told, in the order it must act. */
export type ToHashThread =
  /** Hash the ring's bytes [start, start + length), then acknowledge them. */
  | { type: 'data'; start: number; length: number }
  /** Start a new hash. */
  | { type: 'reset' }
  /** Answer the digest of everything since the last reset, then start a new hash. */
  | { type: 'digest' }

/** What the thread answers. */
export type FromHashThread = { type: 'ack'; bytes: number } | { type: 'digest'; hex: string }

/** The thread's workerData: the shared ring the bytes are copied into. */
export interface HashThreadData {
  hashRing: SharedArrayBuffer
}

/** The part of a MessagePort the thread uses (a test drives it over a MessageChannel). */
export interface HashThreadPort {
  on(event: 'message', listener: (message: ToHashThread) => void): unknown
  postMessage(message: FromHashThread): void
}

/** Hashes slices of `ring` in the order they are posted and acknowledges each one. */
export function serveHashes(port: HashThreadPort, ring: Uint8Array): void {
  let hash = createHash('sha256')
  port.on('message', (message) => {
    switch (message.type) {
      case 'data':
        hash.update(ring.subarray(message.start, message.start + message.length))
        port.postMessage({ type: 'ack', bytes: message.length })
        break
      case 'reset':
        hash = createHash('sha256')
        break
      case 'digest':
        port.postMessage({ type: 'digest', hex: hash.digest('hex') })
        hash = createHash('sha256')
        break
    }
  })
}

function isHashThreadData(data: unknown): data is HashThreadData {
  return typeof data === 'object' && data !== null && 'hashRing' in data && data.hashRing instanceof SharedArrayBuffer
}

// Started as HashWorker's thread (and not merely imported, say by a test): serve the ring.
const data: unknown = workerData
if (parentPort && isHashThreadData(data)) serveHashes(parentPort, new Uint8Array(data.hashRing))
