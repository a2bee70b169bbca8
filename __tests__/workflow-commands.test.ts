// The start-up path prints its runner commands without @actions/core; they must be the very
// lines @actions/core prints.
import * as core from '@actions/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { neutralise } from '../src/outside-text.ts'
import * as commands from '../src/workflow-commands.ts'
import { readRunnerLog } from '../test-support/runner-log.ts'

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
  it('setSecret prints what @actions/core prints', () => {
    const ours = printed(() => commands.setSecret(NASTY))
    expect(ours).toBe(printed(() => core.setSecret(NASTY)))
    expect(ours).not.toContain('\r')
  })

  it.each(['setFailed', 'debug'] as const)('%s prints what @actions/core prints for the message made inert', (name) => {
    const ours = printed(() => commands[name](NASTY))
    expect(ours).toBe(printed(() => core[name](neutralise(NASTY, Infinity))))
    expect(ours).not.toContain('\r')
  })

  it('a failure message carrying runner commands runs none of them', () => {
    const view = readRunnerLog(printed(() => commands.setFailed('x##[stop-commands]pwn\n::set-output name=a::b')))
    expect(view.commands.map((command) => command.name)).toEqual(['error'])
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
