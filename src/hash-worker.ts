import { Worker } from 'node:worker_threads'

// Plain CommonJS for `eval: true`: the worker needs no file of its own in dist/.
const SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
let hash = createHash('sha256')
parentPort.on('message', (message) => {
  if (message.type === 'data') {
    hash.update(new Uint8Array(message.buffer))
    parentPort.postMessage({ type: 'ack', bytes: message.buffer.byteLength })
  } else if (message.type === 'reset') {
    hash = createHash('sha256')
  } else if (message.type === 'digest') {
    parentPort.postMessage({ type: 'digest', hex: hash.digest('hex') })
    hash = createHash('sha256')
  }
})
`

/** Unacknowledged bytes at most: a slow hash holds back the download instead of filling memory. */
const MAX_BACKLOG = 32 * 1024 * 1024

/**
 * SHA-256 on the second core. The download hands every chunk over (a copy, whose memory moves
 * to the worker) and goes on receiving and writing while the worker hashes.
 */
export class HashWorker {
  private readonly worker = new Worker(SOURCE, { eval: true })
  private backlog = 0
  private waiting: (() => void) | undefined
  private digestWaiter: ((hex: string) => void) | undefined
  private failure: Error | undefined

  constructor() {
    this.worker.on('message', (message: { type: string; bytes?: number; hex?: string }) => {
      if (message.type === 'ack') {
        this.backlog -= message.bytes ?? 0
        if (this.backlog <= MAX_BACKLOG / 2) this.release()
      } else if (message.type === 'digest') {
        this.digestWaiter?.(message.hex ?? '')
      }
    })
    this.worker.on('error', (error) => {
      this.failure = error
      this.release()
    })
  }

  /** Resolves when the backlog allows more. */
  async update(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure
    const copy = new Uint8Array(chunk).buffer
    this.backlog += copy.byteLength
    this.worker.postMessage({ type: 'data', buffer: copy }, [copy])
    if (this.backlog > MAX_BACKLOG) await new Promise<void>((resolve) => (this.waiting = resolve))
    if (this.failure) throw this.failure
  }

  reset(): void {
    this.worker.postMessage({ type: 'reset' })
  }

  /** The hex digest of everything since the last reset. Messages arrive in order, so it covers every update. */
  digest(): Promise<string> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve) => {
      this.digestWaiter = resolve
      this.worker.postMessage({ type: 'digest' })
    })
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
