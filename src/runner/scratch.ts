import { rmSync } from 'node:fs'

/**
 * Temporary files and folders of this run. Normal failures remove their own in `finally`;
 * this list is for the last-resort handler, so that even a crash leaves nothing half-written.
 */
const paths = new Set<string>()

export function trackScratch(path: string): void {
  paths.add(path)
}

export function untrackScratch(path: string): void {
  paths.delete(path)
}

export function removeScratchSync(): void {
  for (const path of paths) rmSync(path, { recursive: true, force: true })
  paths.clear()
}
