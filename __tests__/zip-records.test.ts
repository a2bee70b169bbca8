// The ZIP rulebook (src/archive/zip/): the record layouts read against yauzl, an independent
// reader of APPNOTE; the ZIP64 field's decoding; each end-record rule on its own; and proof
// that the scan during the download and the validation from disk take their rules from it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateRawSync } from 'node:zlib'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import yauzl from 'yauzl'
import { describedDirectory, locatorIsPlain, zip64RecordIsPlain } from '../src/archive/zip/end-records.ts'
import { isAllowedMethod, methodProblem, versionNeeded } from '../src/archive/zip/features.ts'
import {
  CENTRAL_HEADER,
  END_RECORD,
  LOCAL_HEADER,
  PLACEHOLDER,
  SIGNATURE,
  ZIP64_END_RECORD,
  ZIP64_LOCATOR,
} from '../src/archive/zip/records.ts'
import { isSmallEntry, smallEntryData } from '../src/archive/zip/small-entry.ts'
import { zip64Values } from '../src/archive/zip/zip64-field.ts'
import { Deadline } from '../src/core/deadline.ts'
import { buildExportArchive } from '../test-support/export-archive.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { scanBytes } from '../test-support/scan-harness.ts'
import { buildZip } from '../test-support/zip-builder.ts'

const dir = mkdtempSync(join(tmpdir(), 'zip-records-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Every field a different value, so a field read at the wrong offset reads a wrong value.
const SAMPLE = buildZip([
  { name: 'README.md', data: '# x' },
  { name: 'files/a.txt', data: 'hello '.repeat(200), method: 'deflate', externalAttributes: (0o100644 << 16) >>> 0 },
])

async function yauzlEntries(zip: Buffer): Promise<{ zipFile: yauzl.ZipFile; entries: yauzl.Entry[] }> {
  const zipFile = await yauzl.fromBufferPromise(zip, { lazyEntries: true, decodeStrings: false })
  const entries: yauzl.Entry[] = []
  for await (const entry of zipFile.eachEntry()) entries.push(entry)
  return { zipFile, entries }
}

/** The end record of an archive without a comment, and where it is. */
function endRecord(zip: Buffer): { end: Buffer; endAt: number } {
  const endAt = zip.length - END_RECORD.fixedBytes
  return { end: zip.subarray(endAt), endAt }
}

/** APPNOTE's field widths, in its order: a layout's offsets must follow from them. */
type Widths<Layout> = Record<Exclude<keyof Layout, 'fixedBytes'>, number>
// prettier-ignore
const WIDTHS: Array<[string, { fixedBytes: number }, Record<string, number>]> = [
  ['LOCAL_HEADER (4.3.7)', LOCAL_HEADER, {
    signature: 4, versionNeeded: 2, flags: 2, method: 2, modifiedTime: 2, modifiedDate: 2, crc: 4,
    compressedSize: 4, uncompressedSize: 4, nameLength: 2, extraLength: 2,
  } satisfies Widths<typeof LOCAL_HEADER>],
  ['CENTRAL_HEADER (4.3.12)', CENTRAL_HEADER, {
    signature: 4, versionMadeBy: 2, versionNeeded: 2, flags: 2, method: 2, modifiedTime: 2, modifiedDate: 2,
    crc: 4, compressedSize: 4, uncompressedSize: 4, nameLength: 2, extraLength: 2, commentLength: 2,
    diskNumberStart: 2, internalAttributes: 2, externalAttributes: 4, localHeaderOffset: 4,
  } satisfies Widths<typeof CENTRAL_HEADER>],
  ['ZIP64_END_RECORD (4.3.14)', ZIP64_END_RECORD, {
    signature: 4, recordSize: 8, versionMadeBy: 2, versionNeeded: 2, disk: 4, directoryDisk: 4,
    entriesOnDisk: 8, entries: 8, directorySize: 8, directoryOffset: 8,
  } satisfies Widths<typeof ZIP64_END_RECORD>],
  ['ZIP64_LOCATOR (4.3.15)', ZIP64_LOCATOR, {
    signature: 4, recordDisk: 4, recordOffset: 8, disks: 4,
  } satisfies Widths<typeof ZIP64_LOCATOR>],
  ['END_RECORD (4.3.16)', END_RECORD, {
    signature: 4, disk: 2, directoryDisk: 2, entriesOnDisk: 2, entries: 2, directorySize: 4, directoryOffset: 4,
    commentLength: 2,
  } satisfies Widths<typeof END_RECORD>],
]

describe('record layouts', () => {
  it.each(WIDTHS)('%s: each field where the one before it ends, filling the fixed part', (_name, layout, widths) => {
    const offsets: Record<string, number> = {}
    let at = 0
    for (const [field, width] of Object.entries(widths)) {
      offsets[field] = at
      at += width
    }
    expect({ ...offsets, fixedBytes: at }).toEqual(layout)
  })
})

describe('record layouts, read against yauzl', () => {
  it('the end record and the central directory headers', async () => {
    const { entries } = await yauzlEntries(SAMPLE)
    const { end } = endRecord(SAMPLE)
    expect(end.readUInt32LE(END_RECORD.signature)).toBe(SIGNATURE.endRecord)
    expect(end.readUInt16LE(END_RECORD.entries)).toBe(entries.length)
    let at = end.readUInt32LE(END_RECORD.directoryOffset)
    for (const entry of entries) {
      const header = SAMPLE.subarray(at)
      expect(header.readUInt32LE(CENTRAL_HEADER.signature)).toBe(SIGNATURE.centralHeader)
      expect({
        versionMadeBy: header.readUInt16LE(CENTRAL_HEADER.versionMadeBy),
        versionNeeded: header.readUInt16LE(CENTRAL_HEADER.versionNeeded),
        flags: header.readUInt16LE(CENTRAL_HEADER.flags),
        method: header.readUInt16LE(CENTRAL_HEADER.method),
        modifiedTime: header.readUInt16LE(CENTRAL_HEADER.modifiedTime),
        modifiedDate: header.readUInt16LE(CENTRAL_HEADER.modifiedDate),
        crc: header.readUInt32LE(CENTRAL_HEADER.crc),
        compressedSize: header.readUInt32LE(CENTRAL_HEADER.compressedSize),
        uncompressedSize: header.readUInt32LE(CENTRAL_HEADER.uncompressedSize),
        nameLength: header.readUInt16LE(CENTRAL_HEADER.nameLength),
        extraLength: header.readUInt16LE(CENTRAL_HEADER.extraLength),
        commentLength: header.readUInt16LE(CENTRAL_HEADER.commentLength),
        internalAttributes: header.readUInt16LE(CENTRAL_HEADER.internalAttributes),
        externalAttributes: header.readUInt32LE(CENTRAL_HEADER.externalAttributes),
        localHeaderOffset: header.readUInt32LE(CENTRAL_HEADER.localHeaderOffset),
        name: header.subarray(CENTRAL_HEADER.fixedBytes, CENTRAL_HEADER.fixedBytes + entry.fileNameLength),
      }).toEqual({
        versionMadeBy: entry.versionMadeBy,
        versionNeeded: entry.versionNeededToExtract,
        flags: entry.generalPurposeBitFlag,
        method: entry.compressionMethod,
        modifiedTime: entry.lastModFileTime,
        modifiedDate: entry.lastModFileDate,
        crc: entry.crc32,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        nameLength: entry.fileNameLength,
        extraLength: entry.extraFieldLength,
        commentLength: entry.fileCommentLength,
        internalAttributes: entry.internalFileAttributes,
        externalAttributes: entry.externalFileAttributes,
        localHeaderOffset: entry.relativeOffsetOfLocalHeader,
        name: entry.fileNameRaw,
      })
      at += CENTRAL_HEADER.fixedBytes + entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength
    }
  })

  it('the local headers', async () => {
    const { zipFile, entries } = await yauzlEntries(SAMPLE)
    for (const entry of entries) {
      const local = await zipFile.readLocalFileHeaderPromise(entry)
      const header = SAMPLE.subarray(entry.relativeOffsetOfLocalHeader)
      expect(header.readUInt32LE(LOCAL_HEADER.signature)).toBe(SIGNATURE.localHeader)
      expect({
        versionNeeded: header.readUInt16LE(LOCAL_HEADER.versionNeeded),
        flags: header.readUInt16LE(LOCAL_HEADER.flags),
        method: header.readUInt16LE(LOCAL_HEADER.method),
        modifiedTime: header.readUInt16LE(LOCAL_HEADER.modifiedTime),
        modifiedDate: header.readUInt16LE(LOCAL_HEADER.modifiedDate),
        crc: header.readUInt32LE(LOCAL_HEADER.crc),
        compressedSize: header.readUInt32LE(LOCAL_HEADER.compressedSize),
        uncompressedSize: header.readUInt32LE(LOCAL_HEADER.uncompressedSize),
        nameLength: header.readUInt16LE(LOCAL_HEADER.nameLength),
        extraLength: header.readUInt16LE(LOCAL_HEADER.extraLength),
        dataStart:
          entry.relativeOffsetOfLocalHeader + LOCAL_HEADER.fixedBytes + local.fileNameLength + local.extraFieldLength,
      }).toEqual({
        versionNeeded: local.versionNeededToExtract,
        flags: local.generalPurposeBitFlag,
        method: local.compressionMethod,
        modifiedTime: local.lastModFileTime,
        modifiedDate: local.lastModFileDate,
        crc: local.crc32,
        compressedSize: local.compressedSize,
        uncompressedSize: local.uncompressedSize,
        nameLength: local.fileNameLength,
        extraLength: local.extraFieldLength,
        dataStart: local.fileDataStart,
      })
    }
  })

  it('the ZIP64 end record and locator', async () => {
    const zip = buildExportArchive({ zip64: true, files: 2 })
    const { entries } = await yauzlEntries(zip)
    const { end, endAt } = endRecord(zip)
    const locatorAt = endAt - ZIP64_LOCATOR.fixedBytes
    const locator = zip.subarray(locatorAt, endAt)
    expect(locator.readUInt32LE(ZIP64_LOCATOR.signature)).toBe(SIGNATURE.zip64Locator)
    const recordAt = Number(locator.readBigUInt64LE(ZIP64_LOCATOR.recordOffset))
    const record = zip.subarray(recordAt, locatorAt)
    expect(record.readUInt32LE(ZIP64_END_RECORD.signature)).toBe(SIGNATURE.zip64EndRecord)
    expect(Number(record.readBigUInt64LE(ZIP64_END_RECORD.entries))).toBe(entries.length)
    const first = Number(record.readBigUInt64LE(ZIP64_END_RECORD.directoryOffset))
    expect(zip.readUInt32LE(first)).toBe(SIGNATURE.centralHeader)
    expect(first + Number(record.readBigUInt64LE(ZIP64_END_RECORD.directorySize))).toBe(recordAt)
    expect(end.readUInt16LE(END_RECORD.entries)).toBe(PLACEHOLDER.u16)
  })
})

describe('zip64Values (APPNOTE 4.5.3)', () => {
  const field = Buffer.alloc(20)
  field.writeBigUInt64LE(5_000_000_000n, 0)
  field.writeBigUInt64LE(7_000_000_000n, 8)
  field.writeUInt32LE(3, 16)
  const placeholders = [PLACEHOLDER.u32, PLACEHOLDER.u32, PLACEHOLDER.u32, PLACEHOLDER.u16]

  it('takes the values of placeholders only, in order, 8 bytes each and 4 for the disk', () => {
    const values = [PLACEHOLDER.u32, 10, PLACEHOLDER.u32, PLACEHOLDER.u16]
    expect(zip64Values(() => field, values, placeholders)).toEqual([5_000_000_000, 10, 7_000_000_000, 3])
  })

  it('gives undefined for a value the field is too short for, or has no field for', () => {
    expect(zip64Values(() => field.subarray(0, 12), [PLACEHOLDER.u32, PLACEHOLDER.u32], placeholders)).toEqual([
      5_000_000_000,
      undefined,
    ])
    expect(zip64Values(() => undefined, [PLACEHOLDER.u32, 4], placeholders)).toEqual([undefined, 4])
  })

  it('does not look for the field when no value is a placeholder', () => {
    const data = vi.fn(() => field)
    expect(zip64Values(data, [1, 2, 3, 0], placeholders)).toEqual([1, 2, 3, 0])
    expect(data).not.toHaveBeenCalled()
  })
})

describe('end-record rules', () => {
  const plainZip = () => Buffer.from(SAMPLE)
  const directoryOf = (zip: Buffer) => {
    const { end, endAt } = endRecord(zip)
    return { entries: 2, size: endAt - end.readUInt32LE(END_RECORD.directoryOffset) }
  }

  it('accept the end record of a plain archive, giving the directory it describes', () => {
    const { end, endAt } = endRecord(plainZip())
    expect(describedDirectory(end, undefined, directoryOf(SAMPLE), endAt)).toEqual({
      entries: 2,
      size: directoryOf(SAMPLE).size,
      offset: endAt - directoryOf(SAMPLE).size,
    })
  })

  it.each([
    ['on disk 1', END_RECORD.disk, 1],
    ['with the directory on disk 1', END_RECORD.directoryDisk, 1],
    ['with fewer entries on this disk than in all', END_RECORD.entriesOnDisk, 1],
    ['counting another number of entries', END_RECORD.entries, 3],
  ])('refuse an end record %s', (_name, field, value) => {
    const zip = plainZip()
    const { end, endAt } = endRecord(zip)
    end.writeUInt16LE(value, field)
    expect(describedDirectory(end, undefined, directoryOf(SAMPLE), endAt)).toBeUndefined()
  })

  it.each([
    ['a directory size', END_RECORD.directorySize],
    ['a directory offset', END_RECORD.directoryOffset],
  ])('refuse an end record giving %s one byte off', (_name, field) => {
    const zip = plainZip()
    const { end, endAt } = endRecord(zip)
    end.writeUInt32LE(end.readUInt32LE(field) + 1, field)
    expect(describedDirectory(end, undefined, directoryOf(SAMPLE), endAt)).toBeUndefined()
  })

  function zip64Records() {
    const zip = buildExportArchive({ zip64: true, files: 1 })
    const { end, endAt } = endRecord(zip)
    const locatorAt = endAt - ZIP64_LOCATOR.fixedBytes
    const locator = zip.subarray(locatorAt, endAt)
    const recordAt = Number(locator.readBigUInt64LE(ZIP64_LOCATOR.recordOffset))
    const record = zip.subarray(recordAt, locatorAt)
    const directory = {
      entries: Number(record.readBigUInt64LE(ZIP64_END_RECORD.entries)),
      size: Number(record.readBigUInt64LE(ZIP64_END_RECORD.directorySize)),
    }
    return { end, record, recordAt, locator, locatorAt, directory }
  }

  it('accept the ZIP64 records of a ZIP64 archive, with placeholders or the same values in the end record', () => {
    const { end, record, recordAt, locator, locatorAt, directory } = zip64Records()
    expect(zip64RecordIsPlain(record, recordAt, locatorAt)).toBe(true)
    expect(locatorIsPlain(locator, recordAt)).toBe(true)
    expect(describedDirectory(end, record, directory, recordAt)).toMatchObject(directory)
    end.writeUInt16LE(directory.entries, END_RECORD.entries)
    end.writeUInt16LE(directory.entries, END_RECORD.entriesOnDisk)
    expect(describedDirectory(end, record, directory, recordAt)).toMatchObject(directory)
    end.writeUInt16LE(directory.entries + 1, END_RECORD.entries)
    end.writeUInt16LE(directory.entries + 1, END_RECORD.entriesOnDisk)
    expect(describedDirectory(end, record, directory, recordAt)).toBeUndefined()
  })

  it('refuse a ZIP64 end record that does not end at the locator, or spans disks', () => {
    const { record, recordAt, locatorAt } = zip64Records()
    expect(zip64RecordIsPlain(record, recordAt, locatorAt + 1)).toBe(false)
    record.writeUInt32LE(1, ZIP64_END_RECORD.directoryDisk)
    expect(zip64RecordIsPlain(record, recordAt, locatorAt)).toBe(false)
  })

  it('refuse a locator that points elsewhere or counts two disks', () => {
    const { locator, recordAt } = zip64Records()
    expect(locatorIsPlain(locator, recordAt + 1)).toBe(false)
    locator.writeUInt32LE(2, ZIP64_LOCATOR.disks)
    expect(locatorIsPlain(locator, recordAt)).toBe(false)
  })
})

describe('features and the small-entry path', () => {
  it('stored and deflated are the only methods; the version is the lower byte', () => {
    expect([0, 1, 8, 9, 12, 14, 93].filter(isAllowedMethod)).toEqual([0, 8])
    expect(methodProblem(8)).toBeUndefined()
    expect(methodProblem(12)).toBe('uses compression method 12; exports use only stored or deflated entries.')
    expect(versionNeeded(0x032d)).toBe(45)
  })

  it('a small entry is taken whole and held to its size', () => {
    const text = Buffer.from('hello '.repeat(100))
    expect(isSmallEntry(1024 * 1024, 1024 * 1024)).toBe(true)
    expect(isSmallEntry(10, 1024 * 1024 + 1)).toBe(false)
    expect(smallEntryData(deflateRawSync(text), 8, text.length).equals(text)).toBe(true)
    expect(smallEntryData(text, 0, text.length)).toBe(text)
    expect(() => smallEntryData(text, 0, text.length + 1)).toThrow(/inflates to 600 bytes, not the 601/)
    expect(() => smallEntryData(text, 12, text.length)).toThrow(/compression method 12/)
  })
})

describe('one rulebook for both readers', () => {
  afterEach(() => {
    vi.doUnmock('../src/archive/zip/features.ts')
    vi.resetModules()
  })

  it('a stricter newest version in zip/features.ts makes both the scan and the disk refuse ZIP 2.0', async () => {
    vi.resetModules()
    vi.doMock('../src/archive/zip/features.ts', async (original) => ({
      ...(await original<typeof import('../src/archive/zip/features.ts')>()),
      NEWEST_VERSION_NEEDED: 10,
    }))
    const { validateArchive } = await import('../src/archive/validate.ts')
    const { scanBytes: scanWithMock } = await import('../test-support/scan-harness.ts')
    const zip = buildExportArchive()
    const file = join(dir, 'version.zip')
    writeFileSync(file, zip)
    expect(await scanWithMock(zip)).toEqual({ deferred: 'it has entries that need a newer ZIP version' })
    await expect(validateArchive(file, { strict: false, deadline: new Deadline(fakeClock(), 60_000) })).rejects.toThrow(
      /needs ZIP version 2 features/,
    )
    // Unmocked, the same archive passes both.
    expect(await scanBytes(zip)).toHaveProperty('report')
  })
})
