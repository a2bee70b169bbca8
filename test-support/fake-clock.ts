// A clock whose sleeps return at once and move time forward, so back-off and polling are
// exercised without waiting for them.
import type { Clock } from '../src/core/clock.ts'

export interface FakeClock extends Clock {
  sleeps: number[]
}

export function fakeClock(start = Date.parse('2026-01-01T00:00:00Z')): FakeClock {
  let now = start
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms)
      now += ms
    },
  }
}
