import { type ArchiveKind, LAYOUTS } from '../archive/layout.ts'
import type { ColumnPlan } from './column-plan.ts'
import { MAX_EXTRA_COLUMNS, MAX_FIELD_NAME_BYTES } from './column-plan.ts'
import type { Codebook } from './instructions.ts'
import { RESPONSE_COLUMNS, type ResponseFields } from './responses.ts'

/** The fields a response is expected to fill: the fixed columns, but a task where the layout has tasks. */
function expectedFields(kind: ArchiveKind): string[] {
  const names = RESPONSE_COLUMNS.map((column) => column.name)
  return LAYOUTS[kind].tasks === undefined ? names.filter((name) => name !== 'task_id') : names
}

export interface WarningFacts {
  kind: ArchiveKind
  fields: ResponseFields
  plan: ColumnPlan
  codebook: Codebook
}

/**
 * What the tables will lack, in counts and field names of the documented shape only: the
 * records' own field names and values are participant data's neighbours and never shown.
 */
export function tableWarnings({ kind, fields, plan, codebook }: WarningFacts): string[] {
  const { submissions, metadata } = LAYOUTS[kind]
  const warnings: string[] = []
  for (const field of expectedFields(kind)) {
    const count = fields.missing.get(field) ?? 0
    if (count > 0) {
      warnings.push(
        `${count} of ${fields.responses} response(s) in ${submissions} have no '${field}', so that column is empty there.`,
      )
    }
  }
  if (fields.empty > 0) {
    warnings.push(`${fields.empty} record(s) in ${submissions} hold no responses, so they give no rows.`)
  }
  if (fields.notObjects > 0) {
    warnings.push(
      `${fields.notObjects} entr(ies) of 'responses' arrays in ${submissions} are not objects and give no rows.`,
    )
  }
  for (const [what, leftOut] of [
    ['responses', plan.leftOut],
    ['instructions', codebook.plan.leftOut],
  ] as const) {
    if (leftOut > 0) {
      warnings.push(
        `${leftOut} field(s) of the ${what} have no column (past ${MAX_EXTRA_COLUMNS} columns, ` +
          `a name longer than ${MAX_FIELD_NAME_BYTES} bytes, or a name already taken).`,
      )
    }
  }
  for (const field of ['id', 'type', 'text']) {
    const count = codebook.missing.get(field) ?? 0
    if (count > 0) {
      const also = field === 'text' ? " (nor 'description')" : ''
      warnings.push(`${count} of ${codebook.rows.length} instruction(s) in ${metadata} have no '${field}'${also}.`)
    }
  }
  if (codebook.notObjects > 0) {
    warnings.push(`${codebook.notObjects} entr(ies) of 'instructions' in ${metadata} are not objects and give no row.`)
  }
  return warnings
}
