import { randomBytes } from 'node:crypto'
import { readdir, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/*
 * A download is written to `.<zip name>.<8 hex>.part` beside the ZIP and renamed into place once
 * valid. A run the runner killed (SIGKILL after a cancel, a lost runner) leaves that file behind,
 * and it holds participant data: the next run for the same `path` removes it.
 */

const PART = /^\.(.+)\.[0-9a-f]{8}\.part$/

/** A fresh temporary name beside the ZIP. */
export function partPath(zipPath: string): string {
  return join(dirname(zipPath), `.${basename(zipPath)}.${randomBytes(4).toString('hex')}.part`)
}

/**
 * Removes the temporary files of earlier runs beside `zipPath`: those of the same file name, and,
 * where the name is the default `<id>-export-<time>.zip`, those of the same ID's default names.
 * Returns how many were removed.
 */
export async function removeStaleDownloads(zipPath: string, targetId: string): Promise<number> {
  const folder = dirname(zipPath)
  const name = basename(zipPath)
  const defaultName = new RegExp(`^${targetId}-export-\\d{8}-\\d{6}\\.zip$`)
  const sameTarget = (zip: string) => zip === name || (defaultName.test(name) && defaultName.test(zip))
  const names = await readdir(folder).catch(() => [] as string[])
  const stale = names.filter((entry) => {
    const zip = PART.exec(entry)?.[1]
    return zip !== undefined && sameTarget(zip)
  })
  await Promise.all(stale.map((entry) => rm(join(folder, entry), { force: true })))
  return stale.length
}
