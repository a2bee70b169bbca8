// The step's failure and debug lines go through @actions/core (so that the runner and
// @github/local-action both read them), made inert first: they can quote outside text.
import * as core from '@actions/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { debug, setFailed } from '../src/runner/log.ts'
import { neutralise } from '../src/runner/outside-text.ts'
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
})

const NASTY = '100% done\r\nline two: a, b :: c'

describe('setFailed and debug', () => {
  it.each([
    ['setFailed', setFailed, Infinity],
    ['debug', debug, 4000],
  ] as const)('%s prints what @actions/core prints for the message made inert', (name, ours, limit) => {
    const line = printed(() => ours(NASTY))
    expect(line).toBe(printed(() => core[name](neutralise(NASTY, limit))))
    expect(line).not.toContain('\r')
  })

  it('a failure message carrying runner commands runs none of them', () => {
    const view = readRunnerLog(printed(() => setFailed('x##[stop-commands]pwn\n::set-output name=a::b')))
    expect(view.commands.map((command) => command.name)).toEqual(['error'])
  })

  it('a debug line is cut short: a stack trace can quote a whole response body', () => {
    const line = printed(() => debug('y'.repeat(5000)))
    expect(line).toContain(`${'y'.repeat(4000)}…`)
    expect(line).not.toContain('y'.repeat(4001))
  })

  it('setFailed fails the step', () => {
    printed(() => setFailed('no'))
    expect(process.exitCode).toBe(1)
  })
})
