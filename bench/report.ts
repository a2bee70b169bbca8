// The benchmark's results: what was measured, the machine it ran on, and the printed table.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, statfsSync } from 'node:fs'
import { availableParallelism, cpus, release, totalmem } from 'node:os'
import type { ArchiveInfo } from './generate.ts'
import { median } from './measure.ts'

export const TARGETS = { actionToFloor: 1.3, actionToNaive: 0.5, peakRssMiB: 128, coldStart: 3 }

export interface SizeResult {
  size: string
  archive: ArchiveInfo
  sha256: string
  /** Seconds per round, in the order they ran. */
  samples: {
    action: number[]
    actionPeakRssMiB: number[]
    /** The action's own phase times (ms), from its job summary. */
    actionPhasesMs: Record<string, number>[]
    curl: number[]
    openssl: number[]
    naive: number[]
    /** bench/plain-save.ts: undici, a write stream and SHA-256 on one thread; nothing validated. */
    plain: number[]
    plainPeakRssMiB: number[]
  }
  medians: { action: number; curl: number; openssl: number; naive: number; floor: number; plain: number }
  ratios: { actionToFloor: number; actionToNaive: number; plainToFloor: number }
  peakRssMiB: number
  plainPeakRssMiB: number
  phasesMedianMs: Record<string, number>
  /** openssl dgst -sha256 throughput over the archive. */
  sha256MBps: number
}

export interface ColdStart {
  runs: number
  action: number[]
  bareNode: number[]
  medians: { action: number; bareNode: number }
  ratio: number
}

export function summarise(
  size: string,
  archive: ArchiveInfo,
  sha256: string,
  samples: SizeResult['samples'],
): SizeResult {
  const [action, curl, openssl, naive, plain] = [
    samples.action,
    samples.curl,
    samples.openssl,
    samples.naive,
    samples.plain,
  ].map(median) as [number, number, number, number, number]
  const floor = Math.max(curl, openssl)
  const phases = [...new Set(samples.actionPhasesMs.flatMap((phase) => Object.keys(phase)))]
  const phasesMedianMs = Object.fromEntries(
    phases.map((name) => [name, median(samples.actionPhasesMs.map((phase) => phase[name] ?? 0))]),
  )
  return {
    size,
    archive,
    sha256,
    samples,
    medians: { action, curl, openssl, naive, floor, plain },
    ratios: { actionToFloor: action / floor, actionToNaive: action / naive, plainToFloor: plain / floor },
    peakRssMiB: Math.max(...samples.actionPeakRssMiB),
    plainPeakRssMiB: Math.max(...samples.plainPeakRssMiB),
    phasesMedianMs,
    sha256MBps: archive.bytes / openssl / 1e6,
  }
}

export function machineInfo(distPath: string) {
  const flags = /^flags\s*:(.*)$/m.exec(readText('/proc/cpuinfo'))?.[1]?.trim().split(/\s+/) ?? []
  const disk = statfsSync(distPath)
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpuHasShaInstructions: flags.includes('sha_ni'),
    cpuHasAesInstructions: flags.includes('aes'),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    tools: {
      curl: firstLine('curl', ['--version']),
      openssl: firstLine('openssl', ['version']),
      unzip: firstLine('unzip', ['-v']),
      sha256sum: firstLine('sha256sum', ['--version']),
    },
    diskFreeGiB: Math.round(((disk.bavail * disk.bsize) / 2 ** 30) * 10) / 10,
    dist: { path: distPath, sha256: createHash('sha256').update(readFileSync(distPath)).digest('hex') },
  }
}

export function printTable(results: SizeResult[], cold: ColdStart | undefined, header: string): string {
  const rows = [
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
    ['target', '', '', '', '', '', `≤ ${TARGETS.actionToFloor}×`, '', `≤ ${TARGETS.actionToNaive}×`, '≤ 128 MiB, flat'],
  ]
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? []
  const lines = [header, '']
  for (const row of rows)
    lines.push(
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
  lines.push('', 'Phases of the action (medians, from its job summary):')
  for (const r of results) {
    const phases = Object.entries(r.phasesMedianMs).map(([name, ms]) => `${name} ${secs(ms / 1000)}`)
    lines.push(`  ${r.size.padEnd(5)} ${phases.join(' · ')}`)
  }
  lines.push(
    '',
    'The same download in plain Node (bench/plain-save.ts: undici, write stream, SHA-256; nothing validated):',
  )
  for (const r of results) {
    lines.push(
      `  ${r.size.padEnd(5)} ${secs(r.medians.plain)}, ${times(r.ratios.plainToFloor)} the floor, ` +
        `peak RSS ${mib(r.plainPeakRssMiB * 2 ** 20)}; the action with full validation: ${secs(r.medians.action)}`,
    )
  }
  lines.push(
    '',
    'SHA-256 throughput (openssl dgst): ' + results.map((r) => `${r.size} ${r.sha256MBps.toFixed(0)} MB/s`).join(', '),
  )
  if (cold) {
    lines.push(
      `Cold start (${cold.runs} interleaved runs, medians): node dist/index.js to its input validation ` +
        `${ms(cold.medians.action)} vs node -e 0 ${ms(cold.medians.bareNode)}: ${times(cold.ratio)} (target ≤ ${TARGETS.coldStart}×)`,
    )
  }
  return lines.join('\n')
}

const secs = (s: number) => (s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`)
const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`
const times = (ratio: number) => `${ratio.toFixed(2)}×`
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`

function firstLine(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' })
  return (result.stdout || result.stderr || 'missing').split('\n')[0]?.trim() ?? 'missing'
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}
