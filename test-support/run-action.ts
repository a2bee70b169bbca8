// Runs dist/index.js the way the runner does: INPUT_* variables filled from action.yml's
// defaults and overridden per call, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the
// Node binary that runs this process (Node 24, from the `node` devDependency).
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { readRunnerLog, type RunnerView } from './runner-log.ts'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ACTION = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
}

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Seconds from spawn to exit. */
  seconds: number
  /** Peak resident memory in MiB, with `measureRss` where GNU time is there; else undefined. */
  peakRssMiB: number | undefined
}

export interface RunOptions {
  inputs?: Record<string, string>
  env?: Record<string, string | undefined>
  cwd?: string
  /** Kill the process after this many milliseconds (a test's safety net). */
  killAfterMs?: number
  /** Run under GNU time and report the peak RSS (skipped where /usr/bin/time is not GNU's). */
  measureRss?: boolean
}

const GNU_TIME = '/usr/bin/time'
/** GNU time is there, and is GNU's (BSD time has no -f). */
export const hasGnuTime = /^\d+$/.test(
  spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).stderr?.trim() ?? '',
)

export function defaultInputs(): Record<string, string> {
  const inputs: Record<string, string> = {}
  for (const [name, spec] of Object.entries(ACTION.inputs)) inputs[name] = String(spec.default ?? '')
  return inputs
}

export function runAction({
  inputs = {},
  env = {},
  cwd,
  killAfterMs = 60_000,
  measureRss = false,
}: RunOptions = {}): Promise<ActionRun> {
  const work = mkdtempSync(join(tmpdir(), 'prolific-run-'))
  const outputFile = join(work, 'output')
  const summaryFile = join(work, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const childEnv: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: work,
  }
  for (const [name, value] of Object.entries({ ...defaultInputs(), ...inputs })) {
    childEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  Object.assign(childEnv, env)
  const started = Date.now()
  return new Promise((done, fail) => {
    const rssFile = join(work, 'rss')
    const timed = measureRss && hasGnuTime
    const [command, args] = timed
      ? [GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, join(ROOT, 'dist', 'index.js')]]
      : [process.execPath, [join(ROOT, 'dist', 'index.js')]]
    const child = spawn(command, args, {
      cwd: cwd ?? work,
      env: Object.fromEntries(Object.entries(childEnv).filter(([, v]) => v !== undefined)),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.on('error', fail)
    child.on('close', (code) => {
      clearTimeout(timer)
      done({
        code,
        stdout,
        stderr,
        outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        seconds: (Date.now() - started) / 1000,
        peakRssMiB: timed ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) / 1024 : undefined,
      })
    })
  })
}

/** The runner's file command format: `name<<DELIMITER`, value lines, `DELIMITER`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] ?? '')
    outputs[name as string] = value.join('\n')
  }
  return outputs
}

/**
 * The log as the runner shows it (see runner-log.ts): commands consumed, masks applied from the
 * line they are registered on, and nothing masked once a smuggled `stop-commands` is in force.
 */
export function maskedLog(run: Pick<ActionRun, 'stdout' | 'stderr'>): string {
  return readRunnerLog(`${run.stdout}\n${run.stderr}`).shown
}

/** The runner's whole reading of the step's output: what it shows and which commands it ran. */
export function runnerView(run: Pick<ActionRun, 'stdout' | 'stderr'>): RunnerView {
  return readRunnerLog(`${run.stdout}\n${run.stderr}`)
}
