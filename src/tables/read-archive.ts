import type yauzl from 'yauzl'
import { checkData } from '../archive/entry-data.ts'
import type { EntrySink } from '../archive/contents.ts'
import { safeEntry } from '../archive/entry-name.ts'
import { JsonlChecker, type RecordVisitor } from '../archive/jsonl.ts'
import { type ArchiveLayout, describeEntry, FILES_DIR } from '../archive/layout.ts'
import { checkDeadline, MAX_METADATA_BYTES } from '../archive/limits.ts'
import { openZip } from '../archive/zip/zip-reader.ts'
import type { Deadline } from '../core/deadline.ts'
import { ArchiveError } from '../core/errors.ts'

/** One upload under files/, as the central directory describes it: nothing is inflated. */
export interface ArchiveFile {
  name: string
  size: number
  crc32: number
}

/** What a pass over the validated archive hands on; a pass asks only for what it needs. */
export interface TableReaders {
  /** Each record of the layout's submissions JSONL, in order. */
  record?: RecordVisitor
  /** The metadata file (batch.json or collection.json), parsed. */
  metadata?: (value: unknown) => void
  file?: (file: ArchiveFile) => void
}

const DURING = 'making the tables'

/**
 * Reads the archive at `zipPath`, which validation has accepted, from its central directory,
 * with the readers validation uses: names decoded as they were, data inflated and held to its
 * CRC-32 as it passes, JSONL parsed line by line. Nothing is extracted, and only the entries a
 * reader is given for are inflated.
 */
export async function readForTables(
  zipPath: string,
  layout: ArchiveLayout,
  readers: TableReaders,
  deadline: Deadline,
): Promise<void> {
  const zip = await openZip(zipPath)
  try {
    let index = 0
    for await (const entry of zip.eachEntry()) {
      checkDeadline(deadline, DURING)
      const { name, isDirectory } = safeEntry(entry, index)
      const where = describeEntry(name, index++)
      if (isDirectory) continue
      if (name.startsWith(FILES_DIR)) {
        readers.file?.({ name, size: entry.uncompressedSize, crc32: entry.crc32 })
        continue
      }
      const sink = sinkFor(name, layout, readers)
      if (sink) await inflateInto(zip, entry, sink, where, deadline)
    }
  } finally {
    zip.close()
  }
}

function sinkFor(name: string, layout: ArchiveLayout, { record, metadata }: TableReaders): EntrySink | undefined {
  if (name === layout.submissions && record) return new JsonlChecker(name, record)
  if (name === layout.metadata && metadata) return metadataSink(name, metadata)
  return undefined
}

async function inflateInto(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  sink: EntrySink,
  where: string,
  deadline: Deadline,
): Promise<void> {
  const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true })
  await checkData(zip, entry, fileDataStart, sink, where, deadline, DURING)
}

/** The metadata whole (validation has held it to MAX_METADATA_BYTES and parsed it already). */
function metadataSink(file: string, take: (value: unknown) => void): EntrySink {
  const chunks: Buffer[] = []
  let size = 0
  return {
    push: (chunk) => {
      size += chunk.length
      if (size > MAX_METADATA_BYTES) throw new ArchiveError(`${file} changed after it was validated.`)
      chunks.push(Buffer.from(chunk))
    },
    end: () => {
      let value: unknown
      try {
        value = JSON.parse(Buffer.concat(chunks, size).toString('utf8'))
      } catch {
        throw new ArchiveError(`${file} changed after it was validated.`)
      }
      take(value)
    },
  }
}
