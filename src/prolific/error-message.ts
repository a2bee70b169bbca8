import { FlatErrorBody, NestedErrorBody } from './schemas.ts'

/** Turns any error body into "title: detail", whatever generation of the API sent it. */
export function describeErrorBody(raw: string): string {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    return shorten(raw)
  }
  const nested = NestedErrorBody.safeParse(json)
  if (nested.success) {
    const { title, detail, additional_information } = nested.data.error
    return join(title, detailText(detail), additional_information)
  }
  const flat = FlatErrorBody.safeParse(json)
  if (flat.success && (flat.data.title || flat.data.message || flat.data.detail)) {
    return join(flat.data.title, flat.data.message, detailText(flat.data.detail))
  }
  return shorten(raw)
}

function detailText(detail: unknown): string | undefined {
  if (detail === undefined || detail === null) return undefined
  if (typeof detail === 'string') return detail
  if (Array.isArray(detail)) return detail.map(String).join('; ')
  // Validation errors: {"field": ["reason", ...], ...}
  return Object.entries(detail as Record<string, unknown>)
    .map(([field, reasons]) => `${field}: ${Array.isArray(reasons) ? reasons.join(', ') : String(reasons)}`)
    .join('; ')
}

function join(...parts: Array<string | undefined>): string {
  const kept = parts.map((part) => part?.trim()).filter((part): part is string => !!part)
  return shorten([...new Set(kept)].join(': '))
}

/** Bodies can be whole HTML pages; a log line needs the first few hundred characters. */
export function shorten(text: string, limit = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat === '') return '(empty body)'
  return flat.length > limit ? `${flat.slice(0, limit)}…` : flat
}

/** S3 answers XML: `<Code>AccessDenied</Code><Message>Request has expired</Message>`. */
export function describeStorageError(raw: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(raw)?.[1]
  const message = /<Message>([^<]*)<\/Message>/.exec(raw)?.[1]
  if (code || message) return join(code, message)
  return shorten(raw, 200)
}
