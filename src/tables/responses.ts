import { type Cell, type Column, FieldKinds, isObject, own, textOf } from './cells.ts'
import { ColumnPlan } from './column-plan.ts'

/**
 * One row per response. A JSONL line of a batch's responses-by-submission.jsonl or of a
 * collection's responses.jsonl is a submission holding a `responses` array; each response
 * follows the documented Get Batch Responses record (`submission_id`, `participant_id`,
 * `task_id`, `response: {instruction_id, type, answer: [{value}]}`), or carries those three
 * fields itself, as collection responses do. A line that is itself one response counts as one.
 */

/** The fixed columns, in order. */
export const RESPONSE_COLUMNS: Column[] = [
  { name: 'submission_id', type: 'string' },
  { name: 'participant_id', type: 'string' },
  { name: 'task_id', type: 'string' },
  { name: 'instruction_id', type: 'string' },
  { name: 'type', type: 'string' },
  { name: 'answer', type: 'list' },
]

/** Fields of a response that fill the fixed columns (or hold those that do). */
const CONSUMED = new Set([...RESPONSE_COLUMNS.map((column) => column.name), 'response'])
const INNER_CONSUMED = new Set(['instruction_id', 'type', 'answer'])
const OUTER_CONSUMED = new Set(['submission_id', 'participant_id', 'task_id', 'responses'])

/** One response: its own fields, its `response` object if any, and the submission it sits in. */
export interface ResponseParts {
  item: Record<string, unknown>
  inner: Record<string, unknown> | undefined
  outer: Record<string, unknown> | undefined
}

/** What a pass over the records learns: the fields, and what the rows will lack. */
export class ResponseFields {
  responses = 0
  /** Records that hold no response at all. */
  empty = 0
  /** Elements of a `responses` array that are not objects. */
  notObjects = 0
  readonly missing = new Map<string, number>()
  readonly item = new FieldKinds()
  readonly inner = new FieldKinds()
  readonly outer = new FieldKinds()

  /** Counts one record's responses and notes their fields. */
  observe(record: Record<string, unknown>): void {
    const found = eachResponse(record, (parts) => {
      this.responses += 1
      note(this.item, parts.item, CONSUMED)
      if (parts.inner) note(this.inner, parts.inner, INNER_CONSUMED)
      if (parts.outer) note(this.outer, parts.outer, OUTER_CONSUMED)
      fixedCells(parts).forEach((cell, at) => {
        const name = RESPONSE_COLUMNS[at]?.name ?? ''
        if (cell === null) this.missing.set(name, (this.missing.get(name) ?? 0) + 1)
      })
    })
    if (found.responses === 0 && found.notObjects === 0) this.empty += 1
    this.notObjects += found.notObjects
  }

  plan(): ColumnPlan {
    return new ColumnPlan(RESPONSE_COLUMNS, [
      { kinds: this.item, name: (key) => key },
      { kinds: this.inner, name: (key) => `response_${key}` },
      { kinds: this.outer, name: (key) => key, fallback: (key) => `submission_${key}` },
    ])
  }
}

function note(kinds: FieldKinds, object: Record<string, unknown>, consumed: ReadonlySet<string>): void {
  for (const key of Object.keys(object)) if (!consumed.has(key)) kinds.observe(key, object[key])
}

/** Calls `visit` for each response the record holds; says how many, and how many were not objects. */
export function eachResponse(
  record: Record<string, unknown>,
  visit: (parts: ResponseParts) => void,
): { responses: number; notObjects: number } {
  const list = own(record, 'responses')
  if (Array.isArray(list)) {
    let notObjects = 0
    for (const item of list as unknown[]) {
      if (isObject(item)) visit(partsOf(item, record))
      else notObjects += 1
    }
    return { responses: list.length - notObjects, notObjects }
  }
  const single =
    isObject(own(record, 'response')) || Object.hasOwn(record, 'instruction_id') || Object.hasOwn(record, 'answer')
  if (!single) return { responses: 0, notObjects: 0 }
  visit(partsOf(record, undefined))
  return { responses: 1, notObjects: 0 }
}

function partsOf(item: Record<string, unknown>, outer: Record<string, unknown> | undefined): ResponseParts {
  const inner = own(item, 'response')
  return { item, inner: isObject(inner) ? inner : undefined, outer }
}

/** The fixed columns' cells: ids from the response or else its submission; the rest from `response` or else the response. */
export function fixedCells({ item, inner, outer }: ResponseParts): Cell[] {
  const id = (key: string) => idCell(own(item, key) ?? own(outer, key))
  const field = (key: string) => own(inner, key) ?? own(item, key)
  const kind = field('type')
  return [
    id('submission_id'),
    id('participant_id'),
    id('task_id'),
    idCell(field('instruction_id')),
    kind === undefined || kind === null ? null : textOf(kind),
    answerCell(field('answer')),
  ]
}

function idCell(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : textOf(value)
}

/**
 * The answer's values: `[{value}]` gives the values; an element with anything besides `value`
 * (a unit, say) is kept whole, so nothing is lost.
 */
function answerCell(answer: unknown): readonly unknown[] | null {
  if (answer === undefined || answer === null) return null
  const elements: unknown[] = Array.isArray(answer) ? answer : [answer]
  return elements.map((element) => {
    if (!isObject(element)) return element
    const keys = Object.keys(element)
    return keys.length === 1 && keys[0] === 'value' ? element.value : element
  })
}

/** One row of the responses table, laid out as `plan` says. */
export function responseRow(parts: ResponseParts, plan: ColumnPlan): Cell[] {
  return [...fixedCells(parts), ...plan.extraCells([parts.item, parts.inner, parts.outer])]
}
