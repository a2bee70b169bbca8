// The printed table of the benchmark: wall times against the floor and the naive pipeline,
// then per size CPU and wall of every command against curl -o + openssl (issue 18's targets),
// the action's phases, the plain Node downloads, and the cold start.
import { type ColdStart, type SizeResult, TARGETS } from './report.ts'

export function printTable(results: SizeResult[], cold: ColdStart | undefined, header: string): string {
  const lines = [header, '']
  const pad = Math.max(5, ...results.map((r) => r.size.length))
  lines.push(
    ...columns([
      ['size', 'archive', 'action', 'curl -o', 'openssl', 'floor', 'action/floor', 'naive', 'action/naive', 'peak RSS'],
      ...results.map((r) => [
        r.size,
        `${mib(r.archive.bytes)}, ${r.archive.entries.toLocaleString('en')} entries${r.archive.zip64 ? ', ZIP64' : ''}`,
        secs(r.medians.action),
        secs(r.medians.curl),
        secs(r.medians.openssl),
        secs(r.medians.floor),
        times(r.ratios.actionToFloor),
        secs(r.medians.naive),
        times(r.ratios.actionToNaive),
        mib(r.peakRssMiB * 2 ** 20),
      ]),
      [
        'target',
        '',
        '',
        '',
        '',
        '',
        `≤ ${TARGETS.actionToFloor}×`,
        '',
        `≤ ${TARGETS.actionToNaive}×`,
        `≤ ${TARGETS.peakRssMiB} MiB, flat`,
      ],
    ]),
  )
  lines.push(
    '',
    'CPU (user + sys of the process tree) and wall per command, medians; curl + openssl is the work no client ' +
      'can skip (receive, write, hash), each round summed:',
  )
  lines.push(...columns(cpuRows(results)))
  lines.push('', 'Phases of the action (medians, from its job summary):')
  for (const r of results) {
    const phases = Object.entries(r.phasesMedianMs).map(([name, ms]) => `${name} ${secs(ms / 1000)}`)
    lines.push(`  ${r.size.padEnd(pad)} ${phases.join(' · ')}`)
  }
  lines.push(
    '',
    'The same download in plain Node, nothing validated (plain-save.ts: undici request, write stream, SHA-256; ' +
      'plain-dispatch.ts: undici dispatch(), writeSync, SHA-256):',
  )
  for (const r of results) {
    lines.push(
      `  ${r.size.padEnd(pad)} plain-save ${secs(r.medians.plain)}, ${times(r.ratios.plainToFloor)} the floor, ` +
        `peak RSS ${mib(r.plainPeakRssMiB * 2 ** 20)}; plain-dispatch ${secs(r.medians.dispatch)}, ` +
        `${times(r.ratios.dispatchToFloor)} the floor, peak RSS ${mib(r.dispatchPeakRssMiB * 2 ** 20)}; ` +
        `the action with full validation: ${secs(r.medians.action)}`,
    )
  }
  lines.push('', 'What `tables: csv,parquet` adds to the action (the same export, medians):')
  for (const r of results.filter((each) => each.samples.tables.length > 0)) {
    lines.push(
      `  ${r.size.padEnd(pad)} ${secs(r.medians.tables)} (${secs(r.medians.tables - r.medians.action)} more), ` +
        `CPU ${cpuSecs(r.cpuMedians.tables)} (${cpuSecs(r.cpuMedians.tables - r.cpuMedians.action)} more), ` +
        `peak RSS ${mib(r.tablesPeakRssMiB * 2 ** 20)} against ${mib(r.peakRssMiB * 2 ** 20)}`,
    )
  }
  lines.push(
    '',
    'SHA-256 throughput (openssl dgst): ' + results.map((r) => `${r.size} ${r.sha256MBps.toFixed(0)} MB/s`).join(', '),
  )
  if (cold) {
    lines.push(
      `Cold start (${cold.runs} interleaved runs, medians): node dist/index.js to its input validation ` +
        `${ms(cold.medians.action)} vs node -e 0 ${ms(cold.medians.bareNode)}: ${times(cold.ratio)} (target ≤ ${TARGETS.coldStart}×); ` +
        `CPU ${ms(cold.cpuMedians.action)} vs ${ms(cold.cpuMedians.bareNode)}`,
    )
  }
  return lines.join('\n')
}

/** Per size, one row per command: wall, CPU, CPU / (curl + openssl), wall / curl, peak RSS. */
function cpuRows(results: SizeResult[]): string[][] {
  const rows = [['size', 'command', 'wall', 'CPU', 'CPU/(curl+openssl)', 'wall/curl', 'peak RSS']]
  for (const r of results) {
    const { medians: wall, cpuMedians: cpu } = r
    const base = cpu.curlOpensslCpu
    const row = (command: string, seconds: number, cpuSeconds: number, rssMiB?: number) => [
      command === 'action' ? r.size : '',
      command,
      Number.isNaN(seconds) ? '' : secs(seconds),
      cpuSecs(cpuSeconds),
      times(cpuSeconds / base),
      Number.isNaN(seconds) ? '' : times(seconds / wall.curl),
      rssMiB === undefined ? '' : mib(rssMiB * 2 ** 20),
    ]
    rows.push(
      row('action', wall.action, cpu.action, r.peakRssMiB),
      row('plain-dispatch.ts', wall.dispatch, cpu.dispatch, r.dispatchPeakRssMiB),
      row('plain-save.ts', wall.plain, cpu.plain, r.plainPeakRssMiB),
      row('curl -o', wall.curl, cpu.curl),
      row('openssl dgst -sha256', wall.openssl, cpu.openssl),
      row('curl + openssl', NaN, base),
      row('naive pipeline', wall.naive, cpu.naive),
    )
  }
  rows.push([
    'target',
    'action',
    '',
    '',
    `≤ ${TARGETS.cpuToCurlOpenssl.toFixed(1)}×`,
    `≤ ${TARGETS.wallToCurl.toFixed(1)}×`,
    `≤ ${TARGETS.issuePeakRssMiB} MiB`,
  ])
  return rows
}

function columns(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? []
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  )
}

const secs = (s: number) => (s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`)
const cpuSecs = (s: number) => (Number.isNaN(s) ? 'n/a' : secs(s))
const ms = (s: number) => (Number.isNaN(s) ? 'n/a' : `${(s * 1000).toFixed(0)} ms`)
const times = (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a')
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`
