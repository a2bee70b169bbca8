import yauzl from 'yauzl'
import { ArchiveError } from '../errors.ts'
import { describeEntry } from './layout.ts'

export interface SafeEntry {
  /** Name with forward slashes, relative, without `..` or a drive letter. */
  name: string
  isDirectory: boolean
}

const S_IFMT = 0o170000
const S_IFLNK = 0o120000
const MADE_BY_UNIX = 3

/**
 * Decodes and checks an entry's name before anything else is done with it. yauzl's own check
 * is off (decodeStrings: false) so that the error can say which entry without echoing a name
 * that may hold participant data.
 */
export function safeEntry(entry: yauzl.Entry, index: number): SafeEntry {
  // strictFileNames: keep backslashes, so a Windows-style path is rejected instead of rewritten.
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true)
  checkName(name, index)
  if (isSymlink(entry.versionMadeBy, entry.externalFileAttributes)) {
    throw new ArchiveError(`The archive is unsafe: ${describeEntry(name, index)} is a symbolic link.`)
  }
  if (entry.isEncrypted()) {
    throw new ArchiveError(
      `The archive has an encrypted entry, ${describeEntry(name, index)}; exports are never encrypted.`,
    )
  }
  return { name, isDirectory: name.endsWith('/') }
}

/** Whether a central directory record marks its entry as a Unix symbolic link. */
export function isSymlink(versionMadeBy: number, externalAttributes: number): boolean {
  return versionMadeBy >>> 8 === MADE_BY_UNIX && ((externalAttributes >>> 16) & S_IFMT) === S_IFLNK
}

/** Throws unless the decoded name is safe to write below a folder. */
export function checkName(name: string, index: number): void {
  const problem = nameProblem(name)
  if (problem) {
    throw new ArchiveError(
      `The archive is unsafe: ${describeEntry(name, index)} ${problem}. Nothing was extracted; ` +
        'do not open this archive with other tools. Request a new export, and tell Prolific support if it happens again.',
    )
  }
}

function nameProblem(name: string): string | undefined {
  if (name === '') return 'has an empty name'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'has control characters in its name'
  if (name.includes('\\')) return 'has a backslash in its name (a Windows path)'
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'has an absolute path'
  if (name.split('/').includes('..')) return 'has a path that climbs out of the archive (..)'
  return undefined
}
