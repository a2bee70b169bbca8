import { deflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { inflateSmall, SMALL_ENTRY } from '../src/archive/zip/inflate-small.ts'

const text = Buffer.from('{"submission_id":"5f0c2a9e1b3d4c6e7f8a9b0c","answer":"yes"}\n'.repeat(250))
const packed = deflateRawSync(text)

describe('inflateSmall', () => {
  it('inflates exactly the declared size', () => {
    expect(inflateSmall(packed, text.length).equals(text)).toBe(true)
    expect(inflateSmall(deflateRawSync(Buffer.alloc(0)), 0).length).toBe(0)
  })

  it('never inflates past the declared size plus one byte (the zip-bomb defence), nor accepts less', () => {
    expect(() => inflateSmall(packed, 10)).toThrow(/inflates to more than the 10 bytes its size declares/)
    expect(() => inflateSmall(packed, text.length + 5)).toThrow(/inflates to \d+ bytes, not the \d+ it declares/)
    expect(() => inflateSmall(packed.subarray(0, 20), text.length)).toThrow(/unexpected EOF/)
  })

  it('keeps memory flat over 5,000 entries: one reused buffer (zlib.inflateRawSync held some 15 MiB of buffers)', () => {
    // Counted by identity, not by process.memoryUsage(), which moves with when V8 collects.
    const buffers = new Set(Array.from({ length: 5_000 }, () => inflateSmall(packed, text.length).buffer))
    expect([...buffers].map((buffer) => buffer.byteLength)).toEqual([SMALL_ENTRY + 1])
  })
})
