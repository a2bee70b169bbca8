import { randomBytes } from 'node:crypto'
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { ActionError, messageOf } from '../core/errors.ts'
import { neutralise } from '../runner/outside-text.ts'
import { trackScratch, untrackScratch } from '../runner/scratch.ts'
import { TABLE_FILE_NAMES } from './formats.ts'

/** `<target>.partial-<8 hex>` and `<target>.old-<8 hex>`: the folders placeTables makes beside the target. */
const OURS = /^\.(partial|old)-[0-9a-f]{8}$/

/**
 * Writes the tables into a staging folder (0700) beside `target` and renames it into place
 * only once `write` has finished, so a failure, the timeout or a cancel leaves no half-written
 * table. A tables folder an earlier run made at `target` is replaced; anything else there is
 * left alone and refused.
 */
export async function placeTables<T>(target: string, write: (staging: string) => Promise<T>): Promise<T> {
  await removeLeftovers(target)
  const staging = `${target}.partial-${randomBytes(4).toString('hex')}`
  await mkdir(dirname(target), { recursive: true }).catch((error: unknown) => {
    throw writeFailure(target, error)
  })
  await mkdir(staging, { mode: 0o700 }).catch((error: unknown) => {
    throw writeFailure(target, error)
  })
  trackScratch(staging)
  try {
    const written = await write(staging)
    await replace(target, staging)
    return written
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    throw error instanceof ActionError ? error : writeFailure(target, error)
  } finally {
    untrackScratch(staging)
  }
}

async function replace(target: string, staging: string): Promise<void> {
  const existing = await lstat(target).catch(() => undefined)
  if (!existing) return rename(staging, target)
  const names = existing.isDirectory() && !existing.isSymbolicLink() ? await readdir(target) : undefined
  if (!names || names.some((name) => !TABLE_FILE_NAMES.has(name))) {
    throw new ActionError(
      `The tables folder ${target} already exists and holds something other than tables from an earlier run: ` +
        "move it away, or set 'path' so the tables folder beside the ZIP is free.",
    )
  }
  const old = `${target}.old-${randomBytes(4).toString('hex')}`
  await rename(target, old)
  await rename(staging, target)
  await rm(old, { recursive: true, force: true })
}

/** Staging and replaced folders a killed run left beside the same target: they hold participant data. */
async function removeLeftovers(target: string): Promise<void> {
  const prefix = basename(target)
  const parent = dirname(target)
  for (const name of await readdir(parent).catch(() => [])) {
    if (!name.startsWith(prefix) || !OURS.test(name.slice(prefix.length))) continue
    const stale = join(parent, name)
    if ((await lstat(stale).catch(() => undefined))?.isDirectory()) await rm(stale, { recursive: true, force: true })
  }
}

function writeFailure(target: string, error: unknown): ActionError {
  return new ActionError(
    `Could not write the tables into ${target}: ${neutralise(messageOf(error), 200)}. No table was kept (the partial folder was removed); ` +
      'the ZIP is not affected. Free disk space or choose another path.',
  )
}
