import { crc32 } from 'node:zlib'
import yauzl from 'yauzl'
import type { ByteQueue } from './byte-queue.ts'
import { typeProblem } from './entry-name.ts'
import {
  CENTRAL,
  checkFeatures,
  END,
  END_BYTES,
  extraFields,
  type LocalEntry,
  NotScannable,
  readSignature,
  SHARED_FLAGS,
  U16,
  U32,
  ZIP64_END,
  ZIP64_LOCATOR,
  zip64Values,
} from './scan-records.ts'

/**
 * The central directory, read as it arrives: entry for entry the local headers already seen,
 * then the end records, which must describe it exactly and end the stream.
 */
export async function checkDirectory(queue: ByteQueue, first: number, locals: LocalEntry[]): Promise<void> {
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
      typeProblem(header.readUInt32LE(34), local.name.endsWith('/')) !== undefined
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
