import { ActionError, ArchiveError, messageOf } from '../core/errors.ts'

/**
 * What a file system error while unpacking means, and what to do. Node's own message is never
 * used: it holds the full path, and below the target that is a participant's file name.
 */
const CAUSES: Readonly<Record<string, { cause: string; fix: string }>> = {
  EEXIST: {
    cause: 'its name clashes with another entry’s on this file system (it may ignore letter case or normalisation)',
    fix: "set 'extract: false' to keep only the ZIP, and unpack it with a tool that renames clashing files",
  },
  ENAMETOOLONG: {
    cause: 'its path is longer than this file system allows',
    fix: "choose a shorter 'extract-path', or set 'extract: false' to keep only the ZIP",
  },
  EACCES: {
    cause: 'permission was denied',
    fix: "choose an 'extract-path' the job can write to",
  },
  EROFS: {
    cause: 'the file system is read-only',
    fix: "choose an 'extract-path' on a writable disk",
  },
  ENOSPC: {
    cause: 'the disk is full',
    fix: "free space on the runner (the ZIP needs room too), or set 'extract: false'",
  },
  EMFILE: {
    cause: 'the process has too many files open',
    fix: 'run the workflow again',
  },
  EILSEQ: {
    cause: 'this file system cannot store a character of its name',
    fix: "set 'extract: false' to keep only the ZIP, and unpack it with a tool that renames such files",
  },
}
const ALIASES: Readonly<Record<string, string>> = {
  ENOTDIR: 'EEXIST',
  EISDIR: 'EEXIST',
  EPERM: 'EACCES',
  EDQUOT: 'ENOSPC',
  ENFILE: 'EMFILE',
}

function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined
}

/** An error while writing `where` (an entry by number, or 'the archive') below `target`. */
export function extractFailure(error: unknown, where: string, target: string): Error {
  if (error instanceof ActionError) return error
  const code = errorCode(error)
  if (code === undefined) {
    // yauzl's checks of the data (sizes as declared): its messages hold numbers, never names.
    return new ArchiveError(
      `The archive is damaged at ${where} (${messageOf(error)}); nothing was extracted. Request a new export.`,
    )
  }
  const known = CAUSES[ALIASES[code] ?? code]
  const { cause, fix } = known ?? {
    cause: `the file system refused it (${code})`,
    fix: "choose another 'extract-path'",
  }
  return new ActionError(
    `Could not extract ${where} into ${target}: ${cause}. Nothing was extracted (the partial folder was removed); ${fix}.`,
  )
}

/** An error on the target itself or beside it, where every path is the user's own input. */
export function targetFailure(error: unknown, target: string): Error {
  if (error instanceof ActionError) return error
  const code = errorCode(error)
  const cause =
    code === 'ENOTDIR'
      ? 'a part of the path is a file, not a folder'
      : code === undefined
        ? messageOf(error)
        : (CAUSES[ALIASES[code] ?? code]?.cause ?? `the file system refused it (${code})`)
  return new ActionError(`'extract-path' ${target} cannot be used: ${cause}. Choose another 'extract-path'.`)
}
