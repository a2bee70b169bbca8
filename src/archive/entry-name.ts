import { isUtf8 } from 'node:buffer'
import yauzl from 'yauzl'
import { ArchiveError } from '../core/errors.ts'
import { describeEntry } from './layout.ts'
import { EXTRA_FIELD, FLAG } from './zip/records.ts'

export interface SafeEntry {
  /** Name with forward slashes, relative, without `..`, `.`, empty parts or a drive letter. */
  name: string
  isDirectory: boolean
}

/** The parts of a header that make a name: what every reader starts from. */
export interface RawName {
  bytes: Buffer
  flags: number
  extraFields: readonly yauzl.ExtraField[]
}

const UTF8_FLAG = FLAG.utf8Names
const UNICODE_PATH_FIELD = EXTRA_FIELD.unicodePath
/** The longest file or folder name ext4, APFS, NTFS and most others store (255 bytes or UTF-16 units). */
export const MAX_NAME_PART_BYTES = 255

const S_IFMT = 0o170000
const S_IFDIR = 0o040000
const S_IFREG = 0o100000
const S_IFLNK = 0o120000
const DOS_DIRECTORY = 0x10

/**
 * The name's bytes checked before they are decoded, then the decoded name: what yauzl, Info-ZIP
 * and Python would each make of it is the same text, or the entry is refused. Names are
 * decoded here, not by yauzl (decodeStrings: false), so a refusal can say which entry without
 * echoing a name that may hold participant data.
 */
export function decodeName(raw: RawName, index: number): SafeEntry {
  // One byte a character: the bytes as they are, and the name itself when it is ASCII.
  const bytes = raw.bytes.toString('latin1')
  const refuse = (problem: string) => unsafe(describeEntry(bytes, index), problem)
  const ascii = !NON_ASCII.test(bytes)
  if (BYTE_CONTROL.test(bytes)) refuse('has control characters in its name')
  // Without the flag, yauzl reads CP437, Info-ZIP the local code page, others UTF-8.
  if (!ascii && !(raw.flags & UTF8_FLAG))
    refuse('has a non-ASCII name without the UTF-8 flag, which tools read differently')
  if (!ascii && !isUtf8(raw.bytes)) refuse('has a name that is not valid UTF-8')
  for (const field of raw.extraFields) {
    if (field.id !== UNICODE_PATH_FIELD) continue
    // Readers that honour this field (yauzl, Info-ZIP) take its name instead of the header's.
    const second = field.data.subarray(5)
    if (CONTROL.test(second.toString('utf8'))) refuse('has control characters in its Unicode Path field')
    if (field.data.length < 5 || !second.equals(raw.bytes))
      refuse('has a second name, in a Unicode Path field, that differs from its name')
  }
  const name = ascii ? bytes : raw.bytes.toString('utf8')
  if (!ascii && CONTROL.test(name)) refuse('has control characters in its name')
  const problem = nameProblem(name)
  if (problem) refuse(problem)
  return { name, isDirectory: name.endsWith('/') }
}

/** C0, DEL, C1 and the Unicode line breaks: anything that moves or hides text where a name is shown. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
/** The control bytes of any encoding, looked for in the bytes read one a character (latin1). */
// eslint-disable-next-line no-control-regex
const BYTE_CONTROL = /[\u0000-\u001f\u007f]/
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/

/** Why a decoded name cannot be written below a folder as it is, on any file system. */
export function nameProblem(name: string): string | undefined {
  if (name === '') return 'has an empty name'
  if (name.includes('\\')) return 'has a backslash in its name (a Windows path)'
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'has an absolute path'
  let climbs = false
  let empty = false
  let dot = false
  let long = false
  const end = name.endsWith('/') ? name.length - 1 : name.length
  for (let start = 0; start <= end;) {
    const slash = name.indexOf('/', start)
    const stop = slash === -1 || slash > end ? end : slash
    const length = stop - start
    if (length === 0) empty = true
    else if (length <= 2 && name.charCodeAt(start) === DOT) {
      if (length === 1) dot = true
      else if (name.charCodeAt(start + 1) === DOT) climbs = true
    }
    // A UTF-16 unit is at most 3 bytes of UTF-8: only long parts need counting.
    if (length > MAX_NAME_PART_BYTES / 3 && Buffer.byteLength(name.slice(start, stop)) > MAX_NAME_PART_BYTES)
      long = true
    start = stop + 1
  }
  if (climbs) return 'has a path that climbs out of the archive (..)'
  if (empty) return 'has an empty folder name (//) in its path'
  if (dot) return "has a '.' folder in its path"
  if (long) return `has a file or folder name longer than ${MAX_NAME_PART_BYTES} bytes, which file systems cannot store`
  return undefined
}

const DOT = 0x2e

/**
 * Why the file type in the external attributes makes the entry something other than what its
 * name says. The Unix mode in the high 16 bits is honoured by Info-ZIP for "made by" Unix and
 * also VMS, Atari, BeOS, AtheOS and others, so it is checked whatever "made by" says.
 */
export function typeProblem(externalAttributes: number, isDirectory: boolean): string | undefined {
  const type = (externalAttributes >>> 16) & S_IFMT
  if (type === S_IFLNK) return 'is a symbolic link'
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) return 'is a special file (a device, pipe or socket)'
  if (!isDirectory && (type === S_IFDIR || externalAttributes & DOS_DIRECTORY))
    return 'is named as a file but marked as a folder'
  if (isDirectory && type === S_IFREG) return 'is named as a folder but marked as a file'
  return undefined
}

/** Every check that needs only the central directory record of one entry. */
export function safeEntry(entry: yauzl.Entry, index: number): SafeEntry {
  const raw = { bytes: entry.fileNameRaw, flags: entry.generalPurposeBitFlag, extraFields: entry.extraFields }
  const safe = decodeName(raw, index)
  const problem = typeProblem(entry.externalFileAttributes, safe.isDirectory)
  if (problem) unsafe(describeEntry(safe.name, index), problem)
  if (entry.isEncrypted()) {
    throw new ArchiveError(
      `The archive has an encrypted entry, ${describeEntry(safe.name, index)}; exports are never encrypted.`,
    )
  }
  return safe
}

/** A local header's extra fields may name the entry again; Info-ZIP reads them there too. */
export function checkLocalNameFields(localExtra: Buffer, entry: yauzl.Entry, index: number): void {
  const extraFields = yauzl.parseExtraFields(localExtra)
  decodeName({ bytes: entry.fileNameRaw, flags: entry.generalPurposeBitFlag, extraFields }, index)
}

export function unsafe(where: string, problem: string): never {
  throw new ArchiveError(
    `The archive is unsafe: ${where} ${problem}. Nothing was extracted; ` +
      'do not open this archive with other tools. Request a new export, and tell Prolific support if it happens again.',
  )
}
