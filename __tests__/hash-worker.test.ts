import { createHash, randomBytes } from 'node:crypto'
import { MessageChannel } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { type FromHashThread, serveHashes } from '../src/download/hash-thread.ts'
import { HashWorker } from '../src/download/hash-worker.ts'

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
  // A real thread that fails as a crashing one would (out of memory, a fatal error).
  const crashing = new URL(
    'data:text/javascript,' +
      encodeURIComponent(
        "import { parentPort } from 'node:worker_threads'\n" +
          "parentPort.on('message', () => { throw new Error('worker crashed') })",
      ),
  )
  const exiting = new URL('data:text/javascript,' + encodeURIComponent('process.exit(3)'))

  it('fails updates and the digest instead of hanging, when the thread throws', async () => {
    const worker = new HashWorker(64 * 1024, crashing)
    try {
      // More than the ring holds: the copy waits for room, and must be woken by the failure.
      await expect(worker.update(Buffer.alloc(2 * 1024 * 1024))).rejects.toThrow('worker crashed')
      await expect(worker.digest()).rejects.toThrow('worker crashed')
    } finally {
      await worker.close()
    }
  })

  it('fails the digest instead of hanging, when the thread exits unasked', async () => {
    const worker = new HashWorker(64 * 1024, exiting)
    try {
      await expect(worker.update(Buffer.alloc(128 * 1024))).rejects.toThrow('the hashing thread stopped (exit code 3)')
      await expect(worker.digest()).rejects.toThrow('the hashing thread stopped (exit code 3)')
    } finally {
      await worker.close()
    }
  })
})

describe('serveHashes (the thread itself, over a MessageChannel)', () => {
  it('hashes the slices it is told, in order, acknowledges each, and starts over after a digest or reset', async () => {
    const ring = new Uint8Array(16)
    const { port1: thread, port2: main } = new MessageChannel()
    const answers: FromHashThread[] = []
    const next = () => new Promise<FromHashThread>((resolve) => main.once('message', resolve))
    try {
      serveHashes(thread, ring)
      ring.set(Buffer.from('hello world, 16!'))
      const sha = (text: string) => createHash('sha256').update(text).digest('hex')

      main.postMessage({ type: 'data', start: 12, length: 4 }) // the ring's end first: the order posted counts
      answers.push(await next())
      main.postMessage({ type: 'data', start: 0, length: 5 })
      answers.push(await next())
      main.postMessage({ type: 'digest' })
      answers.push(await next())
      main.postMessage({ type: 'data', start: 6, length: 5 })
      answers.push(await next())
      main.postMessage({ type: 'digest' })
      answers.push(await next())
      main.postMessage({ type: 'data', start: 0, length: 5 })
      answers.push(await next())
      main.postMessage({ type: 'reset' })
      main.postMessage({ type: 'digest' })
      answers.push(await next())

      expect(answers).toEqual([
        { type: 'ack', bytes: 4 },
        { type: 'ack', bytes: 5 },
        { type: 'digest', hex: sha(' 16!hello') },
        { type: 'ack', bytes: 5 },
        { type: 'digest', hex: sha('world') },
        { type: 'ack', bytes: 5 },
        { type: 'digest', hex: sha('') },
      ])
    } finally {
      thread.close()
      main.close()
    }
  })
})
