// `npm run bench -- [small|100m|1g|4g …] [--runs N] [--json path] [--cold] [--dist path/index.js]`
//
// For each size: generate the archive (cached), serve it from the embedded fake Prolific API,
// then run N interleaved rounds of (a) the bundled action, start to exit, with its peak RSS;
// (b) curl -o of a presigned URL; (c) openssl dgst -sha256 of the archive; (d) the naive
// pipeline curl -o, unzip -tq, sha256sum; (e) bench/plain-save.ts, the same download in plain
// Node (undici, a write stream, SHA-256), nothing validated, with its peak RSS. Then the cold start: node dist/index.js failing its
// input validation vs a bare node -e 0. Prints medians and ratios; writes every sample as JSON.
// Nothing here asserts a timing: CI runs the small size only to keep the script working.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { startFakeProlific } from '../test-support/fake-prolific.ts'
import { distLooksStale } from './dist-freshness.ts'
import { CACHE_DIR, ensureArchive, SIZES } from './generate.ts'
import { hasGnuTime, mustRun, settle } from './measure.ts'
import { type ColdStart, machineInfo, printTable, type SizeResult, summarise } from './report.ts'
import { coldStart, deleteJobs, DIST, download, naive, plainSave, presignedUrl, runAction, TOKEN } from './steps.ts'

const ROOT = resolve(import.meta.dirname, '..')

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '5' },
    json: { type: 'string', default: join(ROOT, 'bench', 'results.json') },
    cold: { type: 'boolean', default: false },
    dist: { type: 'string', default: DIST },
  },
})
const sizes = positionals.length > 0 ? positionals : ['100m', '1g']
const runs = Number(values.runs)
const unknown = sizes.filter((size) => !SIZES[size])
if (unknown.length > 0 || !Number.isInteger(runs) || runs < 1) {
  console.error(
    `usage: npm run bench -- [${Object.keys(SIZES).join('|')} …] [--runs N] [--json path] [--cold] [--dist path]`,
  )
  process.exit(2)
}
const log = (message: string) => console.error(message)
const dist = resolve(values.dist)
// Only the repository's own dist/ is compared with src/; a --dist build is the caller's business.
const distStale = dist === DIST && distLooksStale(ROOT)
if (distStale) {
  log(
    'warning: src/ differs from the last commit but dist/ does not; `npm run build` first to measure the current code',
  )
}

// Other work on the machine skews every sample: keep the load around the run with the results.
const loadAtStart = loadavg()
mkdirSync(CACHE_DIR, { recursive: true })
// Beside the cached archives: downloads land on the same file system as the archive served.
const work = mkdtempSync(join(CACHE_DIR, 'run-'))
// Dropping the page cache needs root outside a locked-down container; try once to know.
const canDrop = settle(true)
const pageCache = values.cold
  ? canDrop
    ? 'cold: dropped before every sample'
    : 'warm: --cold asked, but drop_caches is not permitted here'
  : `warm: archive read once before timing (drop_caches ${canDrop ? 'permitted' : 'not permitted'})`
const results: SizeResult[] = []
let cold: ColdStart | undefined
try {
  for (const size of sizes) results.push(await benchSize(size))
  cold = await coldStart(work, dist)
} finally {
  rmSync(work, { recursive: true, force: true })
}

const header =
  `Benchmark of ${dist.startsWith(ROOT) ? relative(ROOT, dist) : dist}: ${runs} interleaved round(s) per size, medians; page cache ${pageCache}; ` +
  `peak RSS from ${hasGnuTime ? 'GNU time %M' : 'VmHWM polling'}, max over rounds`
console.log(printTable(results, cold, header))
const jsonPath = resolve(values.json)
mkdirSync(dirname(jsonPath), { recursive: true })
const document = {
  date: new Date().toISOString(),
  argv: process.argv.slice(2),
  runs,
  pageCache,
  machine: machineInfo(dist),
  distStale,
  loadAverage: { start: loadAtStart, end: loadavg() },
  sizes: results,
  coldStart: cold,
}
writeFileSync(jsonPath, JSON.stringify(document, null, 2) + '\n')
console.log(`\nResults (every sample) written to ${jsonPath}`)

async function benchSize(size: string): Promise<SizeResult> {
  const archive = ensureArchive(size, log)
  log(`[${size}] ${archive.path}: ${archive.bytes} bytes, ${archive.entries} entries${archive.zip64 ? ', ZIP64' : ''}`)
  const fake = await startFakeProlific({ token: TOKEN, archiveFile: archive.path, pollsUntilComplete: 0 })
  const samples: SizeResult['samples'] = {
    action: [],
    actionPeakRssMiB: [],
    actionPhasesMs: [],
    curl: [],
    openssl: [],
    naive: [],
    plain: [],
    plainPeakRssMiB: [],
  }
  const digests = new Set<string>()
  try {
    if (!values.cold || !canDrop) {
      await mustRun({ command: 'bash', args: ['-c', 'cat "$1" >/dev/null', 'warm', archive.path] }, 'reading')
    }
    for (let round = 0; round < runs; round++) {
      const url = await presignedUrl(fake.url)
      const steps = [
        async () => {
          const action = await runAction(work, dist, fake.url)
          samples.action.push(action.seconds)
          samples.actionPeakRssMiB.push(action.peakRssMiB)
          samples.actionPhasesMs.push(action.phases)
          digests.add(action.sha256)
        },
        async () => samples.curl.push(await download(work, url, archive)),
        async () => {
          const openssl = await mustRun({ command: 'openssl', args: ['dgst', '-sha256', archive.path] }, 'openssl')
          samples.openssl.push(openssl.seconds)
          digests.add(/([0-9a-f]{64})\s*$/.exec(openssl.stdout)?.[1] ?? 'openssl printed no digest')
        },
        async () => samples.naive.push(await naive(work, url)),
        async () => {
          const plain = await plainSave(work, url, archive)
          samples.plain.push(plain.seconds)
          samples.plainPeakRssMiB.push(plain.peakRssMiB)
          digests.add(plain.sha256)
        },
      ]
      // Each round starts with a different step, so no step always follows the same one.
      for (let i = 0; i < steps.length; i++) {
        settle(values.cold)
        await steps[(round + i) % steps.length]?.()
      }
      await deleteJobs(fake)
      const last = (values: number[]) => `${values.at(-1)?.toFixed(2)} s`
      log(
        `[${size}] round ${round + 1}/${runs}: action ${last(samples.action)} ` +
          `(${samples.actionPeakRssMiB.at(-1)?.toFixed(1)} MiB) · curl ${last(samples.curl)} · ` +
          `openssl ${last(samples.openssl)} · naive ${last(samples.naive)} · plain Node ${last(samples.plain)}`,
      )
    }
  } finally {
    await fake.close()
  }
  if (digests.size !== 1) throw new Error(`the action's sha256 output and openssl disagree: ${[...digests].join(', ')}`)
  return summarise(size, archive, [...digests][0] ?? '', samples)
}
