// The `tables` input and where the tables go.
import { describe, expect, it } from 'vitest'
import { tableFormats, tablesRequest } from '../src/settings/tables-input.ts'
import { tablesPathFor } from '../src/tables/formats.ts'
import { tablesArtifactName } from '../src/artifact/tables-artifact.ts'

describe('tables', () => {
  it('takes csv, parquet or both, comma-separated, in any case, each once', () => {
    expect(tableFormats.parse('')).toEqual([])
    expect(tableFormats.parse('csv')).toEqual(['csv'])
    expect(tableFormats.parse(' Parquet , CSV ')).toEqual(['parquet', 'csv'])
    expect(tableFormats.parse('csv,parquet,csv')).toEqual(['csv', 'parquet'])
  })

  it('refuses anything else, saying what it accepts', () => {
    for (const raw of ['xlsx', 'csv;parquet', 'csv parquet', ',', 'csv,', 'json']) {
      const parsed = tableFormats.safeParse(raw)
      expect(parsed.success, raw).toBe(false)
      if (!parsed.success) expect(parsed.expected).toMatch(/^'csv', 'parquet', or both comma-separated/)
    }
  })

  it('puts the tables beside the ZIP: its path without .zip, plus -tables; none without a format', () => {
    expect(tablesPathFor('/w/out/study.zip')).toBe('/w/out/study-tables')
    expect(tablesPathFor('/w/out/STUDY.ZIP')).toBe('/w/out/STUDY-tables')
    expect(tablesPathFor('/w/out/archive')).toBe('/w/out/archive-tables')
    expect(tablesRequest([], '/w/x.zip')).toBeUndefined()
    expect(tablesRequest(['parquet'], '/w/x.zip')).toEqual({ formats: ['parquet'], path: '/w/x-tables' })
  })

  it('names the tables artifact after the ZIP artifact, with -tables in place of .zip', () => {
    expect(tablesArtifactName('study.zip')).toBe('study-tables')
    expect(tablesArtifactName('Study.ZIP')).toBe('Study-tables')
    expect(tablesArtifactName('nightly')).toBe('nightly-tables')
    expect(tablesArtifactName('a.zip.zip')).toBe('a.zip-tables')
  })
})
