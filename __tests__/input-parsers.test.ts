import { describe, expect, it } from 'vitest'
import * as parse from '../src/settings/input-parsers.ts'

describe('duration', () => {
  it.each([
    ['10m', 600_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['0.5', 500],
    ['3', 3000],
    ['1.5h', 5_400_000],
    [' 15m ', 900_000],
  ])('reads %j as %d ms', (raw, ms) => {
    expect(parse.duration.parse(raw)).toBe(ms)
  })

  it.each(['', 'ten', '10 minutes', '-5s', '0', '5d', '1e3'])('refuses %j', (raw) => {
    const result = parse.duration.safeParse(raw)
    expect(result.success).toBe(false)
    expect(result.success ? '' : result.expected).toMatch(/250ms, 90s, 10m/)
  })
})

describe('yamlBoolean', () => {
  it.each(['true', 'True', 'TRUE'])('%j is true', (raw) => expect(parse.yamlBoolean.parse(raw)).toBe(true))
  it.each(['false', 'False', 'FALSE'])('%j is false', (raw) => expect(parse.yamlBoolean.parse(raw)).toBe(false))
  // YAML 1.1 spellings are strings in YAML 1.2, and so is a blank.
  it.each(['yes', 'on', '1', 'tRuE', ''])('refuses %j', (raw) =>
    expect(parse.yamlBoolean.safeParse(raw).success).toBe(false),
  )
})

describe('nonNegativeInteger', () => {
  it('reads whole numbers', () => expect(parse.nonNegativeInteger.parse('42')).toBe(42))
  it.each(['-1', '1.5', 'ten', '', '99999999999999999999'])('refuses %j', (raw) =>
    expect(parse.nonNegativeInteger.safeParse(raw).success).toBe(false),
  )
})

describe('retentionDays', () => {
  it('empty means the repository default', () => expect(parse.retentionDays.parse('')).toBeUndefined())
  it('reads days', () => expect(parse.retentionDays.parse('7')).toBe(7))
  it.each(['0', '-3', 'week', '401'])('refuses %j', (raw) =>
    expect(parse.retentionDays.safeParse(raw).success).toBe(false),
  )
})

describe('optionalDateTime', () => {
  it.each(['2026-01-31T00:00:00Z', '2026-01-31T10:20:30.123+02:00', '2026-01-31T10:20:30'])('accepts %j', (raw) =>
    expect(parse.optionalDateTime.parse(raw)).toBe(raw),
  )
  it('empty is no filter', () => expect(parse.optionalDateTime.parse('')).toBeUndefined())
  it.each([
    'yesterday',
    '2026-13-01T00:00:00Z',
    '31/01/2026',
    '2026-02-30T00:00:00Z',
    '2026-01-31',
    '2026-01-31 00:00:00Z',
    '2026-01-31T00:00Z',
    '2026-01-31T24:00:00Z',
    '2026-01-31T00:00:60Z',
    '2026-01-31T00:00:00+0200',
    '2026-01-31T00:00:00+02',
  ])('refuses %j', (raw) => expect(parse.optionalDateTime.safeParse(raw).success).toBe(false))
})

describe('serviceUrl', () => {
  it('accepts https anywhere and keeps the path', () => {
    expect(parse.serviceUrl.parse('https://api.prolific.com/').href).toBe('https://api.prolific.com/')
    expect(parse.serviceUrl.parse('https://proxy.example/prolific/').pathname).toBe('/prolific/')
  })
  it.each(['http://127.0.0.1:8080', 'http://localhost:3000', 'http://[::1]:9000'])('accepts loopback http %j', (raw) =>
    expect(parse.serviceUrl.safeParse(raw).success).toBe(true),
  )
  it.each([
    'http://api.prolific.com',
    'ftp://x',
    'api.prolific.com',
    'https://user:pw@api.prolific.com',
    'https://a/?x=1',
  ])('refuses %j', (raw) => expect(parse.serviceUrl.safeParse(raw).success).toBe(false))
})

describe('identifier', () => {
  it('accepts Prolific ids', () =>
    expect(parse.identifier.parse(' 67a1b2c3d4e5f60718293a4b ')).toBe('67a1b2c3d4e5f60718293a4b'))
  it.each(['', 'a/b', '../x', 'a b', 'a?b'])('refuses %j', (raw) =>
    expect(parse.identifier.safeParse(raw).success).toBe(false),
  )
})
