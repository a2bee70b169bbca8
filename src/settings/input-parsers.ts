/*
 * Parsers that turn one raw input string into a typed value. Each refuses with the form it
 * accepts, so the error can name the input, the value and what would have worked. Plain
 * functions rather than zod schemas: they run on every start, before the inputs are known to be
 * good, and zod's evaluation cost a third of the start-up time. zod checks what the API sends
 * (src/prolific/schemas.ts), where a schema is the right tool.
 */

export type Parsed<T> = { success: true; data: T } | { success: false; expected: string }

export interface InputParser<T> {
  /** The value, or throws with the form the input accepts. */
  parse(raw: string): T
  safeParse(raw: string): Parsed<T>
}

/** Marks a raw value `read` refuses. */
const REFUSED: unique symbol = Symbol('refused')

function parser<T>(expected: string, read: (value: string) => T | typeof REFUSED): InputParser<T> {
  const safeParse = (raw: string): Parsed<T> => {
    const data = read(raw.trim())
    return data === REFUSED ? { success: false, expected } : { success: true, data }
  }
  return {
    safeParse,
    parse: (raw) => {
      const parsed = safeParse(raw)
      if (!parsed.success) throw new Error(`expected ${parsed.expected}`)
      return parsed.data
    },
  }
}

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const

export const duration = parser(
  'a positive duration: a number of seconds (e.g. 0.5) or a number with ms, s, m or h (e.g. 250ms, 90s, 10m)',
  (value) => {
    const match = DURATION.exec(value)
    const ms = match ? Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS] : NaN
    return Number.isFinite(ms) && ms > 0 ? ms : REFUSED
  },
)

// YAML 1.2 core schema booleans, as the runner documents for `with:` values.
const TRUE = new Set(['true', 'True', 'TRUE'])
const FALSE = new Set(['false', 'False', 'FALSE'])

export const yamlBoolean = parser('true or false (also True, TRUE, False, FALSE)', (value) =>
  TRUE.has(value) ? true : FALSE.has(value) ? false : REFUSED,
)

const wholeNumber = (value: string, least: number) =>
  /^\d+$/.test(value) && Number.isSafeInteger(Number(value)) && Number(value) >= least ? Number(value) : REFUSED

export const nonNegativeInteger = parser('a whole number, 0 or more', (value) => wholeNumber(value, 0))
export const positiveInteger = parser('a whole number, 1 or more', (value) => wholeNumber(value, 1))

/** Empty means "the repository's default"; the library clamps to the repository's maximum. */
export const retentionDays = parser(
  'empty (the repository default) or a whole number of days from 1 to 90 (up to 400 where the repository allows it)',
  (value) => {
    if (value === '') return undefined
    const days = wholeNumber(value, 1)
    return days !== REFUSED && days <= 400 ? days : REFUSED
  },
)

/** RFC 3339: date, time with seconds, optional fraction, and `Z`, an offset or none (local time). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))?$/

function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value)
  if (!match) return false
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = match.slice(1).map((v) => Number(v ?? 0))
  const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0))
  return (
    date.getUTCMonth() === (month ?? 0) - 1 &&
    date.getUTCDate() === day &&
    (hour ?? 99) <= 23 &&
    (minute ?? 99) <= 59 &&
    (second ?? 99) <= 59 &&
    (offsetHour ?? 99) <= 23 &&
    (offsetMinute ?? 99) <= 59
  )
}

/** Empty, or an ISO-8601 date-time, passed on to the API exactly as written. */
export const optionalDateTime = parser('empty or an ISO-8601 date-time such as 2026-01-31T00:00:00Z', (value) =>
  value === '' ? undefined : isDateTime(value) ? value : REFUSED,
)

/** The `from` that starts where the last successful run's window ended (see the state file). */
export const LAST_RUN = 'last-run'

/** Empty, `last-run`, or an ISO-8601 date-time passed on as written. */
export const windowStart = parser(
  `empty or an ISO-8601 date-time such as 2026-01-31T00:00:00Z, or ${LAST_RUN}`,
  (value) => (value === '' ? undefined : value === LAST_RUN || isDateTime(value) ? value : REFUSED),
)

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

/** Empty, or a hex SHA-256 as the `content-digest` output gives it. */
export const optionalSha256 = parser(
  "empty or a hex SHA-256 (64 characters), as the 'content-digest' output gives it",
  (value) => (value === '' ? undefined : /^[0-9a-f]{64}$/i.test(value) ? value.toLowerCase() : REFUSED),
)

/** https anywhere; plain http only to this machine, so tests can use a local server. */
export const serviceUrl = parser(
  'an https URL without credentials, query or fragment (plain http only for a loopback host), such as https://api.prolific.com',
  (value) => {
    if (!URL.canParse(value)) return REFUSED
    const url = new URL(value)
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))
    return secure && !url.username && !url.password && !url.search && !url.hash ? url : REFUSED
  },
)

/** Longer than any Prolific ID, short enough that `<id>-export-<time>.zip` is a valid file name. */
export const MAX_ID_LENGTH = 100

const isIdentifier = (value: string) => /^[A-Za-z0-9_-]+$/.test(value) && value.length <= MAX_ID_LENGTH

/** IDs go into a URL path and a file name: letters, digits, - and _, and not too long. */
export const identifier = parser(`an ID of at most ${MAX_ID_LENGTH} letters, digits, - and _`, (value) =>
  isIdentifier(value) ? value : REFUSED,
)

export const optionalIdentifier = parser(
  `empty or an ID of at most ${MAX_ID_LENGTH} letters, digits, - and _`,
  (value) => (value === '' ? undefined : isIdentifier(value) ? value : REFUSED),
)

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?$/i
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
}

/** A size in bytes: a number, or a number with B, KB, MB, GB, TB or KiB, MiB, GiB, TiB. */
export const byteSize = parser('a size such as 16GiB, 500MB or a number of bytes', (value) => {
  const match = SIZE.exec(value)
  const bytes = match ? Math.floor(Number(match[1]) * (SIZE_UNITS[(match[2] ?? 'b').toLowerCase()] ?? NaN)) : NaN
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : REFUSED
})

/** A number of 1 or more (decimals allowed). */
export const ratio = parser('a number, 1 or more (e.g. 100)', (value) =>
  /^\d+(?:\.\d+)?$/.test(value) && Number(value) >= 1 ? Number(value) : REFUSED,
)
