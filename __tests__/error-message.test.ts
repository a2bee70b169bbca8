import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readCapped } from '../src/core/http.ts'
import { registerSecret } from '../src/runner/outside-text.ts'
import { describeErrorBody, describeStorageError } from '../src/prolific/error-message.ts'

describe('describeErrorBody', () => {
  it('reads the nested error body with a string detail', () => {
    const body = { error: { status: 403, error_code: 140300, title: 'Forbidden', detail: 'No workspace access.' } }
    expect(describeErrorBody(JSON.stringify(body))).toBe('Forbidden: No workspace access.')
  })

  it('joins a list detail and a field-error detail', () => {
    const list = { error: { status: 400, error_code: 1, title: 'Bad request', detail: ['one', 'two'] } }
    expect(describeErrorBody(JSON.stringify(list))).toBe('Bad request: one; two')
    const fields = { error: { status: 400, error_code: 1, title: 'Invalid', detail: { from: ['not a date'] } } }
    expect(describeErrorBody(JSON.stringify(fields))).toBe('Invalid: from: not a date')
  })

  it('keeps additional information', () => {
    const body = {
      error: { status: 409, error_code: 2, title: 'Conflict', detail: 'Limit', additional_information: 'Delete one' },
    }
    expect(describeErrorBody(JSON.stringify(body))).toBe('Conflict: Limit: Delete one')
  })

  it('reads the flat message/detail body', () => {
    expect(describeErrorBody('{"message":"Rate limited","detail":"Slow down"}')).toBe('Rate limited: Slow down')
    expect(describeErrorBody('{"detail":"Not found."}')).toBe('Not found.')
  })

  it('falls back to the raw body, cut short and on one line', () => {
    const html = `<html>\n<body>${'x'.repeat(1000)}</body></html>`
    const text = describeErrorBody(html)
    expect(text.startsWith('<html> <body>xxx')).toBe(true)
    expect(text.length).toBeLessThanOrEqual(301)
    expect(describeErrorBody('')).toBe('(empty body)')
    expect(describeErrorBody('[1,2]')).toBe('[1,2]')
  })
})

describe('describeStorageError', () => {
  it('reads S3 XML', () => {
    const xml = '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'
    expect(describeStorageError(xml)).toBe('AccessDenied: Request has expired')
  })
})

describe('secrets in error bodies', () => {
  const token = 'tok-echoed-0a1b2c3d4e5f60718293a4b5c6d7e8f9'
  registerSecret(token)

  it('redacts an echoed token before reading, cutting or reflowing the body', () => {
    const nested = { error: { title: 'Bad request', detail: `headers: {"authorization": "Token ${token}"}` } }
    expect(describeErrorBody(JSON.stringify(nested))).toBe('Bad request: headers: {"authorization": "Token ***"}')
    const raw = `${'\n'.repeat(5000)}Authorization: Token ${token}`
    expect(describeErrorBody(raw)).toBe('Authorization: Token ***')
    expect(describeStorageError(`<Code>Denied</Code><Message>${token}</Message>`)).toBe('Denied: ***')
  })

  it('a body cut by readCapped leaves no part of a secret that straddles the cut', async () => {
    const limit = 1000
    for (let at = limit - token.length; at <= limit; at++) {
      const body = Readable.from([Buffer.from(`${' '.repeat(at)}${token}${'y'.repeat(2000)}`)])
      const text = describeErrorBody(await readCapped(body as never, limit))
      for (let i = 0; i + 6 <= token.length; i++) expect(text).not.toContain(token.slice(i, i + 6))
    }
  })
})
