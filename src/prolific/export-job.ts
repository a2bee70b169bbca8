import type { Deadline } from '../core/deadline.ts'
import { ExportFailedError, ExportJobFailed } from '../core/errors.ts'
import { withRetry } from '../core/retry.ts'
import type { ExportFilter } from '../settings/settings.ts'
import type { ProlificClient } from './client.ts'
import { requestWithSlot, type SlotOptions } from './slots.ts'
import type { ExportStatus } from './schemas.ts'

/** A finished export, ready to download. */
export interface ReadyExport {
  /** Presigned URL: a credential until it expires. Already masked in the log. */
  url: URL
  /** The job's id, or '' where the API answered with a finished export and no id. */
  exportId: string
  /** The API answered the POST with an export that already existed (HTTP 200). */
  reused: boolean
}

export interface ExportJobOptions extends Omit<SlotOptions, 'log'> {
  client: ProlificClient
  targetId: string
  filter: ExportFilter
  pollIntervalMs: number
  deadline: Deadline
  /** Registers a value with the runner's log masking (core.setSecret). */
  mask: (secret: string) => void
  log: (message: string) => void
}

/** A `failed` export is requested again at most this many more times. */
const FAILED_EXPORT_RETRIES = 2

/** Request, poll, re-request a failed export, and refresh an expired download URL. */
export class ExportJob {
  private readonly options: ExportJobOptions
  private requests = 0
  private polls = 0
  private readonly created = new Set<string>()
  private readonly failed = new Set<string>()

  constructor(options: ExportJobOptions) {
    this.options = options
  }

  async ready(): Promise<ReadyExport> {
    return this.untilNotFailed(() => this.request())
  }

  /** A fresh URL for the same export: GET the job again, or POST again where there is no id. */
  async refresh(current: ReadyExport): Promise<ReadyExport> {
    if (current.exportId === '') return this.ready()
    return this.untilNotFailed(async () => {
      const state = await this.options.client.getExport(this.options.targetId, current.exportId)
      return this.settle(state, current.reused, current.exportId)
    })
  }

  /** Jobs this run's requests were answered with (202), failed ones included. */
  createdIds(): string[] {
    return [...this.created]
  }

  /** Jobs that ended `failed`: useless, but each holds one of the batch's 10 slots. */
  failedIds(): string[] {
    return [...this.failed].filter((id) => this.created.has(id))
  }

  /** Counts for the log and the summary. */
  stats(): { requests: number; polls: number } {
    return { requests: this.requests, polls: this.polls }
  }

  /**
   * Runs `first`; a job that ends `failed` is renewed by the retry policy: the export is requested
   * again, with no wait (the API gives no reason, and time is not known to help).
   */
  private untilNotFailed(first: () => Promise<ReadyExport>): Promise<ReadyExport> {
    const { deadline, log, kind, targetId } = this.options
    let attempt = first
    // One attempt each: the client's calls have had their transient retries already.
    return withRetry(
      'requesting the export',
      () => attempt(),
      { deadline, log, maxAttempts: 1 },
      {
        of: ExportJobFailed,
        limit: FAILED_EXPORT_RETRIES,
        renew: async ({ exportId }) => {
          log(`Prolific reported export ${exportId || ''} as failed; requesting it again.`.replace('  ', ' '))
          attempt = () => this.request()
        },
        exhausted: (_, renewals) =>
          new ExportFailedError(
            `Prolific reported the export of ${kind} ${targetId} as failed ${renewals + 1} times in a row ` +
              '(the API gives no reason). Try again later; if it keeps failing, contact Prolific support ' +
              'with the batch ID.',
          ),
      },
    )
  }

  private async request(): Promise<ReadyExport> {
    const { client, targetId, filter, log } = this.options
    this.requests += 1
    const { httpStatus, state } = await requestWithSlot(client, targetId, filter, this.options)
    if (httpStatus !== 200 && state.export_id) this.created.add(state.export_id)
    log(
      httpStatus === 200
        ? 'Prolific answered with an export that already exists.'
        : `Prolific accepted the export request (HTTP ${httpStatus}, job ${jobId(state) || 'without an id'}).`,
    )
    return this.settle(state, httpStatus === 200, jobId(state))
  }

  /** Polls until the job is no longer generating; a `failed` one is thrown for the policy to renew. */
  private async settle(state: ExportStatus, reused: boolean, exportId: string): Promise<ReadyExport> {
    const { client, targetId, pollIntervalMs, deadline, log } = this.options
    let current = state
    while (current.status === 'generating') {
      await deadline.sleep(pollIntervalMs, `waiting for Prolific to generate export ${exportId}`)
      this.polls += 1
      current = await client.getExport(targetId, exportId)
      if (this.polls % 10 === 0 && current.status === 'generating') {
        log(`Export ${exportId} is still generating after ${this.polls} polls.`)
      }
    }
    if (current.status === 'failed') {
      if (exportId) this.failed.add(exportId)
      throw new ExportJobFailed(exportId)
    }
    this.maskUrl(current.url)
    const id = current.export_id ?? exportId
    log(`Export ${id || '(no id)'} is ready${current.expires_at ? `; its link expires at ${current.expires_at}` : ''}.`)
    return { url: new URL(current.url), exportId: id, reused }
  }

  private maskUrl(href: string): void {
    const { mask } = this.options
    const url = new URL(href)
    mask(href)
    if (url.search.length > 1) mask(url.search.slice(1))
    // The signing parameters on their own too, in case a line shows one decoded.
    for (const [name, value] of url.searchParams) if (SECRET_PARAMETER.test(name) && value) mask(value)
  }
}

/** X-Amz-Signature, X-Amz-Security-Token, X-Amz-Credential, Azure's sig, X-Goog-Signature... */
const SECRET_PARAMETER = /signature|^sig$|token|credential|key/i

function jobId(state: ExportStatus): string {
  return state.export_id ?? ''
}
