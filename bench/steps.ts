// The steps of a benchmark round, each timed as a whole process (wall, and with GNU time CPU
// seconds and peak RSS): the bundled action as the runner starts it, curl -o, the naive
// curl + unzip -tq + sha256sum pipeline, the plain Node downloads, and the cold start.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { FakeProlific } from '../test-support/fake-prolific.ts'
import { defaultInputs, parseOutputs } from '../test-support/run-action.ts'
import { BATCH_ID } from './export-content.ts'
import type { ArchiveInfo } from './generate.ts'
import { median, mustRun, run, tail } from './measure.ts'
import type { ColdStart } from './report.ts'

/** The bundle the runner starts; `--dist` measures another build (say, before and after a change). */
export const DIST = resolve(import.meta.dirname, '..', 'dist', 'index.js')
export const TOKEN = 'bench-token'
const NODE = process.execPath
const COLD_START_RUNS = 20

/** The bundled action as the runner starts it, against the fake; its archive is then removed. */
export async function runAction(work: string, dist: string, apiUrl: string, extra: Record<string, string> = {}) {
  const outputFile = join(work, 'github-output')
  const summaryFile = join(work, 'step-summary')
  const zipPath = join(work, 'action', 'export.zip')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const inputs: Record<string, string> = {
    ...defaultInputs(),
    'batch-id': BATCH_ID,
    token: TOKEN,
    'api-url': apiUrl,
    path: zipPath,
    'upload-artifact': 'false',
    'delete-export': 'false',
    'poll-interval': '10ms',
    timeout: '30m',
    ...extra,
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: work,
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  const result = await mustRun(
    { command: NODE, args: [dist], env, cwd: work, rss: true, scratch: work, killAfterMs: 40 * 60_000 },
    'the action',
  )
  const outputs = parseOutputs(readFileSync(outputFile, 'utf8'))
  if (outputs.path !== zipPath) throw new Error(`the action set path '${outputs.path}':\n${tail(result.stdout)}`)
  rmSync(zipPath, { force: true })
  if (outputs['tables-path']) rmSync(outputs['tables-path'], { recursive: true, force: true })
  else if (extra.tables) throw new Error(`the action made no tables:\n${tail(result.stdout)}`)
  return {
    seconds: result.seconds,
    cpuSeconds: result.cpuSeconds ?? NaN,
    peakRssMiB: result.peakRssMiB ?? NaN,
    phases: phaseTimes(readFileSync(summaryFile, 'utf8')),
    sha256: outputs.sha256 ?? '',
  }
}

/** The "Time per phase" table of the job summary, in milliseconds (0.1 s resolution). */
function phaseTimes(summary: string): Record<string, number> {
  const table = summary.slice(summary.indexOf('Time per phase'))
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
  const phases: Record<string, number> = {}
  for (const [, name = '', value = '', suffix = ''] of table.matchAll(
    /<tr><td>([^<]*)<\/td><td>([\d.]+)(ms|s|m|h)<\/td><\/tr>/g,
  )) {
    phases[name] = Number(value) * (unit[suffix] ?? NaN)
  }
  return phases
}

/** Wall and CPU seconds of one measured command (CPU NaN without GNU time). */
export interface Cost {
  seconds: number
  cpuSeconds: number
}

export async function download(work: string, url: string, archive: ArchiveInfo): Promise<Cost> {
  const target = join(work, 'curl.zip')
  const result = await mustRun({ command: 'curl', args: ['-sSf', '-o', target, url], scratch: work }, 'curl')
  const size = statSync(target).size
  rmSync(target)
  if (size !== archive.bytes) throw new Error(`curl wrote ${size} bytes of ${archive.bytes}`)
  return { seconds: result.seconds, cpuSeconds: result.cpuSeconds ?? NaN }
}

/** openssl dgst -sha256 of the archive served (the bytes curl receives): the hashing floor. */
export async function opensslDigest(path: string) {
  const result = await mustRun({ command: 'openssl', args: ['dgst', '-sha256', path] }, 'openssl')
  const sha256 = /([0-9a-f]{64})\s*$/.exec(result.stdout)?.[1] ?? 'openssl printed no digest'
  return { seconds: result.seconds, cpuSeconds: result.cpuSeconds ?? NaN, sha256 }
}

export async function naive(work: string, url: string): Promise<Cost> {
  const target = join(work, 'naive.zip')
  const script = 'curl -sSf -o "$1" "$2" && unzip -tq "$1" && sha256sum "$1"'
  const spec = { command: 'bash', args: ['-c', script, 'naive', target, url], scratch: work }
  const result = await mustRun(spec, 'the naive pipeline')
  rmSync(target)
  return { seconds: result.seconds, cpuSeconds: result.cpuSeconds ?? NaN }
}

/**
 * A plain Node download of the same URL, with its CPU and peak RSS: bench/plain-save.ts
 * (undici request, write stream) or bench/plain-dispatch.ts (undici dispatch, writeSync).
 */
export async function plainNode(
  script: 'plain-save' | 'plain-dispatch',
  work: string,
  url: string,
  archive: ArchiveInfo,
) {
  const target = join(work, `${script}.zip`)
  const args = [join(import.meta.dirname, `${script}.ts`), url, target]
  const result = await mustRun({ command: NODE, args, rss: true, scratch: work }, `bench/${script}.ts`)
  const size = statSync(target).size
  rmSync(target)
  if (size !== archive.bytes) throw new Error(`bench/${script}.ts wrote ${size} bytes of ${archive.bytes}`)
  return {
    seconds: result.seconds,
    cpuSeconds: result.cpuSeconds ?? NaN,
    peakRssMiB: result.peakRssMiB ?? NaN,
    sha256: result.stdout.trim(),
  }
}

/** A download URL the way the action gets one: POST the export, GET the finished job. */
export async function presignedUrl(base: string): Promise<string> {
  const headers = { Authorization: `Token ${TOKEN}` }
  const api = `${base}/api/v1/data-collection/batches/${BATCH_ID}/export`
  const created = (await (await fetch(api, { method: 'POST', headers })).json()) as { export_id: string }
  const job = (await (await fetch(`${api}/${created.export_id}`, { headers })).json()) as { url?: string }
  if (!job.url) throw new Error(`the fake did not finish the export: ${JSON.stringify(job)}`)
  return job.url
}

/** A batch holds at most 10 export jobs: free them after every round. */
export async function deleteJobs(fake: FakeProlific): Promise<void> {
  for (const job of fake.jobs().filter((job) => !job.deleted && job.status !== 'generating')) {
    const url = `${fake.url}/api/v1/data-collection/batches/${job.batchId}/export/${job.exportId}`
    await fetch(url, { method: 'DELETE', headers: { Authorization: `Token ${TOKEN}` } })
  }
}

/** node dist/index.js with no inputs fails at once in its input validation: load + parse + check. */
export async function coldStart(work: string, dist: string): Promise<ColdStart> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME }
  const action = () => run({ command: NODE, args: [dist], env, cwd: work })
  const bare = () => run({ command: NODE, args: ['-e', '0'], env, cwd: work })
  const first = await action()
  if (first.code !== 1 || !first.stdout.includes('::error::')) {
    throw new Error(`node dist/index.js without inputs should fail its input validation:\n${tail(first.stdout)}`)
  }
  await bare()
  const samples = { action: [] as number[], bareNode: [] as number[] }
  const cpu = { action: [] as number[], bareNode: [] as number[] }
  const sample = async (which: 'action' | 'bareNode') => {
    const result = await (which === 'action' ? action() : bare())
    samples[which].push(result.seconds)
    cpu[which].push(result.cpuSeconds ?? NaN)
  }
  for (let i = 0; i < COLD_START_RUNS; i++) {
    if (i % 2 === 1) await sample('bareNode')
    await sample('action')
    if (i % 2 === 0) await sample('bareNode')
  }
  const medians = { action: median(samples.action), bareNode: median(samples.bareNode) }
  const cpuMedians = { action: median(cpu.action), bareNode: median(cpu.bareNode) }
  return { runs: COLD_START_RUNS, ...samples, medians, ratio: medians.action / medians.bareNode, cpu, cpuMedians }
}
