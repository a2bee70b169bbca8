import { createWriteStream } from 'node:fs'
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises'
import { dirname, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { randomBytes } from 'node:crypto'
import { ActionError } from '../errors.ts'
import { trackScratch, untrackScratch } from '../scratch.ts'
import { safeEntry } from './entry-name.ts'
import { openEntryData, openZip } from './zip-reader.ts'

/** Fails before any request when the folder already holds something we would clobber. */
export async function assertExtractTarget(target: string): Promise<void> {
  const existing = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    if (error.code === 'ENOTDIR') throw new ActionError(`'extract-path' ${target} is a file, not a folder.`)
    throw error
  })
  if (existing.length > 0) {
    throw new ActionError(
      `'extract-path' ${target} already exists and is not empty: choose another folder or remove it first.`,
    )
  }
}

/**
 * Unpacks an archive that validateArchive() accepted. Entries go into a staging folder beside
 * the target, which is renamed into place only when every entry is written, so a failure
 * leaves no half-extracted folder. Names are checked again and every path is confined to
 * the staging folder; files are created exclusively, never overwriting anything.
 */
export async function extractArchive(zipPath: string, target: string): Promise<number> {
  await assertExtractTarget(target)
  const staging = `${target}.partial-${randomBytes(4).toString('hex')}`
  await mkdir(dirname(target), { recursive: true })
  await mkdir(staging, { mode: 0o700 })
  trackScratch(staging)
  const zip = await openZip(zipPath)
  let written = 0
  try {
    let index = 0
    for await (const entry of zip.eachEntry()) {
      const { name, isDirectory } = safeEntry(entry, index++)
      const destination = resolve(staging, name)
      if (!destination.startsWith(staging + sep)) throw new ActionError(`Refusing to write outside ${target}.`)
      if (isDirectory) {
        await mkdir(destination, { recursive: true })
        continue
      }
      await mkdir(dirname(destination), { recursive: true })
      const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true })
      const data = await openEntryData(zip, entry, fileDataStart)
      await pipeline(data, createWriteStream(destination, { flags: 'wx', mode: 0o600 }))
      written += 1
    }
    zip.close()
    await rmdir(target).catch(() => undefined) // an empty folder that was already there
    await rename(staging, target)
    return written
  } catch (error) {
    zip.close()
    await rm(staging, { recursive: true, force: true })
    throw error
  } finally {
    untrackScratch(staging)
  }
}
