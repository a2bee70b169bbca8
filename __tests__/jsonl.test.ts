import { describe, expect, it } from 'vitest'
import { JsonlChecker } from '../src/archive/jsonl.ts'

function check(text: string | Buffer, chunkSize = Infinity) {
  const lines: number[] = []
  const checker = new JsonlChecker('data.jsonl', (_record, line) => lines.push(line))
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text)
  const step = Math.min(chunkSize, bytes.length || 1)
  for (let at = 0; at < bytes.length; at += step) checker.push(bytes.subarray(at, at + step))
  checker.end()
  return { records: checker.records, lines }
}

describe('JsonlChecker', () => {
  it('counts one object per line', () => {
    expect(check('{"a":1}\n{"a":2}\n{"a":3}\n')).toEqual({ records: 3, lines: [1, 2, 3] })
  })

  it('accepts CRLF, a missing final newline, blank and trailing blank lines', () => {
    expect(check('{"a":1}\r\n\r\n{"a":2}\r\n{"a":3}').records).toBe(3)
    expect(check('{"a":1}\n{"a":2}\n\n\n  \n').records).toBe(2)
    expect(check('').records).toBe(0)
  })

  it('gives the same answer whatever the chunking, down to one byte at a time', () => {
    const text = '{"name":"é✓"}\r\n\n{"b":[1,2,{"c":null}]}\n{"d":"x"}'
    for (const size of [1, 2, 3, 7, 1000]) expect(check(text, size)).toEqual({ records: 3, lines: [1, 3, 4] })
  })

  it('names the file and line of a bad record without quoting it', () => {
    const run = () => check('{"a":1}\n{"participant_id":"SECRET-PID", oops}\n{"a":2}\n', 5)
    expect(run).toThrow(/data\.jsonl line 2 is not valid JSON/)
    expect(run).not.toThrow(/SECRET-PID/)
  })

  it.each([
    ['[1,2]', 'an array'],
    ['"text"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
  ])('refuses a line that is %s', (line, kind) => {
    expect(() => check(`{"a":1}\n${line}\n`)).toThrow(`data.jsonl line 2 is ${kind}, not a JSON object`)
  })

  it('refuses two objects on one line', () => {
    expect(() => check('{"a":1}{"a":2}\n')).toThrow(/line 1 is not valid JSON/)
  })

  it('refuses bytes that are not UTF-8', () => {
    expect(() => check(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0x7d, 0x0a]))).toThrow(
      /line 1 is not valid UTF-8/,
    )
  })
})
