// The hostile corpus for memory, decompression bombs and the clock (issue 13, items 6-8): each
// case is a whole archive as a server would serve it, what the step's error must say, and what
// must appear nowhere in the log. Every case builds in milliseconds.
import { crc32 } from 'node:zlib'
import { MAX_LINE_BYTES } from '../src/archive/limits.ts'
import { crc32Combine, deflated, directory, localHeader, type RawEntry, rawZip, repeatedDeflated } from './bomb-zip.ts'
import { buildExportArchive, submissionIds } from './export-archive.ts'
import type { HostileArchive } from './hostile-archive.ts'

const MiB = 1024 * 1024
const [OWNER = '', SECOND = ''] = submissionIds(2)
/** A participant ID inside the hostile line: participant data, never to be quoted. */
export const HIDDEN_PARTICIPANT = '5f3e2d1c0b9a887766554433'
/** Names of the uploads in the bombs: participant data too. */
export const BLANK_SCAN = `files/${OWNER}_blank-scan.bmp`
export const OVERLAP_NAME = (i: number) => `files/${OWNER}_scan-${i + 1}.bin`

/** The small entries every batch export has, valid, ahead of the hostile ones. */
function exportEntries(tasks = '{"task_id":"t1"}\n') {
  return [
    deflated('README.md', '# Batch export\n'),
    deflated('responses-by-submission.jsonl', `{"submission_id":"${OWNER}"}\n`),
    deflated('responses-by-task.jsonl', tasks),
    deflated('batch.json', '{"instructions":[]}\n'),
  ]
}

/** A line nested as deep as MAX_LINE_BYTES allows: 8 Mi levels, about 800 MiB to parse. */
export function deepNesting(): Buffer {
  const levels = Math.floor((MAX_LINE_BYTES - 128) / 2)
  const line = `{"submission_id":"${SECOND}","participant_id":"${HIDDEN_PARTICIPANT}","responses":${'['.repeat(levels)}${']'.repeat(levels)}}`
  const jsonl = `{"submission_id":"${OWNER}"}\n${line}\n`
  return buildExportArchive({ submissions: 1, replace: { 'responses-by-submission.jsonl': jsonl } })
}

/** A line 1 MiB longer than MAX_LINE_BYTES, well inside the ratio floor. */
export function longLine(): Buffer {
  const note = 'x'.repeat(MAX_LINE_BYTES + MiB)
  const jsonl = `{"task_id":"t1"}\n{"task_id":"t2","participant_id":"${HIDDEN_PARTICIPANT}","note":"${note}"}\n`
  return buildExportArchive({ replace: { 'responses-by-task.jsonl': jsonl } })
}

/** A blank 300 MiB "BMP" upload in about 300 KB: 1,000 times its size. */
export function blankScanBomb(): Buffer {
  return rawZip([...exportEntries(), repeatedDeflated(BLANK_SCAN, Buffer.alloc(MiB), 300)])
}

/** responses-by-task.jsonl holding 512 MiB of newlines, in about 512 KB. */
export function newlineBomb(): Buffer {
  const entries = exportEntries().filter(({ entry }) => entry.name !== 'responses-by-task.jsonl')
  return rawZip([...entries, repeatedDeflated('responses-by-task.jsonl', Buffer.alloc(MiB, '\n'), 512)])
}

/**
 * David Fifield's quoted-overlap bomb: `count` entries whose data all end in one shared kernel
 * (12 MiB of zeros). Entry i's data opens with a stored deflate block that quotes entry i+1's
 * local header, then runs on into entry i+1's data; so every entry inflates to all the headers
 * after it and the kernel, about 12 GiB in all from under 200 KB, each CRC-32 correct.
 */
export function quotedOverlapBomb(count = 1000): Buffer {
  const kernel = repeatedDeflated('', Buffer.alloc(MiB), 12)
  const entries: RawEntry[] = []
  const headers: Buffer[] = []
  let next = { crc: kernel.entry.crc, size: kernel.entry.size, compressedSize: kernel.data.length }
  for (let i = count - 1; i >= 0; i--) {
    const entry = { name: OVERLAP_NAME(i), method: 8, ...next }
    const header = localHeader(entry)
    entries.unshift(entry)
    headers.unshift(header)
    next = {
      crc: crc32Combine(crc32(header), entry.crc, entry.size),
      size: header.length + entry.size,
      compressedSize: 5 + header.length + entry.compressedSize,
    }
  }
  const prefix = exportEntries()
  const parts: Buffer[] = []
  const offsets: number[] = []
  let at = 0
  const put = (bytes: Buffer) => {
    parts.push(bytes)
    at += bytes.length
  }
  for (const { entry, data } of prefix) {
    offsets.push(at)
    put(localHeader(entry))
    put(data)
  }
  headers.forEach((header, i) => {
    offsets.push(at)
    put(header)
    const quoted = headers[i + 1]
    if (quoted) put(storedBlockHeader(quoted.length))
  })
  put(kernel.data)
  put(directory([...prefix.map((p) => p.entry), ...entries], offsets, at))
  return Buffer.concat(parts)
}

/** A non-final stored deflate block of `length` bytes: the 3 header bits, padding, LEN and NLEN. */
function storedBlockHeader(length: number): Buffer {
  const header = Buffer.alloc(5)
  header.writeUInt16LE(length, 1)
  header.writeUInt16LE(~length & 0xffff, 3)
  return header
}

export const HOSTILE_BOMBS: HostileArchive[] = [
  {
    title: 'a JSONL line nested 8 Mi levels deep',
    build: deepNesting,
    extract: false,
    error: /responses-by-submission\.jsonl line 2 nests deeper than 64 levels/,
    forbidden: [HIDDEN_PARTICIPANT, SECOND],
  },
  {
    title: 'a JSONL line of 17 MiB',
    build: longLine,
    extract: false,
    error: /responses-by-task\.jsonl line 2 is longer than 16777216 bytes/,
    forbidden: [HIDDEN_PARTICIPANT],
  },
  {
    title: 'a 300 KB archive of a 300 MiB blank upload (1,000x)',
    build: blankScanBomb,
    extract: true,
    error: /300 MiB uncompressed .*'max-compression-ratio'/,
    forbidden: [BLANK_SCAN, 'blank-scan'],
  },
  {
    title: "a quoted-overlap bomb (Fifield's construction), 12 GiB declared",
    build: () => quotedOverlapBomb(),
    extract: true,
    error: /entries #5 and #6 share bytes/,
    forbidden: [OVERLAP_NAME(0), '_scan-'],
  },
  {
    title: 'a 512 KB archive of 512 MiB of newlines',
    build: newlineBomb,
    extract: false,
    error: /512 MiB uncompressed .*'max-compression-ratio'/,
    forbidden: [],
  },
]
