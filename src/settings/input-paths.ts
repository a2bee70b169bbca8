import { existsSync, statSync } from 'node:fs'
import { basename, join, resolve, sep } from 'node:path'
import { InputError } from '../core/errors.ts'

/*
 * Where the ZIP, the extracted folder and the artifact's file go, checked before any request:
 * a name the file system or the artifact service would refuse fails here, not after the export
 * job was created and the archive downloaded.
 */

/** Most file systems allow 255 bytes a name. */
const MAX_NAME_BYTES = 255
/** `.<name>.<8 hex>.part`, the download's temporary file beside the ZIP. */
const PART_SUFFIX_BYTES = '.'.length + '.12345678.part'.length
/** `<folder>.partial-<8 hex>`, extraction's staging folder beside the target. */
const STAGING_SUFFIX_BYTES = '.partial-12345678'.length
/** `<name>.age` in the upload's private folder. */
const MAX_ARTIFACT_NAME_BYTES = MAX_NAME_BYTES - '.age'.length

export function isFolderInput(raw: string, target: string): boolean {
  return raw.trim() === '' || raw.endsWith('/') || raw.endsWith(sep) || isDirectory(target)
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}

function timestamp(now: Date): string {
  const iso = now.toISOString() // 2026-11-22T17:33:17.000Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`
}

/** The ZIP's absolute path: `path` as given, or the default name in it (or in the working directory). */
export function resolveZipPath(raw: string, targetId: string, now: Date, cwd: string): string {
  const name = `${targetId}-export-${timestamp(now)}.zip`
  const target = resolve(cwd, raw)
  const zipPath = raw.trim() === '' ? join(cwd, name) : isFolderInput(raw, target) ? join(target, name) : target
  checkFits('path', zipPath, PART_SUFFIX_BYTES)
  return zipPath
}

/** The folder to unpack into: `extract-path` as given, or the ZIP path without `.zip`. */
export function resolveExtractPath(raw: string, zipPath: string, cwd: string): string {
  const target =
    raw.trim() !== ''
      ? resolve(cwd, raw)
      : zipPath.toLowerCase().endsWith('.zip')
        ? zipPath.slice(0, -4)
        : `${zipPath}-extracted`
  checkFits('extract-path', target, STAGING_SUFFIX_BYTES)
  return target
}

/** Every folder name fits, and so does the last name with the suffix of its temporary sibling. */
function checkFits(input: string, path: string, suffixBytes: number): void {
  const names = path.split(sep).filter(Boolean)
  const last = names.at(-1) ?? ''
  const tooLong = names.some((name) => Buffer.byteLength(name) > MAX_NAME_BYTES)
  if (tooLong || Buffer.byteLength(last) + suffixBytes > MAX_NAME_BYTES) {
    throw new InputError(
      `Input '${input}' leads to a file name longer than the ${MAX_NAME_BYTES - suffixBytes} bytes this action can ` +
        'use there (most file systems allow 255, and a temporary name beside it needs the rest): choose a shorter path.',
    )
  }
}

// The artifact service's own rules; checked here so a bad name fails before any request.
const FORBIDDEN_IN_ARTIFACT_NAME = /["':<>|*?\r\n\\/]/

export function artifactName(name: string): string {
  if (FORBIDDEN_IN_ARTIFACT_NAME.test(name)) {
    throw new InputError(
      `Input 'artifact-name' is ${JSON.stringify(name)}: expected a name without " : < > | * ? \\ / or line breaks.`,
    )
  }
  if (name === '.' || name === '..') {
    throw new InputError(`Input 'artifact-name' is "${name}", which names a folder, not a file: choose a name.`)
  }
  if (Buffer.byteLength(name) > MAX_ARTIFACT_NAME_BYTES) {
    throw new InputError(
      `The artifact name (from 'artifact-name', or else the ZIP's file name) is longer than ${MAX_ARTIFACT_NAME_BYTES} ` +
        "bytes: set a shorter 'artifact-name' or 'path'.",
    )
  }
  return name
}

/** The default extract folder's name, for several exports under one `extract-path`. */
export function defaultExtractName(zipPath: string, cwd: string): string {
  return basename(resolveExtractPath('', zipPath, cwd))
}
