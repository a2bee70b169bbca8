import { ArchiveError } from '../core/errors.ts'
import { JsonlChecker, structureProblem } from './jsonl.ts'
import {
  type ArchiveKind,
  type ArchiveLayout,
  FILES_DIR,
  isLayoutName,
  LAYOUTS,
  README,
  uploadOwner,
} from './layout.ts'
import { MAX_METADATA_BYTES } from './limits.ts'
import { StringHashList, StringHashSet } from './string-hash-set.ts'
import { TaskCoverage, type TaskResponses } from './task-coverage.ts'

/** Receives one entry's inflated bytes. */
export interface EntrySink {
  push(chunk: Buffer): void
  end(): void
}

export interface ContentCounts {
  submissions: number
  /** Records in responses-by-task.jsonl; undefined for a collection, which has no such file. */
  tasks: number | undefined
  /** Files under files/, not counting directory entries. */
  files: number
  /** Length of the metadata's `instructions`, or undefined where it cannot be told. */
  instructions: number | undefined
  /** Responses per task in responses-by-task.jsonl; undefined for a collection. */
  taskResponses?: TaskResponses
  /** Things the user should look at; errors instead when `strict` is on. */
  warnings: string[]
}

const NO_SINK: EntrySink = { push: () => undefined, end: () => undefined }

/** What the archive holds, checked as its entries stream past in any order. */
export class ExportContents {
  private readonly strict: boolean
  private readonly kind: ArchiveKind
  private readonly layout: ArchiveLayout
  private readonly jsonl = new Map<string, JsonlChecker>()
  private readonly submissionIds = new StringHashSet()
  private readonly missingField = new Map<string, { count: number; firstLine: number }>()
  /** The start of each name under files/, which should be a submission_id. */
  private readonly filePrefixes = new StringHashList()
  /** The first few entries outside the layout, by number ('entry #7'), and how many there are. */
  private readonly unexpected: string[] = []
  private unexpectedCount = 0
  private readonly present = new Set<string>()
  private instructions: number | undefined
  private instructionsProblem: string | undefined
  private readonly coverage: TaskCoverage | undefined

  constructor(strict: boolean, kind: ArchiveKind = 'batch') {
    this.strict = strict
    this.kind = kind
    this.layout = LAYOUTS[kind]
    this.coverage = this.layout.tasks === undefined ? undefined : new TaskCoverage()
    for (const [file, field] of Object.entries(this.layout.expectedFields)) {
      this.jsonl.set(file, new JsonlChecker(file, (record, line) => this.onRecord(file, field, record, line)))
    }
  }

  sinkFor(name: string, description: string): EntrySink {
    // Only the layout's own names are ever looked up: the rest need not be kept.
    if (isLayoutName(name)) this.present.add(name)
    const jsonl = this.jsonl.get(name)
    if (jsonl) return jsonl
    if (name === this.layout.metadata) return this.metadataSink()
    if (name.startsWith(FILES_DIR)) {
      this.filePrefixes.push(uploadOwner(name))
      return NO_SINK
    }
    if (name !== README && this.unexpectedCount++ < 5) this.unexpected.push(description)
    return NO_SINK
  }

  finish(): ContentCounts {
    const { required, submissions, tasks, input } = this.layout
    const missing = required.filter((name) => !this.present.has(name))
    if (missing.length > 0) {
      throw new ArchiveError(
        `The archive has no ${missing.join(', ')}: it is not a complete AI Task Builder ${this.kind} export ` +
          `(expected ${required.join(', ')} and optionally ${FILES_DIR}).${this.otherKindHint()} ` +
          `Check '${input}', or request a new export.`,
      )
    }
    const warnings = this.shapeWarnings()
    if (this.strict && warnings.length > 0) {
      throw new ArchiveError(`The archive does not have the expected shape (strict is on): ${warnings.join(' ')}`)
    }
    return {
      submissions: this.records(submissions),
      tasks: tasks === undefined ? undefined : this.records(tasks),
      files: this.filePrefixes.length,
      instructions: this.instructions,
      taskResponses: this.coverage?.finish(),
      warnings,
    }
  }

  private records(file: string): number {
    return this.jsonl.get(file)?.records ?? 0
  }

  /** Says so when the archive is the other kind's export, as when a batch's ID is given as a collection's. */
  private otherKindHint(): string {
    const other = (Object.keys(LAYOUTS) as ArchiveKind[]).find(
      (kind) => kind !== this.kind && LAYOUTS[kind].required.every((name) => this.present.has(name)),
    )
    return other ? ` It holds the entries of a ${other} export instead.` : ''
  }

  private onRecord(file: string, field: string, record: Record<string, unknown>, line: number): void {
    if (file === this.layout.tasks) this.coverage?.add(record, line)
    const value = record[field]
    if (typeof value === 'string' && value !== '') {
      if (file === this.layout.submissions) this.submissionIds.add(value)
      return
    }
    const tally = this.missingField.get(file)
    if (tally) tally.count += 1
    else this.missingField.set(file, { count: 1, firstLine: line })
  }

  private shapeWarnings(): string[] {
    const warnings: string[] = []
    for (const [file, field] of Object.entries(this.layout.expectedFields)) {
      const tally = this.missingField.get(file)
      if (tally) {
        warnings.push(
          `${tally.count} record(s) in ${file} have no '${field}' field (first on line ${tally.firstLine}).`,
        )
      }
    }
    const untold = this.layout.tasks && this.coverage?.problem(this.layout.tasks)
    if (untold) warnings.push(untold)
    const unmatched = this.filePrefixes.countAbsentFrom(this.submissionIds)
    if (unmatched > 0) {
      warnings.push(
        `${unmatched} of ${this.filePrefixes.length} file(s) under ${FILES_DIR} do not begin with the submission_id ` +
          `of a record in ${this.layout.submissions}.`,
      )
    }
    if (this.instructionsProblem) warnings.push(this.instructionsProblem)
    if (this.unexpected.length > 0) {
      warnings.push(
        `The archive holds ${this.unexpectedCount} entr${this.unexpectedCount === 1 ? 'y' : 'ies'} outside the ` +
          `documented layout: ${this.unexpected.join(', ')}${this.unexpectedCount > 5 ? ', …' : ''}.`,
      )
    }
    return warnings
  }

  private metadataSink(): EntrySink {
    const chunks: Buffer[] = []
    let size = 0
    return {
      push: (chunk) => {
        size += chunk.length
        if (size > MAX_METADATA_BYTES) {
          throw new ArchiveError(
            `${this.layout.metadata} is larger than ${MAX_METADATA_BYTES} bytes, far more than an export's metadata. ` +
              'The export is damaged; request a new one.',
          )
        }
        chunks.push(Buffer.from(chunk))
      },
      end: () => this.readMetadata(Buffer.concat(chunks, size)),
    }
  }

  private readMetadata(bytes: Buffer): void {
    const file = this.layout.metadata
    const text = bytes.toString('utf8')
    const structure = structureProblem(text)
    if (structure) {
      let line = 1
      for (let at = text.indexOf('\n'); at !== -1 && at < structure.at; at = text.indexOf('\n', at + 1)) line += 1
      throw new ArchiveError(`${file} line ${line} ${structure.problem}. The export is damaged; request a new one.`)
    }
    let metadata: unknown
    try {
      metadata = JSON.parse(text)
    } catch {
      throw new ArchiveError(`${file} is not valid JSON. The export is damaged; request a new one.`)
    }
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
      throw new ArchiveError(`${file} is not a JSON object. The export is damaged; request a new one.`)
    }
    const instructions = (metadata as { instructions?: unknown }).instructions
    if (Array.isArray(instructions)) this.instructions = instructions.length
    else this.instructionsProblem = `${file} has no 'instructions' array, so instruction-count is empty.`
  }
}
