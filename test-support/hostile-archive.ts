// What a case of the hostile-archive corpus says (hostile-names.ts, hostile-bombs.ts): the
// archive as a server would serve it, and the promise the step must keep for it.

export interface HostileArchive {
  title: string
  /** The whole archive, as served. */
  build(): Buffer
  /** Whether the step unpacks the archive (`extract: true`). */
  extract: boolean
  /** What the step's `::error::` line must match. */
  error: RegExp
  /** Participant-looking strings that must appear nowhere in the log, summary or outputs. */
  forbidden: string[]
  /** Refused only when the runner is this system (names it cannot create); absent: on every system. */
  platform?: NodeJS.Platform
}

/** Archives that pass, with a warning the log must show and the same promise about names. */
export interface HostileWarning extends Omit<HostileArchive, 'error'> {
  warning: RegExp
}
