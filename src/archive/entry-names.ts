import type yauzl from 'yauzl'
import { ArchiveError } from '../core/errors.ts'
import type { ContentCounts } from './contents.ts'
import { decodeName, type RawName, type SafeEntry, safeEntry, unsafe } from './entry-name.ts'
import { describeEntry } from './layout.ts'
import { HashSet64, PathHashes } from './path-hash.ts'
import { foldName, KIND_TEXT, KINDS, partProblem, type PortabilityKind } from './portable-name.ts'

/** An export has a handful of folders; the cap bounds what names of many folders can cost (16-32 bytes each). */
export const MAX_FOLDERS = 1_000_000

/**
 * The rules that need every name of the archive: no name twice, no name that is both a file
 * and a folder, and no names that Windows or macOS cannot create as they are (refused with
 * `extract` where the runner is such a system, counted in one warning otherwise). Only 64-bit hashes are kept, about two per entry (16-32 bytes
 * each), whatever the names' length; a folder is hashed once, however many entries it holds.
 */
/**
 * What each system cannot create faithfully. Linux stores any name this module lets through;
 * APFS (the macOS default) folds letter case and Unicode normalisation; Windows adds its
 * reserved names, trailing dots and spaces, and forbidden characters.
 */
const CANNOT_CREATE: Partial<Record<NodeJS.Platform, ReadonlySet<PortabilityKind>>> = {
  darwin: new Set(['collision']),
  win32: new Set(KINDS),
}

export class EntryNames {
  private readonly extract: boolean
  private readonly platform: NodeJS.Platform
  /** Every entry's name, a folder entry's with its '/': a hash of a path found here is a file's. */
  private readonly entries = new HashSet64()
  /** Every folder a name lies in, whether the archive lists it as an entry or not. */
  private readonly folders = new HashSet64()
  /** Every file's and folder's path as foldName() makes it. */
  private readonly foldedSeen = new HashSet64()
  private readonly exact = new PathHashes()
  private readonly folded = new PathHashes()
  private readonly counts = new Map<PortabilityKind, number>()
  private unportable = 0

  /** `platform`: the runner's, where `extract` unpacks the archive. */
  constructor(extract: boolean, platform: NodeJS.Platform = process.platform) {
    this.extract = extract
    this.platform = platform
  }

  /** Checks an entry of the central directory, and what it holds with the names seen before it. */
  entry(entry: yauzl.Entry, index: number): SafeEntry {
    const safe = safeEntry(entry, index)
    this.record(safe, index)
    return safe
  }

  /** Checks a name from a local header (the scan, which sees the attributes later). */
  name(raw: RawName, index: number): SafeEntry {
    const safe = decodeName(raw, index)
    this.record(safe, index)
    return safe
  }

  /** The counts, with one warning (a count per kind, never a name) for the names other systems cannot create. */
  finish<Counts extends ContentCounts>(counts: Counts): Counts {
    if (this.unportable === 0) return counts
    const kinds = KINDS.filter((kind) => this.counts.has(kind)).map(
      (kind) => `${this.counts.get(kind)} ${KIND_TEXT[kind].counted}`,
    )
    const warning =
      `${this.unportable} name(s) in the archive cannot be created as they are on Windows or macOS: ` +
      `${kinds.join('; ')}. The ZIP keeps them unchanged; with 'extract: true' the action refuses such an archive.`
    return { ...counts, warnings: [...counts.warnings, warning] }
  }

  private record({ name, isDirectory }: SafeEntry, index: number): void {
    const where = () => describeEntry(name, index)
    const exact = this.exact.of(name)
    // Pairs 0 to whole-1 are the folders the name lies in (a folder entry's own path the last of them).
    const whole = exact.count - 1
    if (!this.entries.add(exact, whole)) {
      throw new ArchiveError(`The archive lists ${where()} twice; an export never does.`)
    }
    for (let i = 0; i < whole; i++) if (this.entries.has(exact, i)) this.fileAndFolder(where())
    if (!isDirectory && this.folders.has(exact, whole)) this.fileAndFolder(where())
    // From the deepest folder up; above a folder already known, all are known.
    let known = whole
    while (known > 0 && this.folders.add(exact, known - 1)) known--
    if (this.folders.size > MAX_FOLDERS) {
      throw new ArchiveError(
        `The archive has more than ${MAX_FOLDERS.toLocaleString('en-US')} folders; an export has a few. Request a new export.`,
      )
    }
    if (isDirectory && known === whole) return
    this.checkPortable(name, known, isDirectory ? whole : whole + 1, where)
  }

  /** Checks the paths new with this entry: pairs `first` to `end`-1, its new folders and the file itself. */
  private checkPortable(name: string, first: number, end: number, where: () => string): void {
    const { ends } = this.exact
    const folded = this.folded.of(foldName(name))
    const found = new Set<PortabilityKind>()
    for (let i = first; i < end; i++) {
      const kind = partProblem(name.slice(i === 0 ? 0 : (ends[i - 1] as number) + 1, ends[i]))
      if (kind) found.add(kind)
      if (!this.foldedSeen.add(folded, i)) found.add('collision')
    }
    if (found.size === 0) return
    const refused = this.extract ? [...found].find((kind) => CANNOT_CREATE[this.platform]?.has(kind)) : undefined
    if (refused) {
      throw new ArchiveError(
        `The archive cannot be unpacked as it is on this runner (${this.platform}): ${where()} ${KIND_TEXT[refused].entry}. ` +
          "The ZIP itself is valid: set 'extract: false' to keep only the ZIP (such names are then counted in a " +
          'warning), and unpack it with a tool that renames them, or on a Linux runner.',
      )
    }
    this.unportable += 1
    for (const kind of found) this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1)
  }

  private fileAndFolder(where: string): never {
    return unsafe(where, 'is both a file and a folder: its name, or a folder in its path, is another entry’s too')
  }
}
