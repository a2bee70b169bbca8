import { ArchiveError } from '../errors.ts'

const NEWLINE = 0x0a
/** One record is held in memory to parse it; nothing more. A longer line is not a sane record. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024

export type RecordVisitor = (record: Record<string, unknown>, line: number) => void

/**
 * Checks a JSONL stream chunk by chunk: every non-empty line must be one JSON object. CRLF
 * endings, a missing final newline and blank lines are accepted. Errors name the file and the
 * line, never the line's content (it is participant data).
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
      if (this.pendingBytes === 0) {
        this.take(piece)
      } else {
        this.pending.push(piece)
        this.take(Buffer.concat(this.pending, this.pendingBytes + piece.length))
        this.pending = []
        this.pendingBytes = 0
      }
      start = end + 1
    }
    if (start < chunk.length) {
      this.pendingBytes += chunk.length - start
      if (this.pendingBytes > MAX_LINE_BYTES) {
        throw new ArchiveError(`${this.file} line ${this.line + 1} is longer than ${MAX_LINE_BYTES} bytes.`)
      }
      // Copy: the chunk's memory belongs to the stream and may be reused.
      this.pending.push(Buffer.from(chunk.subarray(start)))
    }
  }

  end(): void {
    if (this.pendingBytes > 0) this.take(Buffer.concat(this.pending, this.pendingBytes))
    this.pending = []
    this.pendingBytes = 0
  }

  private take(bytes: Buffer): void {
    this.line += 1
    let text: string
    try {
      text = this.decoder.decode(bytes)
    } catch {
      throw this.error('is not valid UTF-8')
    }
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

  private error(problem: string): ArchiveError {
    return new ArchiveError(
      `${this.file} line ${this.line} ${problem}: every non-empty line must be one JSON object. ` +
        'The export is damaged; request a new one.',
    )
  }
}
