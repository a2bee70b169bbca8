import { describe, expect, it } from 'vitest'
import { ByteQueue, QueueAbandoned } from '../src/archive/byte-queue.ts'

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('ByteQueue', () => {
  it('hands out exact lengths across chunk boundaries, and views within one chunk', async () => {
    const queue = new ByteQueue(1024)
    const source = Buffer.from('0123456789abcdef')
    void (async () => {
      for (const piece of [source.subarray(0, 3), source.subarray(3, 4), source.subarray(4, 16)])
        await queue.push(piece)
      queue.end()
    })()
    expect((await queue.read(5)).toString()).toBe('01234')
    const inside = await queue.read(4)
    expect(inside.toString()).toBe('5678')
    expect(inside.buffer).toBe(source.buffer) // a view, not a copy
    const rest: string[] = []
    for await (const part of queue.take(7)) rest.push(part.toString())
    expect(rest.join('')).toBe('9abcdef')
    expect(queue.position).toBe(16)
    expect(await queue.atEnd()).toBe(true)
    await expect(queue.read(1)).rejects.toThrow(/ends 1 byte\(s\) short/)
  })

  it('holds the producer back while more than its limit is queued', async () => {
    const queue = new ByteQueue(10)
    let pushed = 0
    const producer = (async () => {
      for (let i = 0; i < 5; i++) {
        await queue.push(Buffer.alloc(4))
        pushed++
      }
    })()
    await settle()
    expect(pushed).toBe(2) // 12 bytes queued > 10: the third push waits
    await queue.read(4)
    await settle()
    expect(pushed).toBe(3)
    await queue.read(12)
    await producer
    expect(pushed).toBe(5)
  })

  it('abandon releases a waiting producer and a waiting consumer, and drops later pushes', async () => {
    const queue = new ByteQueue(2)
    const blocked = queue.push(Buffer.alloc(8))
    const reader = queue.read(100)
    queue.abandon()
    await blocked
    await expect(reader).rejects.toBeInstanceOf(QueueAbandoned)
    await queue.push(Buffer.alloc(1 << 20)) // returns at once, keeps nothing
    await expect(queue.read(1)).rejects.toBeInstanceOf(QueueAbandoned)
  })
})
