import { Worker } from 'node:worker_threads'

// Plain CommonJS for `eval: true`: the worker needs no file of its own in dist/. It hashes
// slices of the shared ring in the order they are posted and acknowledges each one.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const ring = new Uint8Array(workerData.ring)
let hash = createHash('sha256')
parentPort.on('message', (message) => {
  if (message.type === 'data') {
    hash.update(ring.subarray(message.start, message.start + message.length))
    parentPort.postMessage({ type: 'ack', bytes: message.length })
  } else if (message.type === 'reset') {
    hash = createHash('sha256')
  } else if (message.type === 'digest') {
    parentPort.postMessage({ type: 'digest', hex: hash.digest('hex') })
    hash = createHash('sha256')
  }
})
`

/** The shared ring: what the hash may lag behind the download, and all the memory it takes. */
export const DEFAULT_RING_BYTES = 4 * 1024 * 1024
/** Copied bytes are announced to the worker in slices of this size (or at the ring's end). */
const POST_BYTES = 1024 * 1024

/**
 * SHA-256 on the second core. Chunks are copied into a ring of shared memory, allocated once,
 * and the worker is told which slice to hash: no buffer is allocated, cloned or collected per
 * chunk, and a slow hash holds the download back (update waits for room) instead of filling
 * memory.
 */
export class HashWorker {
  private readonly ring: Uint8Array
  private readonly worker: Worker
  /** Where the next chunk is copied, and how many bytes of the ring await the worker. */
  private head = 0
  private used = 0
  /** Bytes copied since the last message to the worker. */
  private unposted = 0
  private waiting: (() => void) | undefined
  private digestWaiter: { resolve: (hex: string) => void; reject: (error: Error) => void } | undefined
  private failure: Error | undefined

  constructor(ringBytes = DEFAULT_RING_BYTES) {
    const shared = new SharedArrayBuffer(ringBytes)
    this.ring = new Uint8Array(shared)
    this.worker = new Worker(SOURCE, { eval: true, workerData: { ring: shared } })
    this.worker.on('message', (message: { type: string; bytes?: number; hex?: string }) => {
      if (message.type === 'ack') {
        this.used -= message.bytes ?? 0
        this.release()
      } else if (message.type === 'digest') {
        this.digestWaiter?.resolve(message.hex ?? '')
      }
    })
    this.worker.on('error', (error) => {
      this.failure = error
      this.release()
      this.digestWaiter?.reject(error)
    })
  }

  /** Updates run one after another, in call order, whoever calls. */
  private queue: Promise<void> = Promise.resolve()

  /** Hands the chunk to the worker; resolves once it is copied (the caller may then reuse it). */
  update(chunk: Uint8Array): Promise<void> {
    const copied = this.queue.then(() => this.copy(chunk))
    this.queue = copied.catch(() => undefined)
    return copied
  }

  private async copy(chunk: Uint8Array): Promise<void> {
    let offset = 0
    while (offset < chunk.length) {
      if (this.failure) throw this.failure
      const free = this.ring.length - this.used
      if (free === 0) {
        await new Promise<void>((resolve) => (this.waiting = resolve))
        continue
      }
      // Up to the ring's end: a chunk that wraps is posted as two slices.
      const length = Math.min(chunk.length - offset, free, this.ring.length - this.head)
      this.ring.set(chunk.subarray(offset, offset + length), this.head)
      this.head = (this.head + length) % this.ring.length
      this.used += length
      this.unposted += length
      offset += length
      if (this.unposted >= POST_BYTES || this.head === 0) this.post()
    }
  }

  /** Tells the worker of the bytes copied since the last post: one message per slice, not per chunk. */
  private post(): void {
    if (this.unposted === 0) return
    const end = this.head === 0 ? this.ring.length : this.head
    this.worker.postMessage({ type: 'data', start: end - this.unposted, length: this.unposted })
    this.unposted = 0
  }

  /** Starts over; bytes already handed over are still hashed first, into the discarded hash. */
  reset(): void {
    void this.queue.then(() => {
      this.post()
      this.worker.postMessage({ type: 'reset' })
    })
  }

  /** The hex digest of everything since the last reset. Messages arrive in order, so it covers every update. */
  digest(): Promise<string> {
    return this.queue.then(
      () =>
        new Promise((resolve, reject) => {
          if (this.failure) return reject(this.failure)
          this.digestWaiter = { resolve, reject }
          this.post()
          this.worker.postMessage({ type: 'digest' })
        }),
    )
  }

  async close(): Promise<void> {
    await this.worker.terminate()
  }

  private release(): void {
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.()
  }
}
