import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { crc32, createInflateRaw } from 'node:zlib'
import type { Deadline } from '../core/deadline.ts'
import type { ByteQueue } from './byte-queue.ts'
import { ContentDigest } from './content-digest.ts'
import { type EntrySink, ExportContents } from './contents.ts'
import { EntryLedger } from './entry-ledger.ts'
import { EntryNames } from './entry-names.ts'
import { type ArchiveKind, describeEntry } from './layout.ts'
import { type ArchiveLimits, checkDeadline, DEFAULT_LIMITS, limitProblem } from './limits.ts'
import { checkDirectory } from './scan-directory.ts'
import {
  type LocalEntry,
  NotScannable,
  readEntryHeader,
  readSignature,
  scanZip64Values,
  SHARED_FLAGS,
} from './scan-records.ts'
import type { ArchiveReport } from './validate.ts'
import { METHOD } from './zip/features.ts'
import { LOCAL_HEADER, PLACEHOLDER, SIGNATURE } from './zip/records.ts'
import { isSmallEntry, smallEntryData } from './zip/small-entry.ts'

// Validation during the download: the local entries and their data here, the central
// directory in scan-directory.ts. What it vouches for, and what it leaves to the disk, is
// told at NotScannable in scan-records.ts.
export { NotScannable } from './scan-records.ts'

export interface ScanOptions {
  strict: boolean
  deadline: Deadline
  kind: ArchiveKind
  /** The archive is to be unpacked: names Windows or macOS cannot create are refused (default false). */
  extract?: boolean
  /** The system `extract` unpacks on (default: this runner's): which names it cannot create. */
  platform?: NodeJS.Platform
  /** Size and compression-ratio limits (default DEFAULT_LIMITS). */
  limits?: ArchiveLimits
}

/** zlib's 16 KiB default output chunk triples the cost of inflating a large JSONL file. */
const INFLATE_CHUNK = 256 * 1024

/** Validates the archive as its bytes pass through `queue`; throws NotScannable (or any error) to defer to the disk. */
export async function scanArchive(queue: ByteQueue, options: ScanOptions): Promise<ArchiveReport> {
  const { strict, deadline, kind, extract = false, platform, limits = DEFAULT_LIMITS } = options
  const contents = new ExportContents(strict, kind)
  const fingerprint = new ContentDigest()
  const names = new EntryNames(extract, platform)
  // What the central directory must repeat, kept as a running hash: nothing per entry.
  const ledger = new EntryLedger()
  let uncompressedBytes = 0
  let signature = await readSignature(queue)
  while (signature === SIGNATURE.localHeader) {
    checkDeadline(deadline)
    const index = ledger.entries
    const entry = await readLocalHeader(queue, signature, index, names)
    ledger.add(entry)
    const dataStart = queue.position
    // The running total against the bytes seen so far: the whole archive may yet prove the
    // ratio fine, so the scan leaves the verdict to the disk rather than inflate past it.
    if (limitProblem(uncompressedBytes + entry.size, dataStart + entry.compressedSize, limits) !== undefined) {
      throw new NotScannable('more uncompressed data than the limits allow')
    }
    if (entry.name.endsWith('/')) {
      if (entry.size !== 0) throw new NotScannable('a folder with data')
      for await (const part of queue.take(entry.compressedSize)) void part
    } else {
      await checkEntryData(queue, entry, contents.sinkFor(entry.name, describeEntry(entry.name, index)), deadline)
      uncompressedBytes += entry.size
      fingerprint.add(entry.name, entry.crc, entry.size)
    }
    if (queue.position !== dataStart + entry.compressedSize) throw new NotScannable('data that ends early')
    signature = await readSignature(queue)
  }
  await checkDirectory(queue, signature, ledger)
  return {
    ...names.finish(contents.finish()),
    entries: ledger.entries,
    uncompressedBytes,
    contentDigest: fingerprint.digest(),
  }
}

async function readLocalHeader(
  queue: ByteQueue,
  signature: number,
  index: number,
  names: EntryNames,
): Promise<LocalEntry> {
  const offset = queue.position - 4
  const { record, nameRaw, fields, flags, method } = await readEntryHeader(queue, signature, LOCAL_HEADER)
  const [size, compressedSize] = scanZip64Values(
    fields,
    [record.readUInt32LE(LOCAL_HEADER.uncompressedSize), record.readUInt32LE(LOCAL_HEADER.compressedSize)],
    [PLACEHOLDER.u32, PLACEHOLDER.u32],
  )
  const { name } = names.name({ bytes: nameRaw, flags, extraFields: fields }, index)
  if (method === METHOD.stored && compressedSize !== size) throw new NotScannable('a stored entry whose sizes differ')
  return {
    offset,
    name,
    nameRaw,
    flags: flags & SHARED_FLAGS,
    method,
    crc: record.readUInt32LE(LOCAL_HEADER.crc),
    compressedSize: compressedSize ?? NaN,
    size: size ?? NaN,
  }
}

async function checkEntryData(queue: ByteQueue, entry: LocalEntry, sink: EntrySink, deadline: Deadline): Promise<void> {
  let checksum = 0
  let produced = 0
  const take = (data: Buffer) => {
    checkDeadline(deadline)
    produced += data.length
    if (produced > entry.size) throw new NotScannable('data longer than declared')
    checksum = crc32(data, checksum)
    sink.push(data)
  }
  if (isSmallEntry(entry.compressedSize, entry.size)) {
    take(smallEntryData(await queue.read(entry.compressedSize), entry.method, entry.size))
  } else if (entry.method === METHOD.stored) {
    for await (const part of queue.take(entry.compressedSize)) take(part)
  } else {
    // zlib inflates on the thread pool while this thread goes on receiving and checking.
    const inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK })
    await pipeline(
      Readable.from(queue.take(entry.compressedSize)),
      inflate,
      async (inflated: AsyncIterable<Buffer>) => {
        for await (const data of inflated) take(data)
      },
    )
  }
  sink.end()
  if (produced !== entry.size || checksum !== entry.crc)
    throw new NotScannable('an entry whose size or CRC-32 differs from its header')
}
