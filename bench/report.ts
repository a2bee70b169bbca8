// The benchmark's results: what was measured and the machine it ran on (the printed table is
// bench/table.ts).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, statfsSync } from 'node:fs'
import { availableParallelism, cpus, release, totalmem } from 'node:os'
import type { ArchiveInfo } from './generate.ts'
import { median } from './measure.ts'

export const TARGETS = {
  actionToFloor: 1.3,
  actionToNaive: 0.5,
  peakRssMiB: 128,
  coldStart: 3,
  /** Issue 18: CPU of the action over CPU of curl -o plus openssl dgst -sha256 of the same bytes. */
  cpuToCurlOpenssl: 1.6,
  /** Issue 18: wall time of the action over curl -o's. */
  wallToCurl: 2.0,
  /** Issue 18: peak RSS of the action, every size. */
  issuePeakRssMiB: 192,
}

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
    /** bench/plain-dispatch.ts: undici's dispatch(), writeSync and SHA-256 per chunk. */
    dispatch: number[]
    dispatchPeakRssMiB: number[]
    /** CPU seconds (user + sys, with waited-for children) per round; NaN without GNU time. */
    actionCpu: number[]
    curlCpu: number[]
    opensslCpu: number[]
    naiveCpu: number[]
    plainCpu: number[]
    dispatchCpu: number[]
    /** The action again with `tables: csv,parquet`: what the tables add. */
    tables: number[]
    tablesCpu: number[]
    tablesPeakRssMiB: number[]
  }
  medians: {
    action: number
    curl: number
    openssl: number
    naive: number
    floor: number
    plain: number
    dispatch: number
    /** The action with `tables: csv,parquet`. */
    tables: number
  }
  /** Medians of CPU seconds; curlOpensslCpu is the median of each round's curl + openssl. */
  cpuMedians: {
    action: number
    curl: number
    openssl: number
    curlOpensslCpu: number
    naive: number
    plain: number
    dispatch: number
    tables: number
  }
  ratios: {
    actionToFloor: number
    actionToNaive: number
    plainToFloor: number
    dispatchToFloor: number
    /** Action CPU / curlOpensslCpu (target TARGETS.cpuToCurlOpenssl). */
    cpuToCurlOpenssl: number
    plainCpuToCurlOpenssl: number
    dispatchCpuToCurlOpenssl: number
    /** Action wall / curl -o wall (target TARGETS.wallToCurl). */
    wallToCurl: number
  }
  peakRssMiB: number
  plainPeakRssMiB: number
  dispatchPeakRssMiB: number
  tablesPeakRssMiB: number
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
  /** CPU seconds per run and their medians (NaN without GNU time). */
  cpu: { action: number[]; bareNode: number[] }
  cpuMedians: { action: number; bareNode: number }
}

export function summarise(
  size: string,
  archive: ArchiveInfo,
  sha256: string,
  samples: SizeResult['samples'],
): SizeResult {
  const [action, curl, openssl, naive, plain, dispatch] = [
    samples.action,
    samples.curl,
    samples.openssl,
    samples.naive,
    samples.plain,
    samples.dispatch,
  ].map(median) as [number, number, number, number, number, number]
  const floor = Math.max(curl, openssl)
  const cpuMedians = {
    action: median(samples.actionCpu),
    curl: median(samples.curlCpu),
    openssl: median(samples.opensslCpu),
    curlOpensslCpu: median(samples.curlCpu.map((cpu, round) => cpu + (samples.opensslCpu[round] ?? NaN))),
    naive: median(samples.naiveCpu),
    plain: median(samples.plainCpu),
    dispatch: median(samples.dispatchCpu),
    tables: median(samples.tablesCpu),
  }
  const phases = [...new Set(samples.actionPhasesMs.flatMap((phase) => Object.keys(phase)))]
  const phasesMedianMs = Object.fromEntries(
    phases.map((name) => [name, median(samples.actionPhasesMs.map((phase) => phase[name] ?? 0))]),
  )
  return {
    size,
    archive,
    sha256,
    samples,
    medians: { action, curl, openssl, naive, floor, plain, dispatch, tables: median(samples.tables) },
    cpuMedians,
    ratios: {
      actionToFloor: action / floor,
      actionToNaive: action / naive,
      plainToFloor: plain / floor,
      dispatchToFloor: dispatch / floor,
      cpuToCurlOpenssl: cpuMedians.action / cpuMedians.curlOpensslCpu,
      plainCpuToCurlOpenssl: cpuMedians.plain / cpuMedians.curlOpensslCpu,
      dispatchCpuToCurlOpenssl: cpuMedians.dispatch / cpuMedians.curlOpensslCpu,
      wallToCurl: action / curl,
    },
    peakRssMiB: Math.max(...samples.actionPeakRssMiB),
    plainPeakRssMiB: Math.max(...samples.plainPeakRssMiB),
    dispatchPeakRssMiB: Math.max(...samples.dispatchPeakRssMiB),
    tablesPeakRssMiB: Math.max(...samples.tablesPeakRssMiB),
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
