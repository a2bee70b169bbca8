// One interleaved round of the benchmark: the action, curl -o, openssl dgst, the naive pipeline
// and both plain Node downloads, and the action with `tables: csv,parquet`, each once, with wall and (GNU time) CPU seconds and peak RSS.
import type { FakeProlific } from '../test-support/fake-prolific.ts'
import type { ArchiveInfo } from './generate.ts'
import { hasGnuTime, settle } from './measure.ts'
import type { SizeResult } from './report.ts'
import * as step from './steps.ts'

export interface RoundContext {
  size: string
  runs: number
  work: string
  dist: string
  /** Drop the page cache before every step (where permitted). */
  cold: boolean
  /** Run the action with `tables: csv,parquet` too. */
  tables: boolean
  log: (message: string) => void
  fake: FakeProlific
  archive: ArchiveInfo
  samples: SizeResult['samples']
  /** Every SHA-256 seen: the action's output, openssl's and the plain downloads' must agree. */
  digests: Set<string>
}

export function emptySamples(): SizeResult['samples'] {
  return {
    action: [],
    actionPeakRssMiB: [],
    actionPhasesMs: [],
    curl: [],
    openssl: [],
    naive: [],
    plain: [],
    plainPeakRssMiB: [],
    dispatch: [],
    dispatchPeakRssMiB: [],
    actionCpu: [],
    curlCpu: [],
    opensslCpu: [],
    naiveCpu: [],
    plainCpu: [],
    dispatchCpu: [],
    tables: [],
    tablesCpu: [],
    tablesPeakRssMiB: [],
  }
}

/** One round: every step once, starting from a different one each round. */
export async function benchRound(context: RoundContext, round: number): Promise<void> {
  const { size, runs, work, dist, cold, tables, log, fake, archive, samples, digests } = context
  const url = await step.presignedUrl(fake.url)
  const steps = [
    async () => {
      const action = await step.runAction(work, dist, fake.url)
      samples.action.push(action.seconds)
      samples.actionCpu.push(action.cpuSeconds)
      samples.actionPeakRssMiB.push(action.peakRssMiB)
      samples.actionPhasesMs.push(action.phases)
      digests.add(action.sha256)
    },
    async () => {
      if (!tables) return
      const withTables = await step.runAction(work, dist, fake.url, { tables: 'csv,parquet' })
      samples.tables.push(withTables.seconds)
      samples.tablesCpu.push(withTables.cpuSeconds)
      samples.tablesPeakRssMiB.push(withTables.peakRssMiB)
      digests.add(withTables.sha256)
    },
    async () => {
      const curl = await step.download(work, url, archive)
      samples.curl.push(curl.seconds)
      samples.curlCpu.push(curl.cpuSeconds)
    },
    async () => {
      const openssl = await step.opensslDigest(archive.path)
      samples.openssl.push(openssl.seconds)
      samples.opensslCpu.push(openssl.cpuSeconds)
      digests.add(openssl.sha256)
    },
    async () => {
      const naive = await step.naive(work, url)
      samples.naive.push(naive.seconds)
      samples.naiveCpu.push(naive.cpuSeconds)
    },
    async () => {
      const plain = await step.plainNode('plain-save', work, url, archive)
      samples.plain.push(plain.seconds)
      samples.plainCpu.push(plain.cpuSeconds)
      samples.plainPeakRssMiB.push(plain.peakRssMiB)
      digests.add(plain.sha256)
    },
    async () => {
      const dispatch = await step.plainNode('plain-dispatch', work, url, archive)
      samples.dispatch.push(dispatch.seconds)
      samples.dispatchCpu.push(dispatch.cpuSeconds)
      samples.dispatchPeakRssMiB.push(dispatch.peakRssMiB)
      digests.add(dispatch.sha256)
    },
  ]
  // Each round starts with a different step, so no step always follows the same one.
  for (let i = 0; i < steps.length; i++) {
    settle(cold)
    await steps[(round + i) % steps.length]?.()
  }
  await step.deleteJobs(fake)
  const last = (wall: number[], cpu: number[]) =>
    `${wall.at(-1)?.toFixed(2)} s` + (hasGnuTime ? ` (CPU ${cpu.at(-1)?.toFixed(2)} s)` : '')
  log(
    `[${size}] round ${round + 1}/${runs}: action ${last(samples.action, samples.actionCpu)}, ` +
      `${samples.actionPeakRssMiB.at(-1)?.toFixed(1)} MiB · curl ${last(samples.curl, samples.curlCpu)} · ` +
      `openssl ${last(samples.openssl, samples.opensslCpu)} · naive ${last(samples.naive, samples.naiveCpu)} · ` +
      `plain-save ${last(samples.plain, samples.plainCpu)} · plain-dispatch ${last(samples.dispatch, samples.dispatchCpu)}`,
  )
}
