// `npm run bench -- [small|100m|1g|4g|1m-entries …] [--runs N] [--json path] [--cold] [--dist path/index.js] [--skip-tables]`
//
// For each size: generate the archive (cached), serve its bytes with bench/sendfile-server.py
// (the fake Prolific API's own storage without python3) behind the embedded fake Prolific API,
// then run N interleaved rounds of (a) the bundled action, start to exit; (b) curl -o of a
// presigned URL; (c) openssl dgst -sha256 of the archive; (d) the naive pipeline curl -o,
// unzip -tq, sha256sum; (e) bench/plain-save.ts and (f) bench/plain-dispatch.ts, the same
// download in plain Node, nothing validated. Every command's wall time, and with GNU time its
// CPU seconds and peak RSS. Then the cold start: node dist/index.js failing its input
// validation vs a bare node -e 0. Prints medians and ratios; writes every sample as JSON.
// Nothing here asserts a timing: CI runs the small size only to keep the script working.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { startFakeProlific } from '../test-support/fake-prolific.ts'
import { distLooksStale } from './dist-freshness.ts'
import { CACHE_DIR, ensureArchive, SIZES } from './generate.ts'
import { hasGnuTime, mustRun, settle } from './measure.ts'
import { type ColdStart, machineInfo, type SizeResult, summarise } from './report.ts'
import { benchRound, emptySamples } from './round.ts'
import { hasPython, serveArchive, serverDescription } from './serve.ts'
import * as step from './steps.ts'
import { printTable } from './table.ts'

const ROOT = resolve(import.meta.dirname, '..')

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '5' },
    json: { type: 'string', default: join(ROOT, 'bench', 'results.json') },
    cold: { type: 'boolean', default: false },
    // For a bundle from before `tables` existed (a --dist of an older build).
    'skip-tables': { type: 'boolean', default: false },
    dist: { type: 'string', default: step.DIST },
  },
})
const sizes = positionals.length > 0 ? positionals : ['100m', '1g']
const runs = Number(values.runs)
const unknown = sizes.filter((size) => !SIZES[size])
if (unknown.length > 0 || !Number.isInteger(runs) || runs < 1) {
  console.error(
    `usage: npm run bench -- [${Object.keys(SIZES).join('|')} …] [--runs N] [--json path] [--cold] [--dist path] [--skip-tables]`,
  )
  process.exit(2)
}
const log = (message: string) => console.error(message)
const dist = resolve(values.dist)
// Only the repository's own dist/ is compared with src/; a --dist build is the caller's business.
const distStale = dist === step.DIST && distLooksStale(ROOT)
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
  cold = await step.coldStart(work, dist)
} finally {
  rmSync(work, { recursive: true, force: true })
}

const header =
  `Benchmark of ${dist.startsWith(ROOT) ? relative(ROOT, dist) : dist}: ${runs} interleaved round(s) per size, medians; page cache ${pageCache}; ` +
  `peak RSS from ${hasGnuTime ? 'GNU time %M' : 'VmHWM polling'}, max over rounds; ` +
  `CPU ${hasGnuTime ? 'from GNU time %U + %S' : 'not measured (no GNU time)'}; load average ${load(loadAtStart)} at start, ` +
  `${load(loadavg())} at end; bytes served by the ${serverDescription}`
console.log(printTable(results, cold, header))
const jsonPath = resolve(values.json)
mkdirSync(dirname(jsonPath), { recursive: true })
const document = {
  date: new Date().toISOString(),
  argv: process.argv.slice(2),
  runs,
  pageCache,
  server: { kind: hasPython ? 'sendfile' : 'fake', description: serverDescription },
  cpuMeasured: hasGnuTime,
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
  const server = await serveArchive(archive.path)
  const samples = emptySamples()
  const digests = new Set<string>()
  try {
    const fake = await startFakeProlific({
      token: step.TOKEN,
      archiveFile: archive.path,
      pollsUntilComplete: 0,
      ...(server.origin ? { downloadOrigin: server.origin } : {}),
    })
    try {
      if (!values.cold || !canDrop) {
        await mustRun({ command: 'bash', args: ['-c', 'cat "$1" >/dev/null', 'warm', archive.path] }, 'reading')
      }
      const tables = !values['skip-tables']
      const context = { size, runs, work, dist, cold: values.cold, tables, log, fake, archive, samples, digests }
      for (let round = 0; round < runs; round++) await benchRound(context, round)
    } finally {
      await fake.close()
    }
  } finally {
    await server.close()
  }
  if (digests.size !== 1)
    throw new Error(
      `the SHA-256s disagree (the action's output, openssl, the plain Node downloads): ${[...digests].join(', ')}`,
    )
  return summarise(size, archive, [...digests][0] ?? '', samples)
}

function load(average: number[]): string {
  return average.map((value) => value.toFixed(2)).join(' ')
}
