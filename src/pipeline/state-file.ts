import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { ActionError, messageOf } from '../core/errors.ts'
import { neutralise } from '../runner/outside-text.ts'
import * as parse from '../settings/input-parsers.ts'

/*
 * The state file `state-file` names: what the last successful run of each ID exported. It holds
 * digests, counts and the window only: no token, no URL, nothing about a participant. It comes
 * back from a cache or a checkout, so it is parsed like any outside data.
 */

const dateTime = z.string().refine((value) => value !== '' && parse.optionalDateTime.safeParse(value).success)
const count = z.number().int().nonnegative()
const hex64 = z.string().regex(/^[0-9a-f]{64}$/)

const entrySchema = z.object({
  'content-digest': hex64,
  sha256: hex64,
  'submission-count': count,
  'task-count': count.nullable(),
  'file-count': count,
  'instruction-count': count.nullable(),
  'min-task-responses': count.nullable(),
  'max-task-responses': count.nullable(),
  /** The filter values sent; null where none was. */
  window: z.object({ from: dateTime.nullable(), to: dateTime.nullable() }),
  /** When the export was requested, UTC. */
  'exported-at': dateTime,
})

const id = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/)

const stateSchema = z.object({
  version: z.literal(1),
  batches: z.record(id, entrySchema),
  collections: z.record(id, entrySchema),
})

export type StateEntry = z.infer<typeof entrySchema>
export type State = z.infer<typeof stateSchema>

export function emptyState(): State {
  return { version: 1, batches: {}, collections: {} }
}

/** The state at `path`; undefined, with a warning, where there is a file that is not such a state. */
export async function readState(path: string, warn: (message: string) => void): Promise<State | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    warn(unusable(path, neutralise(messageOf(error), 200)))
    return undefined
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    warn(unusable(path, 'it is not JSON'))
    return undefined
  }
  const parsed = stateSchema.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : ''
  warn(unusable(path, neutralise(`it is not this action's state${where}`, 200)))
  return undefined
}

function unusable(path: string, why: string): string {
  return (
    `The state file ${path} cannot be used (${why}): it counts as absent, so every ID is exported as on a first run, ` +
    'and it is replaced after a successful run.'
  )
}

/**
 * Writes the state atomically: a temporary file beside it, renamed over it, so a reader never
 * sees half a state and a failed write leaves the old one.
 */
export async function writeState(path: string, state: State): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(temporary, `${JSON.stringify(sorted(state), null, 2)}\n`, { mode: 0o600 })
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined)
    throw new ActionError(
      `Could not write the state file ${path}: ${neutralise(messageOf(error), 200)}. The exports succeeded and their ` +
        "outputs are set, but the next run will not know of them: check that 'state-file' names a writable path.",
    )
  }
}

/** IDs in order, so that the file changes only where an entry does. */
function sorted(state: State): State {
  const byId = (entries: Record<string, StateEntry>) =>
    Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return { version: 1, batches: byId(state.batches), collections: byId(state.collections) }
}
