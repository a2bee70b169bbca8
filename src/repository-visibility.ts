import { existsSync, readFileSync } from 'node:fs'

export type Visibility = 'private' | 'public' | 'unknown'

/**
 * The repository's visibility, from the event payload the runner writes for every workflow run
 * (scheduled runs included). Only `"private": true` counts as private: an absent repository, an
 * unreadable payload or `"private": "false"` as a string is 'unknown', which callers treat as
 * public, since participant data must never be shared by accident.
 */
export function repositoryVisibility(env: NodeJS.ProcessEnv): Visibility {
  const eventPath = env.GITHUB_EVENT_PATH
  if (!eventPath || !existsSync(eventPath)) return 'unknown'
  let repository: { private?: unknown; visibility?: unknown } | undefined
  try {
    const payload = JSON.parse(readFileSync(eventPath, 'utf8')) as { repository?: typeof repository } | null
    repository = payload?.repository ?? undefined
  } catch {
    return 'unknown'
  }
  if (repository === null || typeof repository !== 'object') return 'unknown'
  if (repository.private === false || repository.visibility === 'public') return 'public'
  return repository.private === true ? 'private' : 'unknown'
}
