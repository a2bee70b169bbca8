import { z } from 'zod'

/**
 * zod schemas that turn one raw input string into a typed value. Each rejects with the form
 * it accepts, so the error can name the input, the value and what would have worked.
 */

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const

export const duration = z.string().transform((raw, ctx) => {
  const match = DURATION.exec(raw.trim())
  const ms = match ? Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS] : NaN
  if (!Number.isFinite(ms) || ms <= 0) {
    ctx.addIssue({
      code: 'custom',
      message:
        'a positive duration: a number of seconds (e.g. 0.5) or a number with ms, s, m or h (e.g. 250ms, 90s, 10m)',
    })
    return z.NEVER
  }
  return ms
})

// YAML 1.2 core schema booleans, as the runner documents for `with:` values.
const TRUE = new Set(['true', 'True', 'TRUE'])
const FALSE = new Set(['false', 'False', 'FALSE'])

export const yamlBoolean = z.string().transform((raw, ctx) => {
  const value = raw.trim()
  if (TRUE.has(value)) return true
  if (FALSE.has(value)) return false
  ctx.addIssue({ code: 'custom', message: 'true or false (also True, TRUE, False, FALSE)' })
  return z.NEVER
})

export const nonNegativeInteger = z.string().transform((raw, ctx) => {
  const value = raw.trim()
  if (/^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value)
  ctx.addIssue({ code: 'custom', message: 'a whole number, 0 or more' })
  return z.NEVER
})

export const positiveInteger = z.string().transform((raw, ctx) => {
  const value = raw.trim()
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number.isSafeInteger(Number(value))) return Number(value)
  ctx.addIssue({ code: 'custom', message: 'a whole number, 1 or more' })
  return z.NEVER
})

/** Empty means "the repository's default"; the library clamps to the repository's maximum. */
export const retentionDays = z.string().transform((raw, ctx) => {
  const value = raw.trim()
  if (value === '') return undefined
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 400) return Number(value)
  ctx.addIssue({
    code: 'custom',
    message:
      'empty (the repository default) or a whole number of days from 1 to 90 (up to 400 where the repository allows it)',
  })
  return z.NEVER
})

const isoDateTime = z.iso.datetime({ offset: true, local: true })

/** Empty, or an ISO-8601 date-time, passed on to the API exactly as written. */
export const optionalDateTime = z.string().transform((raw, ctx) => {
  const value = raw.trim()
  if (value === '') return undefined
  if (isoDateTime.safeParse(value).success) return value
  ctx.addIssue({ code: 'custom', message: 'empty or an ISO-8601 date-time such as 2026-01-31T00:00:00Z' })
  return z.NEVER
})

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

/** Empty, or a hex SHA-256 as the `content-digest` output gives it. */
export const optionalSha256 = z.string().transform((raw, ctx) => {
  const value = raw.trim().toLowerCase()
  if (value === '') return undefined
  if (/^[0-9a-f]{64}$/.test(value)) return value
  ctx.addIssue({
    code: 'custom',
    message: "empty or a hex SHA-256 (64 characters), as the 'content-digest' output gives it",
  })
  return z.NEVER
})

/** https anywhere; plain http only to this machine, so tests can use a local server. */
export const serviceUrl = z.string().transform((raw, ctx) => {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    ctx.addIssue({ code: 'custom', message: 'an absolute URL such as https://api.prolific.com' })
    return z.NEVER
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))
  if (!secure || url.username || url.password || url.search || url.hash) {
    ctx.addIssue({
      code: 'custom',
      message: 'an https URL without credentials, query or fragment (plain http only for a loopback host)',
    })
    return z.NEVER
  }
  return url
})

/** Longer than any Prolific ID, short enough that `<id>-export-<time>.zip` is a valid file name. */
export const MAX_ID_LENGTH = 100

/** IDs go into a URL path and a file name: letters, digits, - and _, and not too long. */
export const identifier = z.string().transform((raw, ctx) => {
  const value = raw.trim()
  if (/^[A-Za-z0-9_-]+$/.test(value) && value.length <= MAX_ID_LENGTH) return value
  ctx.addIssue({ code: 'custom', message: `an ID of at most ${MAX_ID_LENGTH} letters, digits, - and _` })
  return z.NEVER
})

export const optionalIdentifier = z.string().transform((raw, ctx) => {
  if (raw.trim() === '') return undefined
  const parsed = identifier.safeParse(raw)
  if (parsed.success) return parsed.data
  ctx.addIssue({ code: 'custom', message: `empty or an ID of at most ${MAX_ID_LENGTH} letters, digits, - and _` })
  return z.NEVER
})

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
export const byteSize = z.string().transform((raw, ctx) => {
  const match = SIZE.exec(raw.trim())
  const bytes = match ? Math.floor(Number(match[1]) * (SIZE_UNITS[(match[2] ?? 'b').toLowerCase()] ?? NaN)) : NaN
  if (Number.isSafeInteger(bytes) && bytes > 0) return bytes
  ctx.addIssue({ code: 'custom', message: 'a size such as 16GiB, 500MB or a number of bytes' })
  return z.NEVER
})

/** A number of 1 or more (decimals allowed). */
export const ratio = z.string().transform((raw, ctx) => {
  const value = raw.trim()
  if (/^\d+(?:\.\d+)?$/.test(value) && Number(value) >= 1) return Number(value)
  ctx.addIssue({ code: 'custom', message: 'a number, 1 or more (e.g. 100)' })
  return z.NEVER
})
