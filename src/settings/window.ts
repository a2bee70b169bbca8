import { resolve } from 'node:path'
import { InputError } from '../core/errors.ts'
import * as parse from './input-parsers.ts'
import { getInput, input, Inputs } from './read-input.ts'
import type { ExportKind } from './settings.ts'

/** The date window asked for: `from` as written, or `last-run`, which the state file settles later. */
export interface WindowRequest {
  from: string | undefined
  to: string | undefined
  /** `from: last-run`: the window starts at the `to` the state file recorded for each ID. */
  fromLastRun: boolean
}

export function readWindow(stateFile: string | undefined): WindowRequest {
  const from = input(Inputs.From, parse.windowStart)
  const to = input(Inputs.To, parse.optionalDateTime)
  if (from === parse.LAST_RUN) {
    if (!stateFile) {
      throw new InputError(
        "Input 'from' is 'last-run', but 'state-file' is empty: the last run's window is kept in the state file, so set one.",
      )
    }
    return { from: undefined, to, fromLastRun: true }
  }
  if (from && to && Date.parse(from) > Date.parse(to)) {
    throw new InputError(`Input 'from' (${from}) is later than 'to' (${to}): swap them.`)
  }
  return { from, to, fromLastRun: false }
}

/** The state file's absolute path, or undefined when `state-file` is empty. */
export function readStateFile(cwd: string): string | undefined {
  const raw = getInput(Inputs.StateFile)
  return raw === '' ? undefined : resolve(cwd, raw)
}

/** `min-responses-per-task`, which only a batch can meet: a collection has no tasks. */
export function readMinResponsesPerTask(kind: ExportKind): number {
  const minimum = input(Inputs.MinResponsesPerTask, parse.nonNegativeInteger)
  if (kind === 'collection' && minimum > 0) {
    throw new InputError(
      `Input 'min-responses-per-task' is ${minimum}, but a collection has no tasks: it applies to batches only. ` +
        "Leave it at 0 with 'collection-id'.",
    )
  }
  return minimum
}
