import { ArchiveError } from '../errors.ts'
import { JsonlChecker } from './jsonl.ts'
import { BATCH, EXPECTED_FIELDS, FILES_DIR, README, REQUIRED_ENTRIES, SUBMISSIONS, TASKS } from './layout.ts'

/** Receives one entry's inflated bytes. */
export interface EntrySink {
  push(chunk: Buffer): void
  end(): void
}

export interface ContentCounts {
  submissions: number
  tasks: number
  /** Files under files/, not counting directory entries. */
  files: number
  /** Length of batch.json's `instructions`, or undefined where it cannot be told. */
  instructions: number | undefined
  /** Things the user should look at; errors instead when `strict` is on. */
  warnings: string[]
}

const NO_SINK: EntrySink = { push: () => undefined, end: () => undefined }
/** batch.json is metadata; one far bigger than this is not an export's. */
const MAX_BATCH_JSON_BYTES = 64 * 1024 * 1024

/** What the archive holds, checked as its entries stream past in any order. */
export class ExportContents {
  private readonly strict: boolean
  private readonly submissionIds = new Set<string>()
  private readonly missingField = { [SUBMISSIONS]: [0, 0], [TASKS]: [0, 0] } // [count, first line]
  private readonly filePrefixes: string[] = []
  private readonly unexpected: string[] = []
  private readonly present = new Set<string>()
  private submissions = new JsonlChecker(SUBMISSIONS, (record, line) => this.onSubmission(record, line))
  private tasks = new JsonlChecker(TASKS, (record, line) => this.expectField(TASKS, record, line))
  private instructions: number | undefined
  private instructionsProblem: string | undefined

  constructor(strict: boolean) {
    this.strict = strict
  }

  sinkFor(name: string, description: string): EntrySink {
    this.present.add(name)
    if (name === SUBMISSIONS) return this.submissions
    if (name === TASKS) return this.tasks
    if (name === BATCH) return this.batchSink()
    if (name.startsWith(FILES_DIR)) {
      const relative = name.slice(FILES_DIR.length)
      this.filePrefixes.push(relative.split(/[_/]/, 1)[0] ?? '')
      return NO_SINK
    }
    if (name !== README) this.unexpected.push(description)
    return NO_SINK
  }

  finish(): ContentCounts {
    const missing = REQUIRED_ENTRIES.filter((name) => !this.present.has(name))
    if (missing.length > 0) {
      throw new ArchiveError(
        `The archive has no ${missing.join(', ')}: it is not a complete AI Task Builder batch export ` +
          `(expected ${REQUIRED_ENTRIES.join(', ')} and optionally ${FILES_DIR}). Check 'batch-id', or request a new export.`,
      )
    }
    const warnings = this.shapeWarnings()
    if (this.strict && warnings.length > 0) {
      throw new ArchiveError(`The archive does not have the expected shape (strict is on): ${warnings.join(' ')}`)
    }
    return {
      submissions: this.submissions.records,
      tasks: this.tasks.records,
      files: this.filePrefixes.length,
      instructions: this.instructions,
      warnings,
    }
  }

  private onSubmission(record: Record<string, unknown>, line: number): void {
    const id = record[EXPECTED_FIELDS[SUBMISSIONS]]
    if (typeof id === 'string' && id !== '') this.submissionIds.add(id)
    else this.expectField(SUBMISSIONS, record, line)
  }

  private expectField(file: typeof SUBMISSIONS | typeof TASKS, record: Record<string, unknown>, line: number): void {
    const value = record[EXPECTED_FIELDS[file]]
    if (typeof value === 'string' && value !== '') return
    const tally = this.missingField[file]
    if (tally[0] === 0) tally[1] = line
    tally[0] = (tally[0] ?? 0) + 1
  }

  private shapeWarnings(): string[] {
    const warnings: string[] = []
    for (const file of [SUBMISSIONS, TASKS] as const) {
      const [count, first] = this.missingField[file]
      if (count) {
        warnings.push(
          `${count} record(s) in ${file} have no '${EXPECTED_FIELDS[file]}' field (first on line ${first}).`,
        )
      }
    }
    const unmatched = this.filePrefixes.filter((prefix) => !this.submissionIds.has(prefix)).length
    if (unmatched > 0) {
      warnings.push(
        `${unmatched} of ${this.filePrefixes.length} file(s) under ${FILES_DIR} do not begin with the submission_id ` +
          `of a record in ${SUBMISSIONS}.`,
      )
    }
    if (this.instructionsProblem) warnings.push(this.instructionsProblem)
    if (this.unexpected.length > 0) {
      warnings.push(
        `The archive holds entries outside the documented layout: ${this.unexpected.slice(0, 5).join(', ')}.`,
      )
    }
    return warnings
  }

  private batchSink(): EntrySink {
    const chunks: Buffer[] = []
    let size = 0
    return {
      push: (chunk) => {
        size += chunk.length
        if (size > MAX_BATCH_JSON_BYTES)
          throw new ArchiveError(`${BATCH} is larger than ${MAX_BATCH_JSON_BYTES} bytes.`)
        chunks.push(Buffer.from(chunk))
      },
      end: () => this.readBatch(Buffer.concat(chunks, size)),
    }
  }

  private readBatch(bytes: Buffer): void {
    let batch: unknown
    try {
      batch = JSON.parse(bytes.toString('utf8'))
    } catch {
      throw new ArchiveError(`${BATCH} is not valid JSON. The export is damaged; request a new one.`)
    }
    if (batch === null || typeof batch !== 'object' || Array.isArray(batch)) {
      throw new ArchiveError(`${BATCH} is not a JSON object. The export is damaged; request a new one.`)
    }
    const instructions = (batch as { instructions?: unknown }).instructions
    if (Array.isArray(instructions)) this.instructions = instructions.length
    else this.instructionsProblem = `${BATCH} has no 'instructions' array, so instruction-count is empty.`
  }
}
