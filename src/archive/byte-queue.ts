/** The reader stopped taking bytes: it gave up on the stream, so its pushes are dropped. */
export class QueueAbandoned extends Error {
  constructor() {
    super('the byte queue was abandoned')
  }
}

/**
 * Carries a byte stream from a producer that pushes chunks (the download) to a consumer that
 * pulls exact lengths (the ZIP scanner). The producer waits while more than `limit` bytes are
 * queued, so memory stays bounded and a slow consumer slows the download rather than filling
 * memory. Chunks are kept by reference and handed out as views: nothing is copied except a
 * read that spans chunks.
 */
export class ByteQueue {
  /** Bytes handed to the consumer so far: its position in the stream. */
  position = 0
  private readonly limit: number
  private chunks: Buffer[] = []
  private queued = 0
  private ended = false
  private abandoned = false
  private wakeConsumer: (() => void) | undefined
  /** Every producer waiting for room (pushes may overlap; each is woken). */
  private wakeProducers: Array<() => void> = []

  constructor(limit: number) {
    this.limit = limit
  }

  /** Queues a chunk (kept, not copied: it must not change afterwards); waits while the queue is full. */
  async push(chunk: Buffer): Promise<void> {
    if (this.abandoned || this.ended || chunk.length === 0) return
    this.chunks.push(chunk)
    this.queued += chunk.length
    this.wake('consumer')
    while (this.queued > this.limit && !this.abandoned) {
      await new Promise<void>((resolve) => this.wakeProducers.push(resolve))
    }
  }

  /** No more bytes will come. */
  end(): void {
    this.ended = true
    this.wake('consumer')
  }

  /** The consumer gives up: queued bytes are dropped and pushes return at once from now on. */
  abandon(): void {
    this.abandoned = true
    this.chunks = []
    this.queued = 0
    this.wake('producer')
    this.wake('consumer')
  }

  /** True once every byte was taken and no more will come. */
  async atEnd(): Promise<boolean> {
    await this.fill(1)
    return this.queued === 0
  }

  /** Exactly `length` bytes; a view into a chunk where they lie in one. Throws if the stream ends first. */
  async read(length: number): Promise<Buffer> {
    if (length === 0) return Buffer.alloc(0)
    await this.fill(length)
    if (this.queued < length) throw new Error(`the archive ends ${length - this.queued} byte(s) short`)
    const first = this.chunks[0] as Buffer
    if (first.length >= length) return this.consume(length)
    const parts: Buffer[] = []
    for (let left = length; left > 0;) {
      const part = this.consume(Math.min(left, (this.chunks[0] as Buffer).length))
      parts.push(part)
      left -= part.length
    }
    return Buffer.concat(parts, length)
  }

  /** The next `length` bytes as they arrive, in views of at most one chunk each. */
  async *take(length: number): AsyncGenerator<Buffer> {
    for (let left = length; left > 0;) {
      await this.fill(1)
      if (this.queued === 0) throw new Error(`the archive ends ${left} byte(s) short`)
      const part = this.consume(Math.min(left, (this.chunks[0] as Buffer).length))
      left -= part.length
      yield part
    }
  }

  /** Waits until `length` bytes are queued or the stream ended. */
  private async fill(length: number): Promise<void> {
    while (this.queued < length && !this.ended) {
      if (this.abandoned) throw new QueueAbandoned()
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve))
    }
    if (this.abandoned) throw new QueueAbandoned()
  }

  /** Up to `length` bytes from the first chunk. */
  private consume(length: number): Buffer {
    const first = this.chunks[0] as Buffer
    const part = first.subarray(0, length)
    if (length === first.length) this.chunks.shift()
    else this.chunks[0] = first.subarray(length)
    this.queued -= length
    this.position += length
    if (this.queued <= this.limit) this.wake('producer')
    return part
  }

  private wake(side: 'consumer' | 'producer'): void {
    if (side === 'consumer') {
      const wake = this.wakeConsumer
      this.wakeConsumer = undefined
      wake?.()
    } else if (this.wakeProducers.length > 0) {
      const producers = this.wakeProducers
      this.wakeProducers = []
      for (const wake of producers) wake()
    }
  }
}
