import { type Cell, type Column, cellOf, type FieldKinds, typeOf } from './cells.ts'

/** More columns than this is no longer a table anyone reads: the rest are left out with a warning. */
export const MAX_EXTRA_COLUMNS = 200
/** A longer field name is not a field anyone named: left out with a warning. */
export const MAX_FIELD_NAME_BYTES = 200

/** Where a group of extra columns comes from, and what each field is called as a column. */
export interface FieldSource {
  kinds: FieldKinds
  /** The column's name for `key`. */
  name: (key: string) => string
  /** The name to try when the first is taken by an earlier column. */
  fallback?: (key: string) => string
}

interface ExtraColumn extends Column {
  /** Which source (by position) the value is read from, and under which key. */
  source: number
  key: string
}

/** The columns of one table: the fixed ones, then each source's fields in the order first seen. */
export class ColumnPlan {
  readonly columns: Column[]
  private readonly extras: ExtraColumn[] = []
  /** Fields with no column: past MAX_EXTRA_COLUMNS, a name too long, or a name no fallback frees. */
  leftOut = 0

  constructor(fixed: Column[], sources: FieldSource[]) {
    const taken = new Set(fixed.map((column) => column.name))
    sources.forEach(({ kinds, name, fallback }, source) => {
      for (const [key, kind] of kinds.kinds) {
        let column = name(key)
        if (taken.has(column) && fallback) column = fallback(key)
        const fits = Buffer.byteLength(column) <= MAX_FIELD_NAME_BYTES && this.extras.length < MAX_EXTRA_COLUMNS
        if (taken.has(column) || !fits) {
          this.leftOut += 1
          continue
        }
        taken.add(column)
        this.extras.push({ name: column, type: typeOf(kind), source, key })
      }
    })
    this.columns = [...fixed, ...this.extras.map(({ name, type }) => ({ name, type }))]
  }

  /** The extra cells of one row, from the objects of each source (in the same order). */
  extraCells(objects: ReadonlyArray<Record<string, unknown> | undefined>): Cell[] {
    return this.extras.map(({ source, key, type }) => {
      const object = objects[source]
      // Own fields only: a record without 'constructor' must not give Object's.
      return cellOf(object && Object.hasOwn(object, key) ? object[key] : undefined, type)
    })
  }
}
