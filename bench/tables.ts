// What `tables` adds to an export, measured on its own: the tables of a generated archive
// (bench/generate.ts), built as the action builds them, with the CPU time and the peak RSS of
// this process. `node bench/tables.ts 1g csv,parquet` (sizes as in generate.ts; formats as the
// `tables` input takes them). Each run is a fresh process, so the peak is the tables' own.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Deadline } from '../src/core/deadline.ts'
import { tableFormats } from '../src/settings/tables-input.ts'
import { buildTables } from '../src/tables/build-tables.ts'
import { ensureArchive } from './generate.ts'

const MiB = 1024 * 1024
const size = process.argv[2] ?? '100m'
const formats = tableFormats.parse(process.argv[3] ?? 'csv,parquet')
const archive = ensureArchive(size, (message) => console.error(message))
const out = mkdtempSync(join(tmpdir(), 'bench-tables-'))
const clock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((done) => setTimeout(done, ms)) }

const baselineMiB = process.memoryUsage().rss / MiB
const cpuBefore = process.cpuUsage()
const started = Date.now()
try {
  const made = await buildTables({
    zipPath: archive.path,
    kind: 'batch',
    request: { formats, path: join(out, 'tables') },
    strict: false,
    deadline: new Deadline(clock, 3_600_000),
  })
  const cpu = process.cpuUsage(cpuBefore)
  const peakMiB = process.resourceUsage().maxRSS / 1024
  const bytes = readdirSync(made.path).reduce((sum, name) => sum + statSync(join(made.path, name)).size, 0)
  const report = {
    size,
    archiveMiB: Number((statSync(archive.path).size / MiB).toFixed(1)),
    formats: formats.join(','),
    rows: made.rows,
    tablesMiB: Number((bytes / MiB).toFixed(1)),
    wallSeconds: Number(((Date.now() - started) / 1000).toFixed(2)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    peakRssMiB: Math.round(peakMiB),
    baselineRssMiB: Math.round(baselineMiB),
  }
  console.log(JSON.stringify(report))
} finally {
  rmSync(out, { recursive: true, force: true })
}
