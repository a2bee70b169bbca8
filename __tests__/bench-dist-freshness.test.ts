// The benchmark's warning that dist/ is older than src/ goes by content, not modification times.
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { distLooksStale } from '../bench/dist-freshness.ts'
import { ROOT } from '../test-support/run-action.ts'

describe('distLooksStale', () => {
  it('a fresh clone is fresh, whatever the files’ times; a changed source is not', () => {
    const clone = join(mkdtempSync(join(tmpdir(), 'fresh-')), 'repo')
    execFileSync('git', ['clone', '-q', ROOT, clone])
    // As a checkout may leave them: every source newer than the bundle.
    const later = new Date(Date.now() + 60_000)
    utimesSync(join(clone, 'src', 'main.ts'), later, later)
    utimesSync(join(clone, 'dist', 'index.js'), new Date(0), new Date(0))
    expect(distLooksStale(clone)).toBe(false)
    appendFileSync(join(clone, 'src', 'main.ts'), '\n// changed\n')
    expect(distLooksStale(clone)).toBe(true)
    appendFileSync(join(clone, 'dist', 'index.js'), '\n// rebuilt\n')
    expect(distLooksStale(clone)).toBe(false)
  })

  it('says nothing outside a git checkout', () => {
    expect(distLooksStale(mkdtempSync(join(tmpdir(), 'not-git-')))).toBe(false)
  })
})
