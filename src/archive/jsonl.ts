import { ArchiveError } from '../core/errors.ts'
import { MAX_JSON_DEPTH, MAX_LINE_BYTES, MAX_LINE_CONTAINERS } from './limits.ts'

const NEWLINE = 0x0a
const CR = 0x0d
/** Runs of blank lines are skipped this many at a time, by comparing memory rather than line by line. */
const BLANK_RUN = Buffer.alloc(4096, NEWLINE)

export type RecordVisitor = (record: Record<string, unknown>, line: number) => void

/**
 * Checks a JSONL stream chunk by chunk: every non-empty line must be one JSON object, within
 * the limits of limits.ts. CRLF endings, a missing final newline and blank lines are accepted.
 * Errors name the file and the line, never the line's content (it is participant data).
 */
export class JsonlChecker {
  records = 0
  private line = 0
  private pending: Buffer[] = []
  private pendingBytes = 0
  private readonly file: string
  private readonly visit: RecordVisitor
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

  constructor(file: string, visit: RecordVisitor) {
    this.file = file
    this.visit = visit
  }

  push(chunk: Buffer): void {
    let start = 0
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end)
      start = end + 1
      if (this.pendingBytes === 0) {
        this.take(piece)
        if (piece.length === 0) start = this.skipBlankRun(chunk, start)
        continue
      }
      this.holdAtMost(piece.length)
      this.pending.push(piece)
      const line = Buffer.concat(this.pending, this.pendingBytes + piece.length)
      // Let go of the parts before parsing: the line is held once, not twice.
      this.pending = []
      this.pendingBytes = 0
      this.take(line)
    }
    if (start < chunk.length) {
      this.holdAtMost(chunk.length - start)
      this.pendingBytes += chunk.length - start
      // Copy: the chunk's memory belongs to the stream and may be reused.
      this.pending.push(Buffer.from(chunk.subarray(start)))
    }
  }

  end(): void {
    if (this.pendingBytes === 0) return
    const line = Buffer.concat(this.pending, this.pendingBytes)
    this.pending = []
    this.pendingBytes = 0
    this.take(line)
  }

  /** Past whole blocks of newlines at `start`: a file of newlines is a cheap bomb line by line. */
  private skipBlankRun(chunk: Buffer, start: number): number {
    let at = start
    while (at + BLANK_RUN.length <= chunk.length && BLANK_RUN.equals(chunk.subarray(at, at + BLANK_RUN.length))) {
      at += BLANK_RUN.length
    }
    while (chunk[at] === NEWLINE) at += 1
    this.line += at - start
    return at
  }

  /** Refuses the line being gathered before it grows past MAX_LINE_BYTES with `more` bytes. */
  private holdAtMost(more: number): void {
    if (this.pendingBytes + more <= MAX_LINE_BYTES) return
    this.line += 1
    throw this.beyondLimit(`is longer than ${MAX_LINE_BYTES} bytes`)
  }

  private take(bytes: Buffer): void {
    this.line += 1
    // Blank lines cost a counter, not a decode.
    if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === CR)) return
    if (bytes.length > MAX_LINE_BYTES) throw this.beyondLimit(`is longer than ${MAX_LINE_BYTES} bytes`)
    let text: string
    try {
      text = this.decoder.decode(bytes)
    } catch {
      throw this.error('is not valid UTF-8')
    }
    const structure = structureProblem(text)
    if (structure) throw this.beyondLimit(structure.problem)
    if (text.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      // V8 quotes the offending input in its message: keep only the position.
      const position = /position (\d+)/.exec(String(error))?.[1]
      throw this.error(`is not valid JSON${position ? ` (at character ${Number(position) + 1})` : ''}`)
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw this.error(
        `is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not a JSON object`,
      )
    }
    this.records += 1
    this.visit(value as Record<string, unknown>, this.line)
  }

  private beyondLimit(problem: string): ArchiveError {
    return new ArchiveError(
      `${this.file} line ${this.line} ${problem}, far beyond any real record, so the action stops rather than ` +
        'hold it in memory. The export is damaged; request a new one.',
    )
  }

  private error(problem: string): ArchiveError {
    return new ArchiveError(
      `${this.file} line ${this.line} ${problem}: every non-empty line must be one JSON object. ` +
        'The export is damaged; request a new one.',
    )
  }
}

const QUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * Where `text` nests deeper than MAX_JSON_DEPTH or holds more than MAX_LINE_CONTAINERS objects
 * and arrays, found before JSON.parse pays for them; undefined within the limits. Only brackets
 * outside strings count, and strings are jumped over with indexOf, so the cost is per string,
 * not per byte. Text that is not JSON may get either answer: JSON.parse refuses it next, having
 * built no more than the valid part before the error, which was counted right.
 */
export function structureProblem(text: string): { at: number; problem: string } | undefined {
  // The common case, a record with few objects and arrays, proven shallow without a scan.
  if (openingsAtMost(text, MAX_JSON_DEPTH)) return undefined
  let depth = 0
  let containers = 0
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      i = closingQuote(text, i)
      if (i === -1) return undefined
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1
      containers += 1
      if (depth > MAX_JSON_DEPTH) return { at: i, problem: `nests deeper than ${MAX_JSON_DEPTH} levels` }
      if (containers > MAX_LINE_CONTAINERS) {
        return { at: i, problem: `holds more than ${MAX_LINE_CONTAINERS} objects and arrays` }
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1
    }
  }
  return undefined
}

/** Whether `text` holds at most `most` '{' and '[' in all, strings included. */
function openingsAtMost(text: string, most: number): boolean {
  let count = 0
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++count > most) return false
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++count > most) return false
  return true
}

/** The index of the quote that closes the string opening at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1)
  while (at !== -1 && isEscaped(text, at)) at = text.indexOf('"', at + 1)
  return at
}

/** Whether an odd number of backslashes stands before `at` (the opening quote stops the count). */
function isEscaped(text: string, at: number): boolean {
  let before = at - 1
  while (text.charCodeAt(before) === BACKSLASH) before -= 1
  return (at - 1 - before) % 2 === 1
}
