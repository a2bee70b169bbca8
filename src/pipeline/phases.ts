import type { Clock } from '../core/clock.ts'
import type { Log } from '../runner/log.ts'

export interface PhaseTime {
  name: string
  ms: number
}

/** Runs each phase in a log group and keeps how long it took, for the log and the summary. */
export class Phases {
  readonly times: PhaseTime[] = []
  private readonly clock: Clock
  private readonly log: Log

  constructor(clock: Clock, log: Log) {
    this.clock = clock
    this.log = log
  }

  async run<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = this.clock.now()
    try {
      return await this.log.group(name, work)
    } finally {
      this.times.push({ name, ms: this.clock.now() - started })
    }
  }
}
