import { crc32 } from 'node:zlib'
import type yauzl from 'yauzl'
import type { Deadline } from '../core/deadline.ts'
import { ArchiveError } from '../core/errors.ts'
import type { EntrySink } from './contents.ts'
import { checkDeadline } from './limits.ts'
import { openEntryData, readArchiveBytes } from './zip/zip-reader.ts'
import { isSmallEntry, smallEntryData } from './zip/small-entry.ts'

// One entry's data from disk, inflated into its sink and held to its declared size and CRC-32.

export async function checkData(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  dataStart: number,
  sink: EntrySink,
  where: string,
  deadline: Deadline,
  /** What the step was doing, for the message should the deadline pass (checkDeadline's default otherwise). */
  during?: string,
): Promise<void> {
  let checksum = 0
  if (isSmallEntry(entry.compressedSize, entry.uncompressedSize)) {
    const raw = await readArchiveBytes(zip, dataStart, entry.compressedSize)
    const data = smallEntryData(raw, entry.compressionMethod, entry.uncompressedSize)
    checksum = crc32(data)
    sink.push(data)
  } else {
    let stream
    try {
      stream = await openEntryData(zip, entry, dataStart)
    } catch (error) {
      if (error instanceof ArchiveError) throw new ArchiveError(`The archive's ${where} ${error.message}`)
      throw error
    }
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      checkDeadline(deadline, during)
      checksum = crc32(chunk, checksum)
      sink.push(chunk)
    }
  }
  sink.end()
  if (checksum !== entry.crc32) {
    throw new ArchiveError(
      `The archive's ${where} fails its CRC-32 check (the bytes are not the ones the archive declares). ` +
        'The download or the export is corrupt; run the workflow again.',
    )
  }
}
