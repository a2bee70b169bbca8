import { open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import yauzl from 'yauzl'
import { ArchiveError, messageOf } from '../errors.ts'

/**
 * yauzl reads the central directory from the file instead of trusting a stream of local
 * headers, handles ZIP64, and checks each entry's declared sizes against the bytes it
 * inflates (the zip-bomb defence). It does not check CRC-32: we do, as the bytes pass.
 */
export async function openZip(path: string): Promise<yauzl.ZipFile> {
  try {
    return await yauzl.openPromise(path, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    })
  } catch (error) {
    throw new ArchiveError(
      `The download is not a readable ZIP archive (${messageOf(error)}).${await sniff(path)} ` +
        'Run the workflow again; if it keeps happening, request a new export.',
    )
  }
}

/** An inflated stream of an entry whose data starts at `dataStart` (from its local header). */
export function openEntryData(zip: yauzl.ZipFile, entry: yauzl.Entry, dataStart: number): Promise<Readable> {
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new ArchiveError(
      `uses compression method ${entry.compressionMethod}; exports use only stored or deflated entries.`,
    )
  }
  // Not openReadStreamLowLevelPromise: in yauzl 3.4 it calls openReadStream by mistake.
  return new Promise((resolve, reject) =>
    zip.openReadStreamLowLevel(
      dataStart,
      entry.compressedSize,
      0,
      entry.compressedSize,
      entry.compressionMethod === 8,
      entry.uncompressedSize,
      (error, stream) => (error ? reject(error) : resolve(stream)),
    ),
  )
}

/** A hint for the commonest non-ZIP payload: an HTML or XML error page served with 200. */
async function sniff(path: string): Promise<string> {
  try {
    const file = await open(path)
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(64), 0, 64, 0)
      const head = buffer.subarray(0, bytesRead).toString('latin1').trimStart()
      if (bytesRead === 0) return ' The download was empty.'
      if (head.startsWith('<')) return ' It looks like an HTML or XML page, not an export.'
      if (head.startsWith('{')) return ' It looks like JSON, not an export.'
      return ''
    } finally {
      await file.close()
    }
  } catch {
    return ''
  }
}
