import * as core from '@actions/core'
import type { Clock } from './clock.ts'

export interface PhaseTime {
  name: string
  ms: number
}

/** Runs each phase in a log group and keeps how long it took, for the log and the summary. */
export class Phases {
  readonly times: PhaseTime[] = []
  private readonly clock: Clock

  constructor(clock: Clock) {
    this.clock = clock
  }

  async run<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = this.clock.now()
    try {
      return await core.group(name, work)
    } finally {
      this.times.push({ name, ms: this.clock.now() - started })
    }
  }
}
