import { describe, expect, it, vi } from 'vitest'
import { StringHashList, StringHashSet } from '../src/archive/string-hash-set.ts'
import { submissionIds } from '../test-support/export-archive.ts'

describe('StringHashSet', () => {
  it('holds what was added, across growth, and nothing else', () => {
    const ids = submissionIds(20_000)
    const set = new StringHashSet()
    for (const id of ids.slice(0, 10_000)) set.add(id)
    for (const id of ids.slice(0, 100)) set.add(id) // duplicates count once
    expect(set.size).toBe(10_000)
    expect(ids.slice(0, 10_000).every((id) => set.has(id))).toBe(true)
    expect(ids.slice(10_000).some((id) => set.has(id))).toBe(false)
  })

  it('tells apart strings that differ in one character, in length or in code units beyond Latin-1', () => {
    const set = new StringHashSet()
    for (const value of ['', 'a', 'ab', 'é', '😀']) set.add(value)
    expect(['', 'a', 'ab', 'é', '😀'].every((value) => set.has(value))).toBe(true)
    expect(['b', 'ba', 'aa', 'e', '😁', ' '].some((value) => set.has(value))).toBe(false)
  })

  it('takes 8 bytes a member where a Set of strings takes several times more', () => {
    // Every table the set makes, counted as it is made: process.memoryUsage() would also move
    // with when V8 happens to collect the smaller tables it grew from.
    const made: number[] = []
    class CountedUint32Array extends Uint32Array {
      constructor(length: number) {
        super(length)
        made.push(this.byteLength)
      }
    }
    const ids = submissionIds(100_000)
    const set = new StringHashSet()
    vi.stubGlobal('Uint32Array', CountedUint32Array)
    try {
      for (const id of ids) set.add(id)
    } finally {
      vi.unstubAllGlobals()
    }
    expect(set.size).toBe(100_000)
    // 100,000 members in a table at most half full: 256 Ki slots of 8 bytes (2 MiB), grown from
    // tables half as big each time (less than 2 MiB together).
    const [high = 0, low = 0] = made.slice(-2)
    expect(high + low).toBe(2 * 1024 * 1024)
    expect(made.reduce((sum, bytes) => sum + bytes, 0)).toBeLessThanOrEqual(4 * 1024 * 1024)
  })
})

describe('StringHashList', () => {
  it('keeps duplicates and counts the members absent from a set', () => {
    const ids = submissionIds(3000)
    const set = new StringHashSet()
    for (const id of ids.slice(0, 1000)) set.add(id)
    const list = new StringHashList()
    for (const id of [...ids.slice(500, 1500), ...ids.slice(0, 10)]) list.push(id)
    expect(list.length).toBe(1010)
    expect(list.countAbsentFrom(set)).toBe(500)
  })
})
