// The start-up path prints its runner commands without @actions/core; they must be the very
// lines @actions/core prints.
import * as core from '@actions/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as commands from '../src/workflow-commands.ts'

function printed(action: () => void): string {
  const lines: string[] = []
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk))
    return true
  })
  try {
    action()
  } finally {
    spy.mockRestore()
  }
  return lines.join('')
}

afterEach(() => {
  process.exitCode = undefined
  delete process.env.INPUT_SOME_INPUT
})

const NASTY = '100% done\r\nline two: a, b :: c'

describe('workflow commands', () => {
  it.each(['setFailed', 'setSecret', 'debug'] as const)('%s prints what @actions/core prints', (name) => {
    const ours = printed(() => commands[name](NASTY))
    expect(ours).toBe(printed(() => core[name](NASTY)))
    expect(ours).not.toContain('\r')
  })

  it('setFailed fails the step', () => {
    printed(() => commands.setFailed('no'))
    expect(process.exitCode).toBe(1)
  })

  it('getInput reads INPUT_<NAME> (spaces to underscores) trimmed, as @actions/core does', () => {
    process.env.INPUT_SOME_INPUT = '  value \n'
    expect(commands.getInput('some input')).toBe(core.getInput('some input'))
    expect(commands.getInput('some input')).toBe('value')
    expect(commands.getInput('missing')).toBe('')
  })
})
