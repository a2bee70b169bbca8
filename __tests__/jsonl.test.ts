import { describe, expect, it } from 'vitest'
import { JsonlChecker, structureProblem } from '../src/archive/jsonl.ts'
import { MAX_JSON_DEPTH, MAX_LINE_BYTES, MAX_LINE_CONTAINERS } from '../src/archive/limits.ts'

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

describe('JsonlChecker: limits that bound memory by the action, not by the archive', () => {
  const nested = (levels: number) => `{"a":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, by file and line`, () => {
    expect(check(`${nested(MAX_JSON_DEPTH)}\n`).records).toBe(1)
    expect(() => check(`{"a":1}\n\n${nested(MAX_JSON_DEPTH + 1)}\n`, 7)).toThrow(
      `data.jsonl line 3 nests deeper than ${MAX_JSON_DEPTH} levels`,
    )
  })

  it('refuses a line nested millions deep before parsing it, without quoting it', () => {
    const line = `{"participant_id":"SECRET-PID","x":${'['.repeat(4_000_000)}${']'.repeat(4_000_000)}}\n`
    const run = () => check(line, 65_536)
    expect(run).toThrow(/line 1 nests deeper than 64 levels/)
    expect(run).not.toThrow(/SECRET-PID/)
  })

  it('counts only brackets outside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '['.repeat(500), b: 'x\\"[[[[\\', c: '{'.repeat(100) + '"' })
    expect(check(`${text}\n`).records).toBe(1)
    expect(structureProblem(text)).toBeUndefined()
    expect(structureProblem(`{"a":"\\\\"${',['.repeat(70)}`)).toMatchObject({ problem: /deeper/ })
  })

  it(`refuses more than ${MAX_LINE_CONTAINERS} objects and arrays in one line`, () => {
    const many = (count: number) => `{"a":[${'{},'.repeat(count - 3)}{}]}\n`
    expect(check(many(MAX_LINE_CONTAINERS)).records).toBe(1)
    expect(() => check(many(MAX_LINE_CONTAINERS + 1), 1 << 20)).toThrow(
      `line 1 holds more than ${MAX_LINE_CONTAINERS} objects and arrays`,
    )
  })

  it(`refuses a line longer than ${MAX_LINE_BYTES} bytes, in chunks or whole, without quoting it`, () => {
    const line = `{"participant_id":"SECRET-PID","note":"${'x'.repeat(MAX_LINE_BYTES)}"}\n`
    for (const chunk of [65_536, Infinity]) {
      const run = () => check(`{"a":1}\n${line}`, chunk)
      expect(run).toThrow(`data.jsonl line 2 is longer than ${MAX_LINE_BYTES} bytes`)
      expect(run).not.toThrow(/SECRET-PID/)
    }
    expect(check(`{"note":"${'x'.repeat(MAX_LINE_BYTES - 12)}"}\n`, 65_536).records).toBe(1)
  })

  it('skips runs of blank lines and still numbers the lines right, across chunks', () => {
    const text = `{"a":1}\n${'\n'.repeat(100_000)}{"a":2}\r\n${'\n'.repeat(9_999)}[1]\n`
    for (const size of [4096, 5000, 65_536, Infinity]) {
      expect(() => check(text, size)).toThrow(`data.jsonl line 110002 is an array`)
    }
    expect(check(`{"a":1}\n${'\n'.repeat(100_000)}{"a":2}\n`, 3000)).toEqual({ records: 2, lines: [1, 100_002] })
  })
})
