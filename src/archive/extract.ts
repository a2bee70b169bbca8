import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { lstat, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type yauzl from 'yauzl'
import type { Deadline } from '../core/deadline.ts'
import { ActionError } from '../core/errors.ts'
import { trackScratch, untrackScratch } from '../runner/scratch.ts'
import { EntryNames } from './entry-names.ts'
import { extractFailure, targetFailure } from './extract-errors.ts'
import { describeEntry } from './layout.ts'
import { openEntryData, openZip } from './zip/zip-reader.ts'

const DURING = 'extracting the archive'

/**
 * Fails before any request when the folder cannot be used: a symbolic link (whatever it points
 * at, the files would land there), a file, or a folder that already holds something. Removes
 * the staging folders an earlier, killed run left beside it first: they hold participant data.
 */
export async function assertExtractTarget(target: string): Promise<void> {
  await removeStaleStaging(target)
  const stats = await lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw targetFailure(error, target)
  })
  if (!stats) return
  if (stats.isSymbolicLink()) {
    throw new ActionError(
      `'extract-path' ${target} is a symbolic link. The action unpacks only into a real folder, so that nothing ` +
        "lands wherever the link points: give the folder's own path, or a path that does not exist yet.",
    )
  }
  if (!stats.isDirectory()) {
    throw new ActionError(`'extract-path' ${target} is a file, not a folder: choose another path or remove the file.`)
  }
  const existing = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    throw targetFailure(error, target)
  })
  if (existing.length > 0) {
    throw new ActionError(
      `'extract-path' ${target} already exists and is not empty: choose another folder or remove it first.`,
    )
  }
}

/** `<target>.partial-<8 hex>`: the staging folder extractArchive makes, and nothing else. */
const STAGING = /^\.partial-[0-9a-f]{8}$/

/** Removes the staging folders (real folders, not links) a killed run left beside the same target. */
async function removeStaleStaging(target: string): Promise<void> {
  const parent = dirname(target)
  const prefix = basename(target)
  const names = await readdir(parent).catch(() => [])
  for (const name of names) {
    if (!name.startsWith(prefix) || !STAGING.test(name.slice(prefix.length))) continue
    const stale = join(parent, name)
    const stats = await lstat(stale).catch(() => undefined)
    if (stats?.isDirectory()) await rm(stale, { recursive: true, force: true }).catch(() => undefined)
  }
}

/**
 * Unpacks an archive that validateArchive() accepted. Entries go into a staging folder beside
 * the target, which is renamed into place only when every entry is written, so a failure, the
 * timeout or a cancel leaves no half-extracted folder. Names are checked again (as with
 * `extract`) and every path is confined to the staging folder; files are created exclusively,
 * never overwriting anything.
 */
export async function extractArchive(
  zipPath: string,
  target: string,
  deadline: Deadline,
  platform: NodeJS.Platform = process.platform,
): Promise<number> {
  await assertExtractTarget(target)
  const staging = `${target}.partial-${randomBytes(4).toString('hex')}`
  try {
    await mkdir(dirname(target), { recursive: true })
    await mkdir(staging, { mode: 0o700 })
  } catch (error) {
    throw targetFailure(error, target)
  }
  trackScratch(staging)
  const names = new EntryNames(true, platform)
  let zip: yauzl.ZipFile | undefined
  let written = 0
  let where = 'the archive'
  try {
    zip = await openZip(zipPath)
    let index = 0
    for await (const entry of zip.eachEntry()) {
      if (deadline.signal.aborted) throw deadline.expired(DURING)
      const { name, isDirectory } = names.entry(entry, index)
      where = describeEntry(name, index++)
      const destination = resolve(staging, name)
      if (!destination.startsWith(staging + sep)) throw new ActionError(`Refusing to write outside ${target}.`)
      if (isDirectory) {
        await mkdir(destination, { recursive: true })
        continue
      }
      await mkdir(dirname(destination), { recursive: true })
      const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true })
      const data = await openEntryData(zip, entry, fileDataStart)
      const file = createWriteStream(destination, { flags: 'wx', mode: 0o600 })
      await pipeline(data, file, { signal: deadline.signal })
      written += 1
    }
    zip.close()
    await rmdir(target).catch(() => undefined) // an empty folder that was already there
    where = 'the archive'
    await rename(staging, target)
    return written
  } catch (error) {
    zip?.close()
    await rm(staging, { recursive: true, force: true })
    if (deadline.signal.aborted) throw deadline.expired(DURING)
    throw extractFailure(error, where, target)
  } finally {
    untrackScratch(staging)
  }
}
