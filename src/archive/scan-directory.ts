import type { ByteQueue } from './byte-queue.ts'
import { typeProblem } from './entry-name.ts'
import { EntryLedger } from './entry-ledger.ts'
import {
  NotScannable,
  readEntryHeader,
  readRecord,
  readSignature,
  scanZip64Values,
  SHARED_FLAGS,
} from './scan-records.ts'
import { describedDirectory, locatorIsPlain, zip64RecordIsPlain } from './zip/end-records.ts'
import { CENTRAL_HEADER, END_RECORD, PLACEHOLDER, SIGNATURE, ZIP64_END_RECORD, ZIP64_LOCATOR } from './zip/records.ts'

const { u16: U16, u32: U32 } = PLACEHOLDER
/** A folder's name ends with '/'. */
const SLASH = 0x2f
const END_SIGNATURE_BYTES = Buffer.alloc(4)
END_SIGNATURE_BYTES.writeUInt32LE(SIGNATURE.endRecord)

/**
 * The central directory, read as it arrives: entry for entry what the local headers said (their
 * ledger must come out the same), then the end records, which must describe it exactly and end
 * the stream.
 */
export async function checkDirectory(queue: ByteQueue, first: number, locals: EntryLedger): Promise<void> {
  const directoryAt = queue.position - 4
  const central = new EntryLedger()
  let signature = first
  for (; signature === SIGNATURE.centralHeader; signature = await readSignature(queue)) {
    const { record: header, nameRaw, fields, flags, method } = await readEntryHeader(queue, signature, CENTRAL_HEADER)
    const [size, compressedSize, offset, disk] = scanZip64Values(
      fields,
      [
        header.readUInt32LE(CENTRAL_HEADER.uncompressedSize),
        header.readUInt32LE(CENTRAL_HEADER.compressedSize),
        header.readUInt32LE(CENTRAL_HEADER.localHeaderOffset),
        header.readUInt16LE(CENTRAL_HEADER.diskNumberStart),
      ],
      [U32, U32, U32, U16],
    )
    const isFolder = nameRaw.at(-1) === SLASH
    if (disk !== 0 || typeProblem(header.readUInt32LE(CENTRAL_HEADER.externalAttributes), isFolder) !== undefined) {
      throw new NotScannable('a central directory that differs from the local headers')
    }
    const crc = header.readUInt32LE(CENTRAL_HEADER.crc)
    central.add({
      offset: offset ?? NaN,
      size: size ?? NaN,
      compressedSize: compressedSize ?? NaN,
      crc,
      method,
      flags: flags & SHARED_FLAGS,
      nameRaw,
    })
    if (central.entries > locals.entries)
      throw new NotScannable('a central directory that differs from the local headers')
  }
  if (central.entries !== locals.entries) throw new NotScannable('a central directory that leaves entries out')
  if (central.digest() !== locals.digest())
    throw new NotScannable('a central directory that differs from the local headers')
  await checkEndRecords(queue, signature, { entries: central.entries, size: queue.position - 4 - directoryAt })
}

/** The ZIP64 end record and locator where present, then the end record, whose comment ends the stream. */
async function checkEndRecords(
  queue: ByteQueue,
  first: number,
  directory: { entries: number; size: number },
): Promise<void> {
  let signature = first
  let zip64: Buffer | undefined
  const endRecordsAt = queue.position - 4
  if (signature === SIGNATURE.zip64EndRecord) {
    const record = await readRecord(queue, signature, ZIP64_END_RECORD.fixedBytes)
    const locatorAt = queue.position
    if (
      !zip64RecordIsPlain(record, endRecordsAt, locatorAt) ||
      (await readSignature(queue)) !== SIGNATURE.zip64Locator
    ) {
      throw new NotScannable('an unusual ZIP64 end record')
    }
    const locator = await readRecord(queue, SIGNATURE.zip64Locator, ZIP64_LOCATOR.fixedBytes)
    if (!locatorIsPlain(locator, endRecordsAt)) throw new NotScannable('an unusual ZIP64 locator')
    zip64 = record
    signature = await readSignature(queue)
  }
  if (signature !== SIGNATURE.endRecord) throw new NotScannable('no end record after the central directory')
  const end = await readRecord(queue, signature, END_RECORD.fixedBytes)
  const comment = await queue.read(end.readUInt16LE(END_RECORD.commentLength))
  if (!(await queue.atEnd())) throw new NotScannable('bytes after the end record')
  if (
    !describedDirectory(end, zip64, directory, endRecordsAt) ||
    // yauzl finds the end record by searching backwards: a signature in the comment would mislead it.
    comment.includes(END_SIGNATURE_BYTES)
  ) {
    throw new NotScannable('an end record that does not describe the central directory')
  }
}
