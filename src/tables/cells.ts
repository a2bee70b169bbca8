/**
 * The cells of a table and the types of its columns. The fields of a JSONL line are not
 * published, so the extra columns are typed from what the records hold: a column is a number or
 * a boolean only where every value in it is one; anything mixed, and any object or array, is
 * text (JSON for the non-strings), so nothing is lost and no value is coerced into another.
 */
export type ColumnType = 'string' | 'int' | 'double' | 'boolean' | 'list'

export interface Column {
  name: string
  type: ColumnType
}

/** A list cell holds the raw values; each format writes them its own way. */
export type Cell = string | number | boolean | null | readonly unknown[]

const STRING = 1
const INT = 2
const DOUBLE = 4
const BOOLEAN = 8
const JSON_TEXT = 16

function kindOf(value: unknown): number {
  if (value === null || value === undefined) return 0
  if (typeof value === 'string') return STRING
  if (typeof value === 'boolean') return BOOLEAN
  if (typeof value === 'number') return Number.isSafeInteger(value) ? INT : DOUBLE
  return JSON_TEXT
}

/** The type a column gets from the kinds of value seen in it. */
export function typeOf(kinds: number): ColumnType {
  if (kinds === BOOLEAN) return 'boolean'
  if (kinds === INT) return 'int'
  if (kinds === DOUBLE || kinds === (INT | DOUBLE)) return 'double'
  return 'string'
}

/** The kinds of value seen under each field name, in the order the names first appear. */
export class FieldKinds {
  readonly kinds = new Map<string, number>()

  observe(name: string, value: unknown): void {
    this.kinds.set(name, (this.kinds.get(name) ?? 0) | kindOf(value))
  }
}

/** `value` as a cell of a column of `type` (typed by FieldKinds, so it fits). */
export function cellOf(value: unknown, type: ColumnType): Cell {
  if (value === null || value === undefined) return null
  if (type === 'list') return Array.isArray(value) ? value : [value]
  if (type !== 'string') return value as number | boolean
  return textOf(value)
}

/** Text as it is; anything else as its JSON. */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The object's own field `key` (never one inherited from Object.prototype). */
export function own(object: Record<string, unknown> | undefined, key: string): unknown {
  return object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined
}
