// Runs the action's run() from src/ in this process, as the runner would run dist/index.js:
// INPUT_* variables from action.yml's defaults, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
// stdout captured. Tests of orchestration use this, so a change in src/ shows without a build.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../src/core/clock.ts'
import { run } from '../src/main.ts'
import { fakeClock } from './fake-clock.ts'
import { defaultInputs, parseOutputs } from './run-action.ts'

export interface InProcessRun {
  /** process.exitCode as run() left it: 1 when the step failed. */
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  cwd: string
}

export interface InProcessOptions {
  inputs?: Record<string, string>
  env?: Record<string, string | undefined>
  /**
   * Variables set (or, as undefined, removed) in the environment handed to run() only, not in
   * process.env: shows what the action reads from its injected environment and nothing else.
   */
  stepEnv?: Record<string, string | undefined>
  cwd?: string
  cancel?: AbortSignal
  /** Default: a fake clock from now, so back-off and polling never wait. */
  clock?: Clock
}

/** One run at a time: the environment, stdout and the exit code are the process's own. */
export async function runInProcess({
  inputs = {},
  env = {},
  stepEnv,
  cwd,
  cancel,
  clock = fakeClock(Date.now()),
}: InProcessOptions = {}): Promise<InProcessRun> {
  const work = mkdtempSync(join(tmpdir(), 'prolific-inproc-'))
  const folder = cwd ?? work
  const outputFile = join(work, 'output')
  const summaryFile = join(work, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const saved = { ...process.env }
  const savedCode = process.exitCode
  const chunks: string[] = []
  const write = process.stdout.write.bind(process.stdout)
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('INPUT_') || name.startsWith('ACTIONS_') || name.startsWith('GITHUB_')) delete process.env[name]
  }
  for (const [name, value] of Object.entries({ ...defaultInputs(), ...inputs })) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  Object.assign(process.env, { GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, RUNNER_TEMP: work })
  withVariables(process.env, env)
  process.exitCode = undefined
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk))
    return true
  }) as typeof process.stdout.write
  try {
    const injected = stepEnv ? withVariables({ ...process.env }, stepEnv) : process.env
    await run({ clock, env: injected, cwd: folder, ...(cancel ? { cancel } : {}) })
    return {
      code: Number(process.exitCode ?? 0),
      stdout: chunks.join(''),
      stderr: '',
      outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      cwd: folder,
    }
  } finally {
    process.stdout.write = write
    process.exitCode = savedCode
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name]
    Object.assign(process.env, saved)
  }
}

function withVariables(target: NodeJS.ProcessEnv, variables: Record<string, string | undefined>): NodeJS.ProcessEnv {
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined) delete target[name]
    else target[name] = value
  }
  return target
}
