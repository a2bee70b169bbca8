// Fault-matrix cases of the archive itself: hostile or broken ZIPs served with 200, each
// refused with nothing written, and valid ZIP64 ones accepted. See fault-cases.ts.
import { buildExportArchive } from './export-archive.ts'
import { ABSOLUTE_NAME, ESCAPE_NAME, type FaultCase, lazy, STANDARD } from './fault-cases.ts'
import type { ZipEntrySpec } from './zip-builder.ts'

/** A permanent archive problem: downloaded once, never again, and the job is kept. */
const REJECTED = { request: 1, poll: 2, download: 1 } as const
const SYMLINK = (0o120777 << 16) >>> 0
const MANY_FILES = 65_600

function hostile(name: string, error: RegExp, archive: () => Buffer): FaultCase {
  return { name, archive: lazy(archive), inputs: { extract: 'true' }, outcome: { error }, requests: REJECTED }
}

function withExtra(...extra: ZipEntrySpec[]): () => Buffer {
  return () => buildExportArchive({ extra })
}

export const ARCHIVE_CASES: FaultCase[] = [
  hostile(
    'zip-slip: an entry named ../../…',
    /archive is unsafe: entry #\d+ has a path that climbs out of the archive/,
    withExtra({ name: `../../${ESCAPE_NAME}`, data: 'escaped' }),
  ),
  hostile(
    'an entry with an absolute path',
    /archive is unsafe: entry #\d+ has an absolute path/,
    withExtra({ name: ABSOLUTE_NAME, data: 'escaped' }),
  ),
  hostile(
    'two entries with the same name',
    /archive lists batch\.json twice/,
    withExtra({ name: 'batch.json', data: '{"instructions": []}' }),
  ),
  hostile(
    'zip bomb: an entry inflating far past its declared size',
    /entry #\d+.*(too many bytes|size)/i,
    withExtra({ name: 'bomb.bin', data: Buffer.alloc(4 * 1024 * 1024), uncompressedSize: 1_000 }),
  ),
  hostile(
    'an entry whose CRC-32 does not match',
    /entry #\d+ fails its CRC-32 check/,
    withExtra({ name: 'notes.txt', data: 'hello', crc32: 0xdeadbeef }),
  ),
  hostile('a truncated archive served whole', /not a readable ZIP archive/, () =>
    STANDARD.subarray(0, Math.floor(STANDARD.length * 0.6)),
  ),
  hostile('an HTML page served with 200', /not a readable ZIP archive.*HTML/, () =>
    Buffer.from('<!DOCTYPE html>\n<html><body><h1>Service temporarily unavailable</h1></body></html>\n'),
  ),
  hostile(
    'a symbolic link entry',
    /archive is unsafe: entry #\d+ is a symbolic link/,
    withExtra({ name: 'link', data: '../../../etc/passwd', method: 'store', externalAttributes: SYMLINK }),
  ),
  {
    name: 'a valid ZIP64 archive',
    archive: lazy(() => buildExportArchive({ zip64: true })),
    outcome: { outputs: {} },
    requests: { request: 1, poll: 2, download: 1, delete: 1 },
  },
  {
    name: `a valid ZIP64 archive of ${MANY_FILES} files (more than 65,535 entries)`,
    archive: lazy(() => buildExportArchive({ zip64: true, files: MANY_FILES, uploadMethod: 'store' })),
    outcome: { outputs: { 'file-count': String(MANY_FILES) } },
    requests: { request: 1, poll: 2, download: 1, delete: 1 },
  },
]
