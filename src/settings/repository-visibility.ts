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

/**
 * Why an unencrypted upload must be refused here, or undefined. Unknown visibility counts as
 * public wherever an upload would happen: outside GitHub Actions (no ACTIONS_RUNTIME_TOKEN)
 * nothing is uploaded (see uploadZip).
 */
export function publicUploadRefusal(env: NodeJS.ProcessEnv): string | undefined {
  const visibility = repositoryVisibility(env)
  if (visibility === 'private' || (visibility === 'unknown' && !env.ACTIONS_RUNTIME_TOKEN)) return undefined
  return (
    (visibility === 'public'
      ? 'This repository is public, so anyone can download its workflow artifacts, and an export holds '
      : "This repository's visibility cannot be established (the event payload at GITHUB_EVENT_PATH does not say " +
        '"private": true), so it is treated as public: anyone might download its artifacts, and an export holds ') +
    "participant data. Set 'encrypt-to' to upload it encrypted, 'upload-artifact: false' to store " +
    "the ZIP elsewhere, or 'allow-public-repository: true' if sharing it is intended."
  )
}
