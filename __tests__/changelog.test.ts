// CHANGELOG.md is where a user learns what exists: every input and output of action.yml is in it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ROOT } from '../test-support/run-action.ts'

describe('CHANGELOG.md', () => {
  it('names every input and output of action.yml', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>
      outputs: Record<string, unknown>
    }
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')
    const names = [...Object.keys(action.inputs), ...Object.keys(action.outputs)]
    expect(names.length).toBeGreaterThan(30)
    expect(names.filter((name) => !changelog.includes(`\`${name}\``))).toEqual([])
  })
})
