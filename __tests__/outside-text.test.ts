import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { neutralise, quoteOutside, redact, registerSecret } from '../src/runner/outside-text.ts'
import { readRunnerLog } from '../test-support/runner-log.ts'

const TOKEN = 'tok-outside-text-0123456789abcdef0123456789abcdef'
registerSecret(TOKEN)

/** Strings as a hostile server writes them: commands, line breaks, escapes, and the token. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc
    .array(
      fc.constantFrom(
        '##[',
        '::',
        ']',
        'stop-commands',
        'set-output name=x::',
        'add-mask',
        '\n',
        '\r',
        '\u2028',
        '\u0085',
        '\x1b[31m',
        ' ',
        '%0A',
        TOKEN,
        TOKEN.slice(0, 20),
        'error',
        '#',
        '[',
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join('')),
)

describe('neutralise', () => {
  it('makes any outside string one inert line: no command runs, wherever it lands in a line', () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom('', 'Prolific said: ', '[id] Failed: '), (text, prefix) => {
        const inert = neutralise(text, 300)
        // eslint-disable-next-line no-control-regex
        expect(inert).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
        expect(inert).not.toContain('##[')
        expect(inert.trimStart().startsWith('::')).toBe(false)
        expect(inert.length).toBeLessThanOrEqual(301)
        expect(inert).not.toContain(TOKEN)
        expect(readRunnerLog(prefix + inert).commands).toEqual([])
      }),
      { numRuns: 2000, seed: 13 },
    )
  })

  it('redacts a secret before it cuts or collapses, so no part of one is left', () => {
    const body = `${' \n'.repeat(400)}Authorization: Token ${TOKEN} and more`
    expect(neutralise(body, 40)).toBe('Authorization: Token *** and more')
    // Cut inside where the token would be: without redaction first, 30 of its characters remain.
    expect(neutralise(`Token ${TOKEN}`, 36)).toBe('Token ***')
    expect(redact(`"${JSON.stringify(TOKEN).slice(1, -1)}" ${encodeURIComponent(TOKEN)}`)).toBe('"***" ***')
  })

  it('never shows a URL query or a signing parameter, registered or not', () => {
    const link = 'https://bucket.s3.amazonaws.com/e.zip?X-Amz-Date=1&X-Amz-Signature=0123456789abcdef'
    expect(neutralise(`{"status":"complete","url":"${link}"} <!-- proxy -->`)).toBe(
      '{"status":"complete","url":"https://bucket.s3.amazonaws.com/e.zip?***"} <!-- proxy -->',
    )
    expect(neutralise('echoed: X-Amz-Signature=0123456789abcdef&sig=abc')).toBe('echoed: X-Amz-Signature=***&sig=***')
  })

  it('escapes controls visibly and breaks up both command forms', () => {
    expect(neutralise('a\u0000b\u001bc\u007f')).toBe('a\\x00b\\x1bc\\x7f')
    expect(neutralise('job##[stop-commands]pwn')).toBe('job##\\[stop-commands]pwn')
    expect(neutralise('  ::set-output name=x::y')).toBe(':\\:set-output name=x::y')
    expect(neutralise('line one\nline two')).toBe('line one line two')
  })

  it('quotes a value, cut short, and says when it is empty', () => {
    expect(quoteOutside('')).toBe('(empty)')
    expect(quoteOutside('x'.repeat(200), 10)).toBe(`"${'x'.repeat(10)}…"`)
  })
})
