// Timing and memory of child processes for the benchmark: wall time from spawn to exit; CPU
// seconds (user + sys) and peak RSS from GNU time's %U %S %M, which report the child's rusage:
// its own threads (worker threads included) and every child it waited for. Without GNU time,
// peak RSS comes from polling /proc/<pid>/status (VmHWM) and CPU is not measured.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Timed {
  seconds: number
  code: number | null
  stdout: string
  stderr: string
  /** Peak RSS of the measured command in MiB: from GNU time whenever it is there, else when asked for. */
  peakRssMiB?: number
  /** User + system CPU seconds of the command and its waited-for children (GNU time only). */
  cpuSeconds?: number
}

export interface RunSpec {
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Measure peak RSS even without GNU time (by polling VmHWM). */
  rss?: boolean
  /** Where GNU time writes its report (default: the temporary directory). */
  scratch?: string
  killAfterMs?: number
}

const GNU_TIME = '/usr/bin/time'
/** GNU time is there, and is GNU's (BSD time has no -f). */
export const hasGnuTime = /^\d+$/.test(
  spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).stderr?.trim() ?? '',
)
let reports = 0

export function run({
  command,
  args,
  env,
  cwd,
  rss = false,
  scratch,
  killAfterMs = 3_600_000,
}: RunSpec): Promise<Timed> {
  const report = hasGnuTime ? join(scratch ?? tmpdir(), `time-report-${process.pid}-${reports++}`) : undefined
  if (report) writeFileSync(report, '')
  const [file, argv] = report ? [GNU_TIME, ['-f', '%M %U %S', '-o', report, command, ...args]] : [command, args]
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
      let cpuSeconds: number | undefined
      if (report) {
        // The last line: GNU time writes "Command exited with non-zero status …" before it.
        const [maxKiB, user, sys] = (readFileSync(report, 'utf8').trim().split('\n').at(-1) ?? '').split(' ')
        peakRssMiB = Number(maxKiB) / 1024
        cpuSeconds = Number(user) + Number(sys)
        rmSync(report, { force: true })
      } else if (rss) {
        peakRssMiB = hwmKiB / 1024
      }
      const seconds = Number(exited - started) / 1e9
      const measured = { ...(peakRssMiB === undefined ? {} : { peakRssMiB }), ...(report ? { cpuSeconds } : {}) }
      resolve({ seconds, code, stdout, stderr, ...measured })
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
