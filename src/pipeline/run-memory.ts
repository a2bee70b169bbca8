import { coverageFigures } from '../archive/task-coverage.ts'
import { InputError } from '../core/errors.ts'
import { jobLog } from '../runner/log.ts'
import type { RunSettings } from '../settings/inputs.ts'
import type { ExportKind, Settings } from '../settings/settings.ts'
import type { Exported } from './export-target.ts'
import { emptyState, readState, type State, type StateEntry, writeState } from './state-file.ts'

/** The plan with what the state file remembers applied, and how to remember this run. */
export interface RunMemory {
  plan: RunSettings
  /** After a successful run: this run's IDs' entries replaced, the others kept, the file rewritten. */
  save(exported: Exported[]): Promise<void>
}

const SECTION = { batch: 'batches', collection: 'collections' } as const

function entries(state: State, kind: ExportKind): Record<string, StateEntry> {
  return state[SECTION[kind]]
}

/**
 * Reads `state-file` (absent, or unusable with a warning: a first run) and settles each export's
 * previous digest and `from: last-run` window from its ID's entry. `requestedAt` is the `to` a
 * last-run window ends at unless `to` is given: recorded as sent, so the next window starts
 * exactly there.
 */
export async function openRunMemory(plan: RunSettings, requestedAt: Date): Promise<RunMemory> {
  const path = plan.stateFile
  if (path === undefined) return { plan, save: async () => undefined }
  const state = (await readState(path, (message) => jobLog.warning(message))) ?? emptyState()
  const at = requestedAt.toISOString()
  const exports = plan.exports.map((settings) =>
    remembered(settings, entries(state, settings.kind)[settings.targetId], at),
  )
  return {
    plan: { ...plan, exports },
    save: async (exported) => {
      for (const { settings, result } of exported) {
        if (result) entries(state, settings.kind)[settings.targetId] = entryOf(settings, result, at)
      }
      await writeState(path, state)
      jobLog.info(`Wrote the state of ${exported.length} export(s) to ${path}.`)
    },
  }
}

function remembered(settings: Settings, entry: StateEntry | undefined, at: string): Settings {
  const { kind, targetId } = settings
  jobLog.info(
    entry
      ? `The state file knows ${kind} ${targetId}: last exported at ${entry['exported-at']}, content digest ${entry['content-digest']}.`
      : `The state file has no entry for ${kind} ${targetId}: exported as on a first run.`,
  )
  const previousDigest = settings.previousDigest ?? entry?.['content-digest']
  if (!settings.fromLastRun) return { ...settings, previousDigest }
  const from = entry?.window.to ?? undefined
  const to = settings.filter.to ?? at
  if (from !== undefined && Date.parse(from) > Date.parse(to)) {
    throw new InputError(
      `The last run of ${kind} ${targetId} exported up to ${from}, later than 'to' (${to}), so 'from: last-run' ` +
        "makes no window: set 'to' later, or leave it empty.",
    )
  }
  return { ...settings, previousDigest, filter: { ...settings.filter, from, to } }
}

function entryOf(settings: Exported['settings'], result: NonNullable<Exported['result']>, at: string): StateEntry {
  const { archive } = result
  const figures = archive.taskResponses ? coverageFigures(archive.taskResponses) : undefined
  return {
    'content-digest': archive.contentDigest,
    sha256: result.sha256,
    'submission-count': archive.submissions,
    'task-count': archive.tasks ?? null,
    'file-count': archive.files,
    'instruction-count': archive.instructions ?? null,
    'min-task-responses': figures?.min ?? null,
    'max-task-responses': figures?.max ?? null,
    window: { from: settings.filter.from ?? null, to: settings.filter.to ?? null },
    'exported-at': at,
  }
}
