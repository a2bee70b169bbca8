import { spawnSync } from 'node:child_process'

/**
 * Whether dist/ may not be what `npm run build` makes of src/: by content, not by modification
 * times (a fresh clone writes every file at once, in any order). dist/ is committed with the
 * source it was built from and CI checks that, so dist/ is stale when the sources or the
 * dependencies differ from the last commit and dist/ does not. Outside a git checkout nothing
 * can be told, and nothing is said.
 */
export function distLooksStale(root: string): boolean {
  const changed = (...paths: string[]) => {
    const status = spawnSync('git', ['status', '--porcelain', '--', ...paths], { cwd: root, encoding: 'utf8' })
    return status.status === 0 ? status.stdout.trim() !== '' : undefined
  }
  const sources = changed('src', 'package.json', 'package-lock.json', 'tsconfig.json')
  const dist = changed('dist')
  return sources === true && dist === false
}
