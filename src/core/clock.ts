import { setTimeout as delay } from 'node:timers/promises'

/** Time, injected so that no test waits out a real back-off or poll interval. */
export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, signal ? { signal } : undefined)
  },
}
