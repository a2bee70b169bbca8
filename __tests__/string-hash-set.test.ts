import { describe, expect, it } from 'vitest'
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
    const set = new StringHashSet()
    const before = process.memoryUsage().arrayBuffers
    for (const id of submissionIds(100_000)) set.add(id)
    // 100,000 members in a table at most half full: 256 Ki slots of 8 bytes (2 MiB), plus the
    // smaller tables it grew from, until they are collected.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThanOrEqual(4 * 1024 * 1024)
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
