import { messageOf } from '../core/errors.ts'
import type { Log } from '../runner/log.ts'
import type { ProlificClient } from '../prolific/client.ts'
import type { ExportFilter } from '../settings/settings.ts'

/** Frees the batch's export-job slots this run used. Never fails the step: the data is safe. */
export async function deleteJobs(client: ProlificClient, targetId: string, ids: string[], log: Log): Promise<void> {
  for (const id of ids) {
    try {
      const outcome = await client.deleteExport(targetId, id)
      if (outcome === 'unsupported')
        return log.info('This API has no route to delete export jobs; nothing to clean up.')
      log.info(`Deleted export job ${id}.`)
    } catch (error) {
      log.warning(
        `Could not delete export job ${id}: ${messageOf(error)}. It still holds one of the batch's 10 export slots.`,
      )
    }
  }
}

/** The filters of the request, for its log line: ` (study …, from …, to …)`, or nothing. */
export function describeFilter(filter: ExportFilter): string {
  const parts = [
    filter.studyId && `study ${filter.studyId}`,
    filter.from && `from ${filter.from}`,
    filter.to && `to ${filter.to}`,
  ].filter(Boolean)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}
