import { type Dispatcher, request } from 'undici'
import type { Clock } from '../core/clock.ts'
import { ActionError, HttpError } from '../core/errors.ts'
import { readBody, retryAfterMs } from '../core/http.ts'
import { type RetryPolicy, withRetry } from '../core/retry.ts'
import type { ProxyEnvironment } from '../core/proxy.ts'
import { overTransport } from '../core/transport-errors.ts'
import { USER_AGENT } from '../core/version.ts'
import type { ExportFilter, ExportKind } from '../settings/settings.ts'
import { neutralise, quoteOutside } from '../runner/outside-text.ts'
import { describeErrorBody } from './error-message.ts'
import { ExportJobList, type ExportJobSummary, ExportStatus } from './schemas.ts'

export interface ClientOptions {
  /** Batches and collections have the same export endpoints under different paths. */
  kind: ExportKind
  apiUrl: URL
  token: string
  dispatcher: Dispatcher
  /** The proxy the dispatcher goes through, to name it when it refuses. */
  proxy: ProxyEnvironment
  retry: RetryPolicy
  clock: Clock
}

export interface RequestedExport {
  /** 200: the API answered with an export that already existed; 202: a job was enqueued. */
  httpStatus: number
  state: ExportStatus
}

/** An answer of the export endpoints is a few hundred bytes; a job list a few KiB. */
const MAX_ANSWER_BYTES = 1_048_576

/** The export endpoints of the Prolific API, each call under the one retry policy. */
export class ProlificClient {
  private readonly options: ClientOptions

  constructor(options: ClientOptions) {
    this.options = options
  }

  async requestExport(targetId: string, filter: ExportFilter): Promise<RequestedExport> {
    const query = new URLSearchParams()
    if (filter.studyId) query.set('study_id', filter.studyId)
    if (filter.from) query.set('from', filter.from)
    if (filter.to) query.set('to', filter.to)
    const { status, body } = await this.call('POST', this.exportPath(targetId), query, 'requesting the export')
    return { httpStatus: status, state: parseState(body, status, 'POST', this.exportPath(targetId)) }
  }

  async getExport(targetId: string, exportId: string): Promise<ExportStatus> {
    const path = `${this.exportPath(targetId)}/${pathSegment(exportId)}`
    const { status, body } = await this.call('GET', path, undefined, 'polling the export')
    return parseState(body, status, 'GET', path)
  }

  /** 'unsupported' where the server has no such route (the older API). */
  async deleteExport(targetId: string, exportId: string): Promise<'deleted' | 'unsupported'> {
    const path = `${this.exportPath(targetId)}/${pathSegment(exportId)}`
    try {
      await this.call('DELETE', path, undefined, 'deleting the export job')
      return 'deleted'
    } catch (error) {
      if (error instanceof HttpError && (error.status === 404 || error.status === 405)) return 'unsupported'
      throw error
    }
  }

  /** Every export job of the target, most recent first (newer API). */
  async listExports(targetId: string): Promise<ExportJobSummary[]> {
    const { status, body } = await this.call('GET', this.exportPath(targetId), undefined, 'listing export jobs')
    const parsed = ExportJobList.safeParse(parseJson(body))
    if (!parsed.success) {
      throw new ActionError(
        `Prolific API answered HTTP ${status} to GET ${this.exportPath(targetId)} with a job list this action does not understand.`,
      )
    }
    return parsed.data
  }

  private exportPath(targetId: string): string {
    const resource = this.options.kind === 'batch' ? 'batches' : 'collections'
    return `/api/v1/data-collection/${resource}/${pathSegment(targetId)}/export`
  }

  private call(method: Dispatcher.HttpMethod, path: string, query: URLSearchParams | undefined, what: string) {
    const { apiUrl, token, dispatcher, proxy, retry, clock } = this.options
    const url = new URL(apiUrl.href)
    url.pathname = `${apiUrl.pathname.replace(/\/+$/, '')}${path}`
    if (query) url.search = query.toString()
    return withRetry(
      what,
      async () => {
        const [response, body] = await overTransport(url, 'api', proxy, async () => {
          const answer = await request(url, {
            method,
            dispatcher,
            signal: retry.deadline.signal,
            headers: { authorization: `Token ${token}`, accept: 'application/json', 'user-agent': USER_AGENT },
          })
          return [answer, await readBody(answer.body, MAX_ANSWER_BYTES)] as const
        })
        if (response.statusCode >= 400) {
          throw new HttpError(
            `Prolific API answered HTTP ${response.statusCode} to ${method} ${path}: ` +
              `${describeErrorBody(body.text).replace(/\.+$/, '')}. ${hint(response.statusCode, method, this.options.kind)}`.trimEnd(),
            response.statusCode,
            retryAfterMs(response.headers['retry-after'], clock.now()),
          )
        }
        if (body.cut) {
          throw new ActionError(
            `Prolific API answered HTTP ${response.statusCode} to ${method} ${path} with more than ` +
              `${MAX_ANSWER_BYTES / 1_048_576} MiB, far more than an export status or a job list holds. ` +
              "Check 'api-url' points at the Prolific API.",
          )
        }
        return { status: response.statusCode, body: body.text }
      },
      retry,
    )
  }
}

/**
 * A value as exactly one path segment: encoded, and never empty, `.` or `..`, which URL parsing
 * would resolve (also as `%2e%2e`) into a request for another resource.
 */
export function pathSegment(value: string): string {
  if (/^(?:\.|%2e){0,2}$/i.test(value)) {
    throw new ActionError(
      `Refusing to send a request for the path segment ${quoteOutside(value)}: it would name another resource. ` +
        'Please report this with the action version.',
    )
  }
  return encodeURIComponent(value)
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

function parseState(body: string, status: number, method: string, path: string): ExportStatus {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    throw new ActionError(
      `Prolific API answered HTTP ${status} to ${method} ${path} with a body that is not JSON: ${neutralise(body)}. ` +
        "Check 'api-url' points at the Prolific API.",
    )
  }
  const parsed = ExportStatus.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new ActionError(
    `Prolific API answered HTTP ${status} to ${method} ${path} with an export status this action does not ` +
      `understand (${neutralise(issue?.path.join('.') || 'body', 80)}: ${neutralise(issue?.message ?? '', 120)}). ` +
      'The API may have changed, or something between it and the runner altered the answer: ' +
      'please report this with the action version.',
  )
}

function hint(status: number, method: string, kind: ExportKind): string {
  switch (status) {
    case 400:
      return "Check the 'study-id', 'from' and 'to' inputs."
    case 401:
      return 'Check that the token secret holds a valid Prolific API token.'
    case 403:
      return `The token's account needs access to the workspace that owns this ${kind}.`
    case 404:
      return method === 'POST' ? `Check '${kind}-id': no such ${kind} is visible to this token.` : ''
    case 429:
      return 'Prolific is rate-limiting this token.'
    default:
      return status >= 500 ? 'Prolific had trouble on its side.' : ''
  }
}
