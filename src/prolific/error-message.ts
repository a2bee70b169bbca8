import { neutralise, redact } from '../runner/outside-text.ts'
import { FlatErrorBody, NestedErrorBody } from './schemas.ts'

/*
 * Error bodies are outside text: a proxy or a compromised server writes them, and some echo
 * the request (the Authorization header included). Secrets are redacted from the raw body
 * first, then it is read and neutralised (one line, no runner commands, cut short).
 */

/** Turns any error body into "title: detail", whatever generation of the API sent it. */
export function describeErrorBody(body: string): string {
  const raw = redact(body)
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    return shown(raw)
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
  return shown(raw)
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
  // The parts were decoded from JSON: redact again, an escaped secret is plain text now.
  const kept = parts.map((part) => redact(part ?? '').trim()).filter((part) => part !== '')
  return shown([...new Set(kept)].join(': '))
}

/** Bodies can be whole HTML pages; a log line needs the first few hundred characters, inert. */
function shown(text: string, limit = 300): string {
  const inert = neutralise(text, limit)
  return inert === '' ? '(empty body)' : inert
}

/** S3 answers XML: `<Code>AccessDenied</Code><Message>Request has expired</Message>`. */
export function describeStorageError(body: string): string {
  const raw = redact(body)
  const code = /<Code>([^<]*)<\/Code>/.exec(raw)?.[1]
  const message = /<Message>([^<]*)<\/Message>/.exec(raw)?.[1]
  if (code || message) return join(code, message)
  return shown(raw, 200)
}
