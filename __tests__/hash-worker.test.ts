import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { HashWorker } from '../src/hash-worker.ts'

describe('HashWorker', () => {
  it('hashes through a ring much smaller than the data, whatever the chunk sizes, and starts over on reset', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17)
    const worker = new HashWorker(64 * 1024)
    try {
      worker.update(randomBytes(1000)) // discarded by the reset below
      worker.reset()
      let at = 0
      for (let size = 1; at < data.length; size = (size * 7 + 3) % 200_000) {
        await worker.update(data.subarray(at, at + size))
        at += size
      }
      expect(await worker.digest()).toBe(createHash('sha256').update(data).digest('hex'))
    } finally {
      await worker.close()
    }
  })
})

describe('HashWorker, when its thread dies', () => {
  it('fails updates and the digest instead of hanging', async () => {
    const worker = new HashWorker(64 * 1024)
    try {
      await worker.update(Buffer.alloc(10))
      // Stands for a crash of the worker's thread (out of memory, a fatal error).
      ;(worker as unknown as { worker: { emit(event: string, error: Error): void } }).worker.emit(
        'error',
        new Error('worker crashed'),
      )
      await expect(worker.update(Buffer.alloc(128 * 1024))).rejects.toThrow('worker crashed')
      await expect(worker.digest()).rejects.toThrow('worker crashed')
    } finally {
      await worker.close()
    }
  })
})
