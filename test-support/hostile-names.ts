// Hostile entry names, links and file types: whole export archives that validation must refuse
// (or, for the last list, accept with a warning) without ever showing the participant-looking
// name they carry. Shared by the module tests and the end-to-end test on dist/index.js.
import { crc32 } from 'node:zlib'
import { buildExportArchive, submissionIds } from './export-archive.ts'
import type { HostileArchive, HostileWarning } from './hostile-archive.ts'
import type { ZipEntrySpec } from './zip-builder.ts'

const [SUB = ''] = submissionIds(1)
const PERSON = 'Jane-Doe-passport-scan'
const UPLOAD = `files/${SUB}_${PERSON}.png`
const WHOSE = [PERSON, SUB]

const S_IFLNK = 0o120777
const unixMode = (mode: number, dosBits = 0) => ((mode << 16) | dosBits) >>> 0

/** An Info-ZIP Unicode Path extra field (0x7075) giving `second` as the name of an entry named `raw`. */
export function unicodePathField(raw: Buffer, second: Buffer): Buffer {
  const field = Buffer.alloc(9)
  field.writeUInt16LE(0x7075, 0)
  field.writeUInt16LE(5 + second.length, 2)
  field.writeUInt8(1, 4)
  field.writeUInt32LE(crc32(raw), 5)
  return Buffer.concat([field, second])
}

function archive(extra: ZipEntrySpec[]): () => Buffer {
  return () => buildExportArchive({ extra })
}

const refused = (title: string, extra: ZipEntrySpec[], error: RegExp, forbidden = WHOSE): HostileArchive => ({
  title,
  build: archive(extra),
  extract: false,
  error,
  forbidden,
})

const unportable = (title: string, extra: ZipEntrySpec[], error: RegExp, forbidden = WHOSE): HostileArchive => ({
  ...refused(title, extra, error, forbidden),
  extract: true,
  platform: 'win32',
})

const BOTH = /entry #\d+ under files\/ is both a file and a folder/
const LINK = /entry #\d+ under files\/ is a symbolic link/
const latin1 = (text: string) => Buffer.from(text, 'latin1')

const nfc = `files/${SUB}_José-García.png`.normalize('NFC')
const nfd = nfc.normalize('NFD')
const hostileBytes = `files/${SUB}_x\n::error::pwned-by-name\x1b[31m.png`
const second = `files/${SUB}_../../../../home/runner/.bashrc`

export const HOSTILE_NAMES: HostileArchive[] = [
  // Names that cannot be written safely anywhere: refused with or without extract.
  refused(
    'a file that is also a folder (files/X beside files/X/y)',
    [
      { name: UPLOAD, data: 'scan' },
      { name: `${UPLOAD}/page-1.png`, data: 'page' },
    ],
    BOTH,
  ),
  refused(
    'a folder of files listed before a file of the same name',
    [
      { name: `${UPLOAD}/page-1.png`, data: 'page' },
      { name: UPLOAD, data: 'scan' },
    ],
    BOTH,
  ),
  refused(
    'a file beside a folder entry of the same name (files/X and files/X/)',
    [{ name: UPLOAD, data: 'scan' }, { name: `${UPLOAD}/` }],
    BOTH,
  ),
  refused(
    'an empty segment (files//X beside files/X)',
    [
      { name: UPLOAD, data: 'scan' },
      { name: `files//${SUB}_${PERSON}.png`, data: 'again' },
    ],
    /entry #\d+ under files\/ has an empty folder name/,
  ),
  refused(
    "a '.' segment (files/./X beside files/X)",
    [
      { name: UPLOAD, data: 'scan' },
      { name: `files/./${SUB}_${PERSON}.png`, data: 'again' },
    ],
    /entry #\d+ under files\/ has a '\.' folder in its path/,
  ),
  refused(
    'a name part over 255 bytes of UTF-8',
    [{ name: `files/${SUB}_${PERSON}-${'é'.repeat(110)}.png`, data: 'scan' }],
    /entry #\d+ under files\/ has a file or folder name longer than 255 bytes/,
  ),
  refused('a name that climbs out', [{ name: `files/../${SUB}_${PERSON}.png`, data: 'x' }], /climbs out/),
  refused(
    'a backslash name outside files/',
    [{ name: `uploads\\${SUB}_${PERSON}.png`, data: 'x' }],
    /entry #\d+ has a backslash/,
  ),
  refused(
    'an absolute name',
    [{ name: `/uploads/${SUB}_${PERSON}.png`, data: 'x' }],
    /entry #\d+ has an absolute path/,
  ),
  // Names checked as bytes.
  refused(
    'control bytes and a runner command without the UTF-8 flag (CP437 to yauzl)',
    [{ name: hostileBytes, nameBytes: latin1(hostileBytes), utf8: false, data: 'x' }],
    /entry #\d+ under files\/ has control characters in its name/,
    ['pwned-by-name', '\x1b[31m', SUB],
  ),
  refused(
    'a C1 control (CSI, a terminal escape on its own) in a UTF-8 name',
    [{ name: `files/${SUB}_x\u009b2J\u2028pwned-by-name.png`, data: 'x' }],
    /entry #\d+ under files\/ has control characters in its name/,
    ['pwned-by-name', SUB],
  ),
  refused(
    'non-ASCII bytes without the UTF-8 flag',
    [{ name: 'files/x', nameBytes: latin1(`files/${SUB}_Jos\x82-Garcia-passport-scan.png`), utf8: false, data: 'x' }],
    /entry #\d+ under files\/ has a non-ASCII name without the UTF-8 flag/,
    ['Garcia-passport-scan', SUB],
  ),
  refused(
    'invalid UTF-8 with the UTF-8 flag',
    [{ name: 'files/x', nameBytes: latin1(`files/${SUB}_Jos\xff\xfe-Garcia-passport-scan.png`), data: 'x' }],
    /entry #\d+ under files\/ has a name that is not valid UTF-8/,
    ['Garcia-passport-scan', SUB],
  ),
  refused(
    'a Unicode Path field that names another file',
    [{ name: UPLOAD, data: 'x', extraField: unicodePathField(Buffer.from(UPLOAD), Buffer.from(second)) }],
    /entry #\d+ under files\/ has a second name, in a Unicode Path field, that differs/,
    [...WHOSE, '.bashrc'],
  ),
  refused(
    'a Unicode Path field with control characters',
    [
      {
        name: UPLOAD,
        data: 'x',
        extraField: unicodePathField(Buffer.from(UPLOAD), Buffer.from(`${UPLOAD}\n::warning::pwned-by-name`)),
      },
    ],
    /entry #\d+ under files\/ has control characters in its Unicode Path field/,
    [...WHOSE, 'pwned-by-name'],
  ),
  // No link of any kind, whoever made the archive.
  ...[
    [3, 'Unix'],
    [2, 'VMS'],
    [5, 'Atari'],
    [16, 'BeOS'],
    [30, 'AtheOS'],
    [0, 'MS-DOS'],
  ].map(([madeBy, os]) =>
    refused(
      `a symbolic link to /etc, made by ${os} (${madeBy})`,
      [{ name: UPLOAD, data: '/etc', madeBy: Number(madeBy), externalAttributes: unixMode(S_IFLNK) }],
      LINK,
    ),
  ),
  refused('a named pipe', [{ name: UPLOAD, data: '', externalAttributes: unixMode(0o010644) }], /is a special file/),
  refused(
    'a character device',
    [{ name: UPLOAD, data: '', externalAttributes: unixMode(0o020644) }],
    /is a special file/,
  ),
  refused(
    'a file marked as a folder',
    [{ name: UPLOAD, data: 'x', externalAttributes: unixMode(0o040755, 0x10) }],
    /entry #\d+ under files\/ is named as a file but marked as a folder/,
  ),
  // Names that some systems cannot create as they are: refused when unpacking.
  unportable(
    'names that differ only in letter case',
    [
      { name: UPLOAD, data: 'a' },
      { name: `files/${SUB}_${PERSON.toUpperCase()}.png`, data: 'b' },
    ],
    /entry #\d+ under files\/ has a name that differs from another entry’s only in letter case/,
    [...WHOSE, PERSON.toUpperCase()],
  ),
  unportable(
    'names that differ only in Unicode normalisation (NFC and NFD)',
    [
      { name: nfc, data: 'a' },
      { name: nfd, data: 'b' },
    ],
    /only in letter case or Unicode normalisation/,
    [SUB, 'José', 'José'.normalize('NFD'), 'Garc'],
  ),
  unportable(
    'folders that differ only in letter case',
    [
      { name: `files/${SUB}_Jane-Doe/scan.png`, data: 'a' },
      { name: `files/${SUB}_JANE-DOE/page.png`, data: 'b' },
    ],
    /only in letter case/,
    [SUB, 'Jane-Doe', 'JANE-DOE'],
  ),
  unportable(
    'a Windows reserved name, with an extension',
    [{ name: `files/${SUB}_Jane-Doe/nul.passport.png`, data: 'a' }],
    /Windows reserves for a device/,
    [SUB, 'Jane-Doe'],
  ),
  unportable('a trailing dot', [{ name: `files/${SUB}_${PERSON}.`, data: 'a' }], /ending in a dot or a space/),
  unportable(
    'a trailing space in a folder',
    [{ name: `files/${SUB}_Jane-Doe /scan.png`, data: 'a' }],
    /ending in a dot or a space/,
    [SUB, 'Jane-Doe'],
  ),
  unportable(
    'a colon (an NTFS stream)',
    [{ name: `files/${SUB}_${PERSON}.png:Zone.Identifier`, data: 'a' }],
    /a character in its name that Windows forbids/,
  ),
  unportable('a question mark', [{ name: `files/${SUB}_${PERSON}?.png`, data: 'a' }], /Windows forbids/),
]

export const HOSTILE_WARNINGS: HostileWarning[] = [
  {
    title: 'an upload outside files/',
    build: archive([{ name: `uploads/${SUB}_${PERSON}.png`, data: 'x' }]),
    extract: false,
    warning: /holds 1 entry outside the documented layout: entry #\d+\./,
    forbidden: WHOSE,
  },
  {
    title: 'a corrupted folder name (file↔/…)',
    build: archive([{ name: `file↔/${SUB}_${PERSON}.png`, data: 'x' }]),
    extract: false,
    warning: /outside the documented layout: entry #\d+\./,
    forbidden: [...WHOSE, 'file↔'],
  },
  {
    title: 'names Windows cannot create, without extract',
    build: archive([
      { name: UPLOAD, data: 'a' },
      { name: `files/${SUB}_${PERSON.toUpperCase()}.png`, data: 'b' },
      { name: `files/${SUB}_Jane-Doe/CON.png`, data: 'c' },
      { name: `files/${SUB}_Jane-Doe/scan?.png`, data: 'd' },
    ]),
    extract: false,
    warning:
      /3 name\(s\) in the archive cannot be created as they are on Windows or macOS: 1 differ.*; 1 use a name Windows reserves.*; 1 hold a character/,
    forbidden: [...WHOSE, 'Jane-Doe', PERSON.toUpperCase()],
  },
]
