import { type Cell, type Column, FieldKinds, isObject, own, textOf } from './cells.ts'
import { ColumnPlan } from './column-plan.ts'

/**
 * The codebook: one row per instruction of batch.json or collection.json. Their fields are not
 * published; `text` is the instruction's `text`, or else its `description` (what the test
 * fixtures and Prolific's docs call it), and every other field becomes a column of its own.
 */
export const INSTRUCTION_COLUMNS: Column[] = [
  { name: 'id', type: 'string' },
  { name: 'type', type: 'string' },
  { name: 'text', type: 'string' },
  { name: 'options', type: 'list' },
]

export interface Codebook {
  plan: ColumnPlan
  rows: Cell[][]
  /** Instructions without each of id, type and text. */
  missing: Map<string, number>
  /** Elements of `instructions` that are not objects (they give no row). */
  notObjects: number
  /** Whether the metadata has an `instructions` array at all. */
  listed: boolean
}

export function codebookOf(metadata: unknown): Codebook {
  const list = own(isObject(metadata) ? metadata : undefined, 'instructions')
  const instructions = Array.isArray(list) ? (list as unknown[]).filter(isObject) : []
  const kinds = new FieldKinds()
  for (const instruction of instructions) {
    const consumed = consumedFields(instruction)
    for (const key of Object.keys(instruction)) if (!consumed.has(key)) kinds.observe(key, instruction[key])
  }
  const plan = new ColumnPlan(INSTRUCTION_COLUMNS, [{ kinds, name: (key) => key }])
  const missing = new Map<string, number>()
  const rows = instructions.map((instruction) => {
    const cells = fixedCells(instruction)
    cells.slice(0, 3).forEach((cell, at) => {
      const name = INSTRUCTION_COLUMNS[at]?.name ?? ''
      if (cell === null) missing.set(name, (missing.get(name) ?? 0) + 1)
    })
    return [...cells, ...plan.extraCells([instruction])]
  })
  const notObjects = Array.isArray(list) ? list.length - instructions.length : 0
  return { plan, rows, missing, notObjects, listed: Array.isArray(list) }
}

function textField(instruction: Record<string, unknown>): string {
  return Object.hasOwn(instruction, 'text') ? 'text' : 'description'
}

function consumedFields(instruction: Record<string, unknown>): Set<string> {
  return new Set(['id', 'type', 'options', textField(instruction)])
}

function fixedCells(instruction: Record<string, unknown>): Cell[] {
  const text = (key: string) => {
    const value = own(instruction, key)
    return value === undefined || value === null ? null : textOf(value)
  }
  const options = own(instruction, 'options')
  return [
    text('id'),
    text('type'),
    text(textField(instruction)),
    options === undefined || options === null ? null : Array.isArray(options) ? options : [options],
  ]
}
