/**
 * Names that Linux stores as they are but Windows or macOS cannot: refused when the action
 * unpacks the archive on a runner of such a system (see entry-names.ts), counted in one warning
 * otherwise, so that a Linux runner keeps every upload and the user still learns of the names.
 */
export type PortabilityKind = 'collision' | 'reserved' | 'trailing' | 'characters'

export const KINDS: readonly PortabilityKind[] = ['collision', 'reserved', 'trailing', 'characters']

/** What each kind is, as a clause after "N name(s)", and as a clause after an entry. */
export const KIND_TEXT: Readonly<Record<PortabilityKind, { counted: string; entry: string }>> = {
  collision: {
    counted:
      'differ from another only in letter case or Unicode normalisation (one overwrites the other on macOS and Windows)',
    entry:
      'has a name that differs from another entry’s only in letter case or Unicode normalisation, so one would overwrite the other on macOS and Windows',
  },
  reserved: {
    counted: 'use a name Windows reserves for devices (CON, PRN, AUX, NUL, COM1-9, LPT1-9)',
    entry: 'has a file or folder name that Windows reserves for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9)',
  },
  trailing: {
    counted: 'end a file or folder name with a dot or a space (Windows drops it)',
    entry: 'has a file or folder name ending in a dot or a space, which Windows drops',
  },
  characters: {
    counted: 'hold a character Windows forbids in names (< > : " | ? *)',
    entry: 'has a character in its name that Windows forbids (< > : " | ? *)',
  },
}

// Windows maps these to devices with any extension and in any case; COM0/LPT0 and the
// superscript digits are reserved too.
const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$) *(?:\..*)?$/i
const FORBIDDEN = /[<>:"|?*]/

/** Why one file or folder name (no '/') cannot be created as it is on Windows. */
export function partProblem(part: string): PortabilityKind | undefined {
  if (RESERVED.test(part)) return 'reserved'
  if (part.endsWith('.') || part.endsWith(' ')) return 'trailing'
  if (FORBIDDEN.test(part)) return 'characters'
  return undefined
}

/**
 * The name as a case-insensitive, normalisation-insensitive file system (APFS, NTFS) compares
 * it, part by part so that its '/' stay where they were. It catches the clashes those systems
 * agree on; a few letters (final sigma, dotted I) fold differently from one system to another.
 */
export function foldName(name: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(name)) return name.toLowerCase()
  return name
    .split('/')
    .map((part) => part.normalize('NFD').toLowerCase().normalize('NFC'))
    .join('/')
}
