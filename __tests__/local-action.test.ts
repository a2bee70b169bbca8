// README "Running locally", followed word for word: its command, spawned as from a user's shell
// (CI=true, no terminal, stdin closed, the repository's root as working directory), against the
// fake API, with only what .env.example and README tell a user to set. The one liberty: the
// filled-in `.env` lives in a temporary folder, so that a real one at the root is never touched.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, relative, resolve, sep } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { buildExportArchive } from '../test-support/export-archive.ts'
import { startFakeProlific } from '../test-support/fake-prolific.ts'
import { ROOT } from '../test-support/run-action.ts'

const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const ENV_EXAMPLE = readFileSync(join(ROOT, '.env.example'), 'utf8')
const BATCH_ID = '67a1b2c3d4e5f60718293a4b'

/** The section under `## Running locally`, up to the next `## ` heading. */
function section(): string {
  const start = README.indexOf('\n## Running locally\n')
  if (start < 0) throw new Error("README.md has no '## Running locally' section")
  const end = README.indexOf('\n## ', start + 1)
  return README.slice(start, end < 0 ? undefined : end)
}

/** The section's first `sh` block as commands split into words, comments dropped. */
function readmeCommands(): string[][] {
  const block = /```sh\n([\s\S]*?)```/.exec(section())?.[1] ?? ''
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean)
    .map((line) => line.split(/\s+/))
}

/** .env.example filled in as a user does: each named line uncommented and given its value. */
function fillIn(text: string, values: Record<string, string>): string {
  let out = text
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^#?\\s*${name}=.*$`, 'gm')
    expect(out.match(line), `.env.example has one ${name} line`).toHaveLength(1)
    out = out.replace(line, `${name}=${value}`)
  }
  return out
}

/** PATH as the user's shell has it: without what `npm test` put first (Node 24, node_modules/.bin). */
function shellPath(): string {
  const npmAdded = (entry: string) => entry.endsWith('/node_modules/.bin') || entry.endsWith('node-gyp-bin')
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !npmAdded(entry))
    .join(delimiter)
}

function runCommand([command, ...args]: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // The environment of a user's shell, not this test's: no INPUT_*, no npm_config_*.
  const env = { PATH: shellPath(), HOME: process.env.HOME, CI: 'true' }
  const child = spawn(command as string, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((done, fail) => {
    child.on('error', fail)
    child.on('close', (code) => done({ code, stdout: stripVTControlCharacters(stdout), stderr }))
  })
}

/** local-action's closing table of outputs: `│ 3 │ 'name' │ 'value' │` rows after "Action Outputs". */
function printedOutputs(stdout: string): Record<string, string> {
  const table = stdout.slice(stdout.lastIndexOf('Action Outputs'))
  const row = /^│\s*\d+\s*│\s*(['"])(.*?)\1\s*│\s*(['"])(.*?)\3\s*│$/gm
  return Object.fromEntries([...table.matchAll(row)].map((match) => [match[2], match[4]]))
}

/** Untracked entries at the repository's root (in a folder, other engineers' work is no concern). */
function untrackedAtRoot(): string[] {
  const status = spawnSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).stdout
  return status
    .split('\n')
    .filter((line) => line.startsWith('?? ') && !line.slice(3).replace(/\/$/, '').includes('/'))
    .map((line) => line.slice(3))
}

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('README "Running locally"', () => {
  it('its command exports the batch into a git-ignored folder and prints the outputs', async () => {
    const [copy, command] = readmeCommands()
    expect(copy).toEqual(['cp', '.env.example', '.env'])
    expect(command?.at(-1)).toBe('.env')
    const token = /`PROLIFIC_TOKEN=([^`\s]+)`/.exec(section())?.[1]
    expect(token, 'README says which token the fake API takes').toBeDefined()
    const archive = buildExportArchive({ submissions: 5, tasks: 3 })
    const fake = await startFakeProlific({ token, archive })
    cleanups.push(() => fake.close())

    const work = mkdtempSync(join(tmpdir(), 'local-action-'))
    cleanups.push(() => rmSync(work, { recursive: true, force: true }))
    const envFile = join(work, '.env')
    const values = { 'INPUT_BATCH-ID': BATCH_ID, PROLIFIC_TOKEN: token as string, 'INPUT_API-URL': fake.url }
    writeFileSync(envFile, fillIn(ENV_EXAMPLE, values))
    const folder = resolve(ROOT, /^INPUT_PATH=(.+)$/m.exec(ENV_EXAMPLE)?.[1]?.trim() ?? '.')
    expect(relative(ROOT, folder), ".env.example's path is a folder inside the repository").toMatch(/^[^./]/)
    // A folder of the user's own loses only this run's ZIP; one the run made goes entirely.
    const folderWasThere = existsSync(folder)
    const outputs: Record<string, string> = {}
    cleanups.push(() => {
      if (!folderWasThere) rmSync(folder, { recursive: true, force: true })
      else if (outputs.path?.startsWith(folder + sep)) rmSync(outputs.path, { force: true })
    })
    const before = untrackedAtRoot()

    const run = await runCommand([...(command as string[]).slice(0, -1), envFile])
    Object.assign(outputs, printedOutputs(run.stdout))

    expect(run.stderr, 'npx installed nothing and asked nothing').not.toMatch(/will be installed|Ok to proceed/)
    expect(run.stdout.match(/^::error::.*$/gm) ?? [], 'the step failed').toEqual([])
    expect(outputs).toMatchObject({
      'submission-count': '5',
      'task-count': '3',
      'size-bytes': String(archive.length),
      sha256: createHash('sha256').update(archive).digest('hex'),
      'export-id': fake.jobs()[0]?.exportId,
      'artifact-id': '',
      changed: 'true',
    })
    expect(dirname(outputs.path ?? '')).toBe(folder)
    expect(readFileSync(outputs.path as string).equals(archive)).toBe(true)
    expect(run.code).toBe(0)
    expect(untrackedAtRoot()).toEqual(before)
  })
})
