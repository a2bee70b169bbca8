// Generates the benchmark's export archives in constant memory, straight to a file, and caches
// them in bench/.cache/<size>.zip keyed by the generator's version (a hash of its source), so a
// changed generator regenerates. `node bench/generate.ts 1g` generates (or finds) one.
//
// Layout, in the order Prolific writes it: README.md, responses-by-submission.jsonl and
// responses-by-task.jsonl (deflated), batch.json, files/ with small uploads named
// `<submission_id>_<name>` (text deflated, photos stored) and, spread among them, large stored
// recordings of incompressible bytes that fill the archive up to its target size.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  batchJson,
  bySubmission,
  byTask,
  Noise,
  random,
  README,
  sentences,
  shape,
  submissionId,
} from './export-content.ts'
import { ZipFileWriter } from './zip-writer.ts'

export interface SizeSpec {
  /** Target size of the archive in bytes (met to within a few MB). */
  bytes: number
  submissions: number
  /** Small uploads under files/. */
  files: number
  /** Scales the uploads' sizes (default 1: notes of 300-3,000 bytes, photos of 2-16 KB). */
  uploadScale?: number
}

const MiB = 1024 * 1024
export const SIZES: Record<string, SizeSpec> = {
  small: { bytes: 20 * MiB, submissions: 2_000, files: 400 },
  '100m': { bytes: 100 * MiB, submissions: 10_000, files: 2_000 },
  '1g': { bytes: 1024 * MiB, submissions: 100_000, files: 20_000 },
  // ZIP64 on both counts: 80,060 entries, and a little over 4 GiB so that the offsets of the
  // last entries and of the central directory pass 0xFFFFFFFF.
  '4g': { bytes: 4112 * MiB, submissions: 400_000, files: 80_000 },
  // A million tiny uploads: what the validator keeps per entry, with no recording to fill space.
  '1m-entries': { bytes: 0, submissions: 100_000, files: 1_000_000, uploadScale: 0.01 },
}
/** Recordings are about this big; their count follows from the space left to fill. */
const MEDIA_BYTES = 64 * MiB
/** A guess of how well text uploads deflate, to plan the space the recordings fill. */
const TEXT_RATIO = 0.45

export const CACHE_DIR = join(import.meta.dirname, '.cache')
export const GENERATOR_VERSION = createHash('sha256')
  .update(
    ['generate.ts', 'export-content.ts', 'zip-writer.ts', 'zip-records.ts']
      .map((f) => readFileSync(join(import.meta.dirname, f)))
      .join('\0'),
  )
  .digest('hex')
  .slice(0, 12)

export interface ArchiveInfo {
  size: string
  path: string
  version: string
  bytes: number
  entries: number
  zip64: boolean
  submissions: number
  tasks: number
  uploads: number
  recordings: number
  /** Seconds spent generating, or null when the archive came from the cache. */
  generatedSeconds: number | null
}

/** The archive of a named size, from the cache when its generator version matches. */
export function ensureArchive(size: string, log: (message: string) => void = () => undefined): ArchiveInfo {
  const spec = SIZES[size]
  if (!spec) throw new Error(`unknown size '${size}' (known: ${Object.keys(SIZES).join(', ')})`)
  mkdirSync(CACHE_DIR, { recursive: true })
  const path = join(CACHE_DIR, `${size}.zip`)
  const metaPath = join(CACHE_DIR, `${size}.json`)
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as ArchiveInfo
    if (meta.version === GENERATOR_VERSION && statSync(path).size === meta.bytes) {
      return { ...meta, path, generatedSeconds: null }
    }
  }
  log(`generating ${path} (generator ${GENERATOR_VERSION})…`)
  const started = performance.now()
  const partial = `${path}.partial`
  const info = generateArchive(partial, spec)
  renameSync(partial, path)
  const meta: ArchiveInfo = {
    size,
    path,
    version: GENERATOR_VERSION,
    ...info,
    generatedSeconds: (performance.now() - started) / 1000,
  }
  writeFileSync(metaPath, JSON.stringify(meta, null, 2) + '\n')
  return meta
}

interface Upload {
  name: string
  bytes: number
  deflate: boolean
  /** Planned space in the archive: header, name and (estimated) data. */
  estimate: number
}

export function generateArchive(path: string, spec: SizeSpec) {
  const exportShape = shape(spec.submissions)
  const zip = new ZipFileWriter(path)
  zip.small('README.md', README, 'deflate')
  zip.deflated('responses-by-submission.jsonl', bySubmission(exportShape))
  zip.deflated('responses-by-task.jsonl', byTask(exportShape))
  zip.small('batch.json', batchJson(exportShape), 'deflate')
  zip.directory('files/')

  const uploads = planUploads(spec)
  let uploadsLeft = uploads.reduce((sum, upload) => sum + upload.estimate, 0)
  const central = uploads.reduce((sum, upload) => sum + 46 + upload.name.length + 12, 64 * 1024)
  const budget = () => spec.bytes - zip.bytesWritten - uploadsLeft - central
  const recordings = budget() > MiB ? Math.max(1, Math.round(budget() / MEDIA_BYTES)) : 0
  // Recording k goes before upload (k + 1) * M / (recordings + 1): spread evenly, as the
  // uploads of a few participants would be.
  const slots = Array.from({ length: recordings }, (_, k) => Math.floor(((k + 1) * uploads.length) / (recordings + 1)))
  const noise = new Noise(`bench:${spec.bytes}`)
  let recorded = 0
  for (const [j, upload] of uploads.entries()) {
    while (slots[recorded] === j) {
      const owner = submissionId(Math.floor((j * spec.submissions) / Math.max(uploads.length, 1)))
      const bytes = Math.max(0, Math.floor(budget() / (recordings - recorded)))
      zip.stored(`files/${owner}_screen-recording-${recorded + 1}.webm`, bytes, noise.chunks(bytes))
      recorded += 1
    }
    if (upload.deflate) zip.small(upload.name, textUpload(j, upload.bytes), 'deflate')
    else zip.small(upload.name, noise.take(upload.bytes), 'store')
    uploadsLeft -= upload.estimate
  }
  return { ...zip.finish(), ...exportShape, uploads: uploads.length, recordings }
}

/** Names and sizes of the small uploads: notes and answers (text), photos (JPEG-like noise). */
function planUploads(spec: SizeSpec): Upload[] {
  return Array.from({ length: spec.files }, (_, j) => {
    const next = random(j * 11 + 0xf11e)
    const owner = submissionId(Math.floor((j * spec.submissions) / spec.files))
    const kind = j % 4
    const deflate = kind < 2
    const name = `files/${owner}_${['notes', 'answers', 'photo', 'photo'][kind]}-${j + 1}.${['txt', 'json', 'jpg', 'jpg'][kind]}`
    const full = deflate ? 300 + Math.floor(next() * 2700) : 2_000 + Math.floor(next() * 14_000)
    const bytes = Math.max(1, Math.round(full * (spec.uploadScale ?? 1)))
    const estimate = 30 + name.length + (deflate ? Math.ceil(bytes * TEXT_RATIO) : bytes)
    return { name, bytes, deflate, estimate }
  })
}

function textUpload(j: number, bytes: number): string {
  const next = random(j * 13 + 0x7e7)
  let text = ''
  while (text.length < bytes) text += sentences(next, 40) + '\n'
  text = text.slice(0, bytes)
  return j % 4 === 1 ? JSON.stringify({ upload: j + 1, text }) : text
}

if (import.meta.main) {
  for (const size of process.argv.slice(2)) {
    const info = ensureArchive(size, (message) => console.error(message))
    console.log(JSON.stringify(info))
  }
}
