import { getHeapSpaceStatistics } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { PacedCollection, youngCollector } from '../src/young-generation.ts'

describe('PacedCollection', () => {
  it('collects once each time the bytes received reach the interval, whatever the chunk sizes', () => {
    let collections = 0
    const paced = new PacedCollection(100, () => collections++)
    for (const bytes of [30, 30, 30]) paced.received(bytes)
    expect(collections).toBe(0)
    paced.received(10)
    expect(collections).toBe(1)
    paced.received(99)
    expect(collections).toBe(1)
    paced.received(250)
    expect(collections).toBe(2)
  })
})

describe('youngCollector', () => {
  it('empties the young generation, and leaves no gc function on the global object', () => {
    const collect = youngCollector()
    const youngBytes = () =>
      getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_used_size ?? 0
    collect()
    // Half a megabyte of garbage fits in the young generation without a collection of its own.
    let garbage: unknown[] = []
    for (let i = 0; i < 10_000; i++) garbage.push({ i, text: `object ${i}` })
    garbage = []
    const before = youngBytes()
    collect()
    expect(before - youngBytes()).toBeGreaterThan(256 * 1024)
    expect(garbage).toHaveLength(0)
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined()
    expect(youngCollector()).toBe(collect)
  })
})
