import * as core from '@actions/core'
import { neutralise } from './outside-text.ts'

/** Where an export reports: the job log, grouped per phase, or prefixed per ID when several run at once. */
export interface Log {
  info(message: string): void
  warning(message: string): void
  /** Runs `work` as one phase of the log. */
  group<T>(name: string, work: () => Promise<T>): Promise<T>
}

/** One export: each phase in a collapsible group, as the runner shows them. */
export const jobLog: Log = {
  info: (message) => core.info(inert(message)),
  warning: (message) => core.warning(inert(message)),
  group: (name, work) => core.group(inert(name), work),
}

/** Fails the step (the only way run() does) with the message made inert: it can quote outside text. */
export function setFailed(message: string): void {
  core.setFailed(inert(message))
}

/** Step-debug detail, such as a stack trace, which can carry outside text: inert and cut short. */
export function debug(message: string): void {
  core.debug(neutralise(message, 4000))
}

/** Every line the log shows is inert, whatever outside text a message carries. */
export function inert(message: string): string {
  return neutralise(message, Infinity)
}

/**
 * One of several exports running at once: groups cannot interleave, so every line carries the
 * export's ID instead, and a phase is a line of its own.
 */
export function prefixedLog(id: string): Log {
  const prefix = `[${id}] `
  return {
    info: (message) => core.info(inert(prefix + message)),
    warning: (message) => core.warning(inert(prefix + message)),
    group: async (name, work) => {
      core.info(inert(`${prefix}${name}…`))
      return work()
    },
  }
}
