// The whole hostile-archive corpus, for the end-to-end test against dist/index.js: names, links
// and file types (hostile-names.ts), and decompression bombs and memory attacks (hostile-bombs.ts).
import { HOSTILE_BOMBS } from './hostile-bombs.ts'
import type { HostileArchive } from './hostile-archive.ts'
import { HOSTILE_NAMES, HOSTILE_WARNINGS } from './hostile-names.ts'

export type { HostileArchive, HostileWarning } from './hostile-archive.ts'

/** What the step must refuse on this machine's system (names other systems cannot create pass here). */
const ALL: HostileArchive[] = [...HOSTILE_NAMES, ...HOSTILE_BOMBS]

export const HOSTILE_ARCHIVES: HostileArchive[] = ALL.filter(
  (hostile) => hostile.platform === undefined || hostile.platform === process.platform,
)

/** What the step must accept, with a warning that names no participant. */
export { HOSTILE_WARNINGS }
