// The ZIP records an export is made of, as APPNOTE.TXT 6.3.10 lays them out: each field at its
// offset from the record's first byte (its signature), little-endian, named as the section
// names it. Stated here once; the scan during the download and the validation from disk both
// read through these names.

/** 4.3.7, 4.3.12, 4.3.14, 4.3.15, 4.3.16: the four bytes each record begins with. */
export const SIGNATURE = {
  localHeader: 0x04034b50,
  centralHeader: 0x02014b50,
  zip64EndRecord: 0x06064b50,
  zip64Locator: 0x07064b50,
  endRecord: 0x06054b50,
} as const

/** 4.3.7 Local file header; the name and the extra field follow the fixed part. */
export const LOCAL_HEADER = {
  signature: 0,
  versionNeeded: 4,
  flags: 6,
  method: 8,
  modifiedTime: 10,
  modifiedDate: 12,
  crc: 14,
  compressedSize: 18,
  uncompressedSize: 22,
  nameLength: 26,
  extraLength: 28,
  fixedBytes: 30,
} as const

/** 4.3.12 Central directory file header; the name, extra field and comment follow the fixed part. */
export const CENTRAL_HEADER = {
  signature: 0,
  versionMadeBy: 4,
  versionNeeded: 6,
  flags: 8,
  method: 10,
  modifiedTime: 12,
  modifiedDate: 14,
  crc: 16,
  compressedSize: 20,
  uncompressedSize: 24,
  nameLength: 28,
  extraLength: 30,
  commentLength: 32,
  diskNumberStart: 34,
  internalAttributes: 36,
  externalAttributes: 38,
  localHeaderOffset: 42,
  fixedBytes: 46,
} as const

/** 4.3.14 ZIP64 end of central directory record; `recordSize` counts the bytes after itself. */
export const ZIP64_END_RECORD = {
  signature: 0,
  recordSize: 4,
  versionMadeBy: 12,
  versionNeeded: 14,
  disk: 16,
  directoryDisk: 20,
  entriesOnDisk: 24,
  entries: 32,
  directorySize: 40,
  directoryOffset: 48,
  fixedBytes: 56,
} as const

/** 4.3.15 ZIP64 end of central directory locator, just before the end record. */
export const ZIP64_LOCATOR = {
  signature: 0,
  recordDisk: 4,
  recordOffset: 8,
  disks: 16,
  fixedBytes: 20,
} as const

/** 4.3.16 End of central directory record; the comment follows the fixed part and ends the file. */
export const END_RECORD = {
  signature: 0,
  disk: 4,
  directoryDisk: 6,
  entriesOnDisk: 8,
  entries: 10,
  directorySize: 12,
  directoryOffset: 16,
  commentLength: 20,
  fixedBytes: 22,
} as const

/** 4.4.4 General purpose bit flag. */
export const FLAG = {
  encrypted: 0x01,
  /** Sizes and CRC-32 come after the data, and are zero in the local header. */
  dataDescriptor: 0x08,
  strongEncryption: 0x40,
  /** 4.4.4 bit 11: the name is UTF-8 (else CP437). */
  utf8Names: 0x800,
} as const

/** 4.4.1.4: a field too small for its value holds all ones, and the ZIP64 record or field holds the value. */
export const PLACEHOLDER = { u16: 0xffff, u32: 0xffffffff } as const

/** 4.5.2 and 4.6: the header IDs of the extra fields the checks read. */
export const EXTRA_FIELD = {
  /** 4.5.3 ZIP64 extended information. */
  zip64: 0x0001,
  /** 4.6.9 Info-ZIP Unicode Path: the name again, in UTF-8. */
  unicodePath: 0x7075,
} as const
