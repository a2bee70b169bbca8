import { Worker } from 'node:worker_threads'
import type { FromHashThread, HashThreadData, ToHashThread } from './hash-thread.ts'

/**
 * A literal URL beside this module, so that ncc sees the thread and bundles it on its own
 * (`--asset-builds`, under the same name, as JavaScript); from src/, Node runs the TypeScript.
 */
const HASH_THREAD = new URL('./hash-thread.ts', import.meta.url)

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
  private closing = false

  /** `thread` is the thread's module: hash-thread.ts unless a test starts one that fails. */
  constructor(ringBytes = DEFAULT_RING_BYTES, thread: URL = HASH_THREAD) {
    const shared = new SharedArrayBuffer(ringBytes)
    this.ring = new Uint8Array(shared)
    this.worker = new Worker(thread, {
      workerData: { hashRing: shared } satisfies HashThreadData,
    })
    this.worker.on('message', (message: FromHashThread) => {
      if (message.type === 'ack') {
        this.used -= message.bytes
        this.release()
      } else {
        this.digestWaiter?.resolve(message.hex)
      }
    })
    this.worker.on('error', (error) => this.fail(error))
    // An exit nobody asked for (close() sets `closing`) would otherwise leave updates waiting.
    this.worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`the hashing thread stopped (exit code ${code})`))
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
    this.send({ type: 'data', start: end - this.unposted, length: this.unposted })
    this.unposted = 0
  }

  /** Starts over; bytes already handed over are still hashed first, into the discarded hash. */
  reset(): void {
    void this.queue.then(() => {
      this.post()
      this.send({ type: 'reset' })
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
          this.send({ type: 'digest' })
        }),
    )
  }

  async close(): Promise<void> {
    this.closing = true
    await this.worker.terminate()
  }

  private send(message: ToHashThread): void {
    this.worker.postMessage(message)
  }

  private fail(error: Error): void {
    this.failure ??= error
    this.release()
    this.digestWaiter?.reject(this.failure)
  }

  private release(): void {
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.()
  }
}
