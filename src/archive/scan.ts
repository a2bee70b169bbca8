import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { crc32, createInflateRaw } from 'node:zlib'
import yauzl from 'yauzl'
import type { Deadline } from '../deadline.ts'
import type { ByteQueue } from './byte-queue.ts'
import { ContentDigest } from './content-digest.ts'
import { type EntrySink, ExportContents } from './contents.ts'
import { checkName, isSymlink } from './entry-name.ts'
import { inflateSmall, SMALL_ENTRY } from './inflate-small.ts'
import { type ArchiveKind, describeEntry } from './layout.ts'
import type { ArchiveReport } from './validate.ts'

/**
 * The scan reads the archive front to back, once, as it downloads. It vouches only for
 * archives laid out the plain way (local entries back to back from byte 0, sizes in the
 * local headers, then a central directory that lists exactly those entries in the same order,
 * then the end records and nothing after). Anything else — a data descriptor, a gap, a
 * disagreement, an error — makes it give up with this error, and validateArchive reads the
 * file from disk and gives the verdict, and the message, it always gives.
 */
export class NotScannable extends Error {
  /** What the archive has that the scan leaves to the disk: a fixed phrase, never archive content. */
  constructor(has: string) {
    super(has)
  }
}

export interface ScanOptions {
  strict: boolean
  deadline: Deadline
  kind: ArchiveKind
}

const LOCAL = 0x04034b50
const CENTRAL = 0x02014b50
const ZIP64_END = 0x06064b50
const ZIP64_LOCATOR = 0x07064b50
const END = 0x06054b50
const END_BYTES = Buffer.from([0x50, 0x4b, 0x05, 0x06])
/** Encrypted, data descriptor, strong encryption: none of them in an export. */
const UNSCANNABLE_FLAGS = 0x01 | 0x08 | 0x40
/** The bits local header and central directory must agree on: encrypted, data descriptor, UTF-8 names. */
const SHARED_FLAGS = 0x01 | 0x08 | 0x800
const NEWEST_VERSION_NEEDED = 46
const U32 = 0xffffffff
const U16 = 0xffff
const ZIP64_FIELD = 0x0001
const UNICODE_PATH_FIELD = 0x7075
/** zlib's 16 KiB default output chunk triples the cost of inflating a large JSONL file. */
const INFLATE_CHUNK = 256 * 1024

/** What the central directory must repeat about each local entry. */
interface LocalEntry {
  offset: number
  name: string
  nameLength: number
  nameCrc: number
  flags: number
  method: number
  crc: number
  compressedSize: number
  size: number
}

/** Validates the archive as its bytes pass through `queue`; throws NotScannable (or any error) to defer to the disk. */
export async function scanArchive(queue: ByteQueue, { strict, deadline, kind }: ScanOptions): Promise<ArchiveReport> {
  const contents = new ExportContents(strict, kind)
  const fingerprint = new ContentDigest()
  const names = new Set<string>()
  const locals: LocalEntry[] = []
  let uncompressedBytes = 0
  let signature = await readSignature(queue)
  while (signature === LOCAL) {
    if (deadline.signal.aborted) throw deadline.expired('validating the archive')
    const index = locals.length
    const entry = await readLocalHeader(queue, index)
    if (names.has(entry.name)) throw new NotScannable('a name twice')
    names.add(entry.name)
    locals.push(entry)
    const dataStart = queue.position
    if (entry.name.endsWith('/')) {
      if (entry.size !== 0) throw new NotScannable('a folder with data')
      for await (const part of queue.take(entry.compressedSize)) void part
    } else {
      await checkEntryData(queue, entry, contents.sinkFor(entry.name, describeEntry(entry.name, index)))
      uncompressedBytes += entry.size
      fingerprint.add(entry.name, entry.crc, entry.size)
    }
    if (queue.position !== dataStart + entry.compressedSize) throw new NotScannable('data that ends early')
    signature = await readSignature(queue)
  }
  await checkDirectory(queue, signature, locals)
  return { ...contents.finish(), entries: locals.length, uncompressedBytes, contentDigest: fingerprint.digest() }
}

async function readSignature(queue: ByteQueue): Promise<number> {
  return (await queue.read(4)).readUInt32LE(0)
}

async function readLocalHeader(queue: ByteQueue, index: number): Promise<LocalEntry> {
  const offset = queue.position - 4
  const header = await queue.read(26)
  const flags = header.readUInt16LE(2)
  const method = header.readUInt16LE(4)
  const nameRaw = await queue.read(header.readUInt16LE(22))
  const fields = extraFields(await queue.read(header.readUInt16LE(24)))
  checkFeatures(header.readUInt16LE(0), flags, method)
  const [size, compressedSize] = zip64Values(fields, [header.readUInt32LE(18), header.readUInt32LE(14)], [U32, U32])
  const name = yauzl.getFileNameLowLevel(flags, nameRaw, fields, true)
  checkName(name, index)
  if (method === 0 && compressedSize !== size) throw new NotScannable('a stored entry whose sizes differ')
  return {
    offset,
    name,
    nameLength: nameRaw.length,
    nameCrc: crc32(nameRaw),
    flags: flags & SHARED_FLAGS,
    method,
    crc: header.readUInt32LE(10),
    compressedSize: compressedSize ?? NaN,
    size: size ?? NaN,
  }
}

function checkFeatures(versionNeeded: number, flags: number, method: number): void {
  if (flags & UNSCANNABLE_FLAGS) throw new NotScannable('encrypted entries or sizes in a data descriptor')
  if (method !== 0 && method !== 8) throw new NotScannable('a compression method other than stored or deflated')
  if ((versionNeeded & 0xff) > NEWEST_VERSION_NEEDED) throw new NotScannable('entries that need a newer ZIP version')
}

function extraFields(raw: Buffer): yauzl.ExtraField[] {
  const fields = yauzl.parseExtraFields(raw)
  // A name given again in an extra field can decode the same from different bytes: leave it to the disk.
  if (fields.some((field) => field.id === UNICODE_PATH_FIELD)) throw new NotScannable('a Unicode path field')
  return fields
}

/** Header values with the ZIP64 field's in place of placeholders, in the order the field lists them. */
function zip64Values(fields: yauzl.ExtraField[], values: number[], placeholders: number[]): number[] {
  if (!values.some((value, i) => value === placeholders[i])) return values
  const data = fields.find((field) => field.id === ZIP64_FIELD)?.data
  let at = 0
  return values.map((value, i) => {
    if (value !== placeholders[i]) return value
    if (!data || at + (placeholders[i] === U16 ? 4 : 8) > data.length) throw new NotScannable('a short ZIP64 field')
    at += placeholders[i] === U16 ? 4 : 8
    return placeholders[i] === U16 ? data.readUInt32LE(at - 4) : Number(data.readBigUInt64LE(at - 8))
  })
}

async function checkEntryData(queue: ByteQueue, entry: LocalEntry, sink: EntrySink): Promise<void> {
  let checksum = 0
  let produced = 0
  const take = (data: Buffer) => {
    produced += data.length
    if (produced > entry.size) throw new NotScannable('data longer than declared')
    checksum = crc32(data, checksum)
    sink.push(data)
  }
  if (entry.compressedSize <= SMALL_ENTRY && entry.size <= SMALL_ENTRY) {
    // Most entries are small uploads: taken whole, without a stream and its round trips.
    const raw = await queue.read(entry.compressedSize)
    take(entry.method === 8 ? inflateSmall(raw, entry.size) : raw)
  } else if (entry.method === 0) {
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

/**
 * The central directory, read as it arrives: entry for entry the local headers already seen,
 * then the end records, which must describe it exactly and end the stream.
 */
async function checkDirectory(queue: ByteQueue, first: number, locals: LocalEntry[]): Promise<void> {
  const directoryAt = queue.position - 4
  let signature = first
  let index = 0
  for (; signature === CENTRAL; index++) {
    const header = await queue.read(42)
    const nameRaw = await queue.read(header.readUInt16LE(24))
    const fields = extraFields(await queue.read(header.readUInt16LE(26)))
    await queue.read(header.readUInt16LE(28))
    const flags = header.readUInt16LE(4)
    const method = header.readUInt16LE(6)
    checkFeatures(header.readUInt16LE(2), flags, method)
    const [size, compressedSize, offset, disk] = zip64Values(
      fields,
      [header.readUInt32LE(20), header.readUInt32LE(16), header.readUInt32LE(38), header.readUInt16LE(30)],
      [U32, U32, U32, U16],
    )
    const local = locals[index]
    if (
      !local ||
      disk !== 0 ||
      offset !== local.offset ||
      size !== local.size ||
      compressedSize !== local.compressedSize ||
      header.readUInt32LE(12) !== local.crc ||
      method !== local.method ||
      (flags & SHARED_FLAGS) !== local.flags ||
      nameRaw.length !== local.nameLength ||
      crc32(nameRaw) !== local.nameCrc ||
      yauzl.getFileNameLowLevel(flags, nameRaw, fields, true) !== local.name ||
      isSymlink(header.readUInt16LE(0), header.readUInt32LE(34))
    ) {
      throw new NotScannable('a central directory that differs from the local headers')
    }
    signature = await readSignature(queue)
  }
  if (index !== locals.length) throw new NotScannable('a central directory that leaves entries out')
  await checkEndRecords(queue, signature, {
    entries: index,
    offset: directoryAt,
    size: queue.position - 4 - directoryAt,
  })
}

interface Directory {
  entries: number
  offset: number
  size: number
}

/** The ZIP64 end record and locator where present, then the end record, whose comment ends the stream. */
async function checkEndRecords(queue: ByteQueue, first: number, directory: Directory): Promise<void> {
  let signature = first
  let zip64: Directory | undefined
  if (signature === ZIP64_END) {
    const recordAt = queue.position - 4
    const record = await queue.read(52)
    const entries = Number(record.readBigUInt64LE(28))
    zip64 = { entries, size: Number(record.readBigUInt64LE(36)), offset: Number(record.readBigUInt64LE(44)) }
    if (
      Number(record.readBigUInt64LE(0)) !== 44 ||
      record.readUInt32LE(12) !== 0 ||
      record.readUInt32LE(16) !== 0 ||
      Number(record.readBigUInt64LE(20)) !== entries ||
      (await readSignature(queue)) !== ZIP64_LOCATOR
    ) {
      throw new NotScannable('an unusual ZIP64 end record')
    }
    const locator = await queue.read(16)
    if (
      locator.readUInt32LE(0) !== 0 ||
      Number(locator.readBigUInt64LE(4)) !== recordAt ||
      locator.readUInt32LE(12) !== 1
    ) {
      throw new NotScannable('an unusual ZIP64 locator')
    }
    signature = await readSignature(queue)
  }
  if (signature !== END) throw new NotScannable('no end record after the central directory')
  const end = await queue.read(18)
  const comment = await queue.read(end.readUInt16LE(16))
  if (!(await queue.atEnd())) throw new NotScannable('bytes after the end record')
  const classic = { entries: end.readUInt16LE(6), size: end.readUInt32LE(8), offset: end.readUInt32LE(12) }
  const agrees = (field: keyof Directory, placeholder: number) =>
    zip64 ? classic[field] === placeholder || classic[field] === zip64[field] : classic[field] === directory[field]
  if (
    end.readUInt16LE(0) !== 0 ||
    end.readUInt16LE(2) !== 0 ||
    end.readUInt16LE(4) !== classic.entries ||
    !agrees('entries', U16) ||
    !agrees('size', U32) ||
    !agrees('offset', U32) ||
    (zip64 &&
      (zip64.entries !== directory.entries || zip64.size !== directory.size || zip64.offset !== directory.offset)) ||
    // yauzl finds the end record by searching backwards: a signature in the comment would mislead it.
    comment.includes(END_BYTES)
  ) {
    throw new NotScannable('an end record that does not describe the central directory')
  }
}
