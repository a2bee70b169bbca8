/*
 * Text we did not write (API bodies and ids, storage errors, archive content, stack traces) is
 * hostile: a server or a proxy can put runner commands in it. The runner executes `::cmd::` at
 * the start of a line (after trimming) and the legacy `##[cmd]` anywhere in a line, so one
 * `##[stop-commands]x` would switch off every later `::add-mask::`. Every log line, summary and
 * message passes through `neutralise`, and outside text passes through it again, cut short,
 * where it enters a message.
 */

/**
 * Secrets seen so far (the token, download links and their signatures), longest first, so a
 * secret inside another goes too: redacted before anything else. Every log line is redacted, so
 * the order is kept rather than sorted per line.
 */
const secrets: string[] = []

/** Shorter values would redact ordinary words; the runner's own masking still covers them. */
const MIN_SECRET_LENGTH = 6

/** Registers a value to redact from every outside text, in the forms a body may echo it in. */
export function registerSecret(value: string): void {
  if (value.length < MIN_SECRET_LENGTH) return
  for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
    if (!secrets.includes(form)) secrets.push(form)
  }
  secrets.sort((a, b) => b.length - a.length)
}

/** A URL's query: where a presigned link carries its credential. */
const URL_QUERY = /\b([a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi
/** Signing parameters on their own, as a body may echo them outside a whole URL. */
const SIGNING_PARAMETER =
  /\b(x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|signature|sig)=[^&\s"'<>]+/gi

/**
 * Each registered secret replaced by `***`; then every URL's query and every signing parameter, registered or not: a body that arrives
 * before its link could be registered (a damaged answer, say) may still carry one.
 */
export function redact(text: string): string {
  let out = text
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('***')
  }
  return out.replace(URL_QUERY, '$1?***').replace(SIGNING_PARAMETER, '$1=***')
}

/* eslint-disable no-control-regex */
/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g
/* eslint-enable no-control-regex */

function escapeControl(char: string): string {
  const code = char.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * Outside text as inert, one-line text: secrets redacted first (so no cut or reformatting can
 * leave part of one), runs of whitespace collapsed, other control characters escaped, both
 * runner command forms broken up, and the result cut to `limit` characters.
 */
export function neutralise(text: string, limit = 300): string {
  const flat = redact(text).replace(/\s+/g, ' ').trim().replace(CONTROLS, escapeControl)
  const inert = flat.replaceAll('##[', '##\\[').replace(/^::/, ':\\:')
  return inert.length > limit ? `${inert.slice(0, limit)}…` : inert
}

/** Outside text shown as a value: neutralised and quoted, or `(empty)`. */
export function quoteOutside(text: string, limit = 80): string {
  return text === '' ? '(empty)' : JSON.stringify(neutralise(text, limit))
}
