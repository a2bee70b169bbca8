import { describe, expect, it } from 'vitest'
import { foreignCommands, readRunnerLog } from '../test-support/runner-log.ts'

describe('readRunnerLog, the runner-faithful reader', () => {
  it('masks a value from the line after its add-mask on, and shows annotations', () => {
    const view = readRunnerLog(
      'before s3cr3t-value\n::add-mask::s3cr3t-value\nafter s3cr3t-value\n::error::x s3cr3t-value',
    )
    expect(view.shown).toBe('before s3cr3t-value\nafter ***\nerror: x ***')
    expect(view.commands.map((c) => c.name)).toEqual(['add-mask', 'error'])
  })

  it('runs `::cmd::` only at the start of a line (after leading spaces), and only registered names', () => {
    const view = readRunnerLog('  ::warning::w\nsay ::error::no\n::unknown::x\n::ERROR::upper')
    expect(view.commands.map((c) => `${c.name}:${c.data}`)).toEqual(['warning:w', 'error:upper'])
  })

  it('runs the legacy `##[cmd]` anywhere in a line', () => {
    const view = readRunnerLog('Prolific accepted the export request (job job##[set-output name=x;]pwn)')
    expect(view.commands).toMatchObject([{ name: 'set-output', data: 'pwn)', form: 'legacy' }])
    expect(foreignCommands(view)).toHaveLength(1)
  })

  it('stop-commands (either form) ignores every later command, add-mask included, until its token', () => {
    const view = readRunnerLog(
      'x job##[stop-commands]pwn\n::add-mask::https://signed\nlink https://signed\n::pwn::\n::add-mask::later\nlater',
    )
    expect(view.shown).toContain('link https://signed')
    expect(view.ignored).toBe(1)
    expect(view.stopped).toBe(false)
    expect(view.shown.endsWith('***')).toBe(true)
  })

  it('splits lines as the runner does: \\r is a line break too', () => {
    const view = readRunnerLog('text\r::set-output name=a::b')
    expect(view.commands).toMatchObject([{ name: 'set-output' }])
  })
})
