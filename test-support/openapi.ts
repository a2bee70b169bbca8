// Just enough JSON Schema (the subset Prolific's OpenAPI excerpt uses) to check a response
// against it: $ref, oneOf, type, properties, required, enum, items, and the uri/uuid/date-time
// formats. Returns the problems found; an empty list means the value conforms.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from './run-action.ts'

type Schema = Record<string, unknown>
export const openapi = parse(
  readFileSync(join(ROOT, '__tests__', 'fixtures', 'prolific-openapi-export.yml'), 'utf8'),
) as Schema

export function schemaAt(pointer: string): Schema {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Schema)[key.replace(/~1/g, '/')], openapi) as Schema
}

/** The schema of a documented response, e.g. responseSchema('/api/.../export', 'post', '200'). */
export function responseSchema(path: string, method: string, status: string): Schema {
  const paths = openapi.paths as Record<string, Record<string, Schema>>
  const response = (paths[path]?.[method]?.responses as Record<string, Schema>)[status] as Schema
  return ((response.content as Schema)['application/json'] as Schema).schema as Schema
}

const FORMATS: Record<string, RegExp> = {
  uri: /^https?:\/\/\S+$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
}

export function check(value: unknown, schema: Schema, at = '$'): string[] {
  if (typeof schema.$ref === 'string') return check(value, schemaAt(schema.$ref), at)
  if (Array.isArray(schema.oneOf)) {
    const matches = schema.oneOf.filter((option) => check(value, option as Schema, at).length === 0).length
    return matches === 1 ? [] : [`${at}: matches ${matches} of the oneOf options, not exactly one`]
  }
  const problems: string[] = []
  const type = schema.type
  if (type === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`]
    const record = value as Record<string, unknown>
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in record)) problems.push(`${at}.${key}: required`)
    }
    for (const [key, sub] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {})) {
      if (key in record) problems.push(...check(record[key], sub, `${at}.${key}`))
    }
  } else if (type === 'array') {
    if (!Array.isArray(value)) return [`${at}: not an array`]
    value.forEach((item, i) => problems.push(...check(item, (schema.items as Schema) ?? {}, `${at}[${i}]`)))
  } else if (type === 'string') {
    if (typeof value !== 'string') return [`${at}: not a string`]
    const format = FORMATS[String(schema.format)]
    if (format && !format.test(value)) problems.push(`${at}: not a ${String(schema.format)}`)
  } else if (type === 'integer' && !Number.isInteger(value)) {
    problems.push(`${at}: not an integer`)
  } else if (type === 'boolean' && typeof value !== 'boolean') {
    problems.push(`${at}: not a boolean`)
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    problems.push(`${at}: not one of ${schema.enum.join(', ')}`)
  return problems
}
