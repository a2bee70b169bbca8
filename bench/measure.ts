// Timing and memory of child processes for the benchmark: wall time from spawn to exit, and
// peak RSS from GNU time's %M or, without it, from polling /proc/<pid>/status (VmHWM).
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Timed {
  seconds: number
  code: number | null
  stdout: string
  stderr: string
  /** Peak RSS of the measured command in MiB, when asked for. */
  peakRssMiB?: number
}

export interface RunSpec {
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Measure peak RSS too. */
  rss?: boolean
  /** Where GNU time writes its report (one file per work dir). */
  scratch?: string
  killAfterMs?: number
}

const GNU_TIME = '/usr/bin/time'
/** GNU time is there, and is GNU's (BSD time has no -f). */
export const hasGnuTime = /^\d+$/.test(
  spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).stderr?.trim() ?? '',
)

export function run({
  command,
  args,
  env,
  cwd,
  rss = false,
  scratch,
  killAfterMs = 3_600_000,
}: RunSpec): Promise<Timed> {
  const report = rss && hasGnuTime ? join(scratch ?? '.', 'time-report') : undefined
  if (report) writeFileSync(report, '')
  const [file, argv] = report ? [GNU_TIME, ['-f', '%M', '-o', report, command, ...args]] : [command, args]
  const started = process.hrtime.bigint()
  const child = spawn(file, argv, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let hwmKiB = 0
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const poll = rss && !report ? setInterval(() => (hwmKiB = Math.max(hwmKiB, vmHwmKiB(child.pid))), 10) : undefined
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
  let exited = started
  child.on('exit', () => {
    exited = process.hrtime.bigint()
    clearTimeout(killer)
    clearInterval(poll)
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      let peakRssMiB: number | undefined
      if (report) {
        peakRssMiB = Number(readFileSync(report, 'utf8').trim().split('\n').at(-1)) / 1024
        rmSync(report, { force: true })
      } else if (rss) {
        peakRssMiB = hwmKiB / 1024
      }
      const seconds = Number(exited - started) / 1e9
      resolve({ seconds, code, stdout, stderr, ...(peakRssMiB === undefined ? {} : { peakRssMiB }) })
    })
  })
}

/** Runs a command and fails loudly when it does. */
export async function mustRun(spec: RunSpec, what: string): Promise<Timed> {
  const result = await run(spec)
  if (result.code !== 0) {
    throw new Error(`${what} exited with ${result.code}:\n${tail(result.stdout)}\n${tail(result.stderr)}`)
  }
  return result
}

function vmHwmKiB(pid: number | undefined): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

/**
 * Flushes dirty pages so one sample's writes are not paid by the next, and where allowed
 * (root, not in a locked-down container) drops the page cache. Returns whether it dropped.
 */
export function settle(drop: boolean): boolean {
  spawnSync('sync')
  if (!drop) return false
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3')
    return true
  } catch {
    return false
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  if (sorted.length === 0) return NaN
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

export function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n')
}
