import { TABLE_FORMATS, type TableFormat, type TablesRequest, tablesPathFor } from '../tables/formats.ts'
import type { InputParser, Parsed } from './input-parsers.ts'

const EXPECTED = "'csv', 'parquet', or both comma-separated (csv, parquet); empty for no tables"

function isFormat(value: string): value is TableFormat {
  return (TABLE_FORMATS as readonly string[]).includes(value)
}

/** `tables`: the formats, each once, in the order given; empty for none. */
export const tableFormats: InputParser<TableFormat[]> = {
  safeParse(raw: string): Parsed<TableFormat[]> {
    const parts = raw.trim() === '' ? [] : raw.split(',').map((part) => part.trim().toLowerCase())
    if (!parts.every(isFormat)) return { success: false, expected: EXPECTED }
    return { success: true, data: [...new Set(parts)] }
  },
  parse(raw: string): TableFormat[] {
    const parsed = this.safeParse(raw)
    if (!parsed.success) throw new Error(`expected ${parsed.expected}`)
    return parsed.data
  },
}

/** The tables of one export: none when no format is asked for; else in the folder beside its ZIP. */
export function tablesRequest(formats: TableFormat[], zipPath: string): TablesRequest | undefined {
  return formats.length === 0 ? undefined : { formats, path: tablesPathFor(zipPath) }
}
