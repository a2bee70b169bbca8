// CONTRIBUTING's release steps, followed word for word for the first release in a clone of this
// repository (with `npm run build` made a no-op there: dist/ freshness is .ci/run's business).
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../test-support/run-action.ts'

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release@example.invalid',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release@example.invalid',
}

function inClone() {
  const work = mkdtempSync(join(tmpdir(), 'release-'))
  const repo = join(work, 'repo')
  const remote = join(work, 'remote.git')
  execFileSync('git', ['clone', '-q', ROOT, repo])
  execFileSync('git', ['init', '-q', '--bare', remote])
  const env = { ...process.env, ...IDENTITY, CI: 'true' }
  const run = (command: string, args: string[]) => spawnSync(command, args, { cwd: repo, env, encoding: 'utf8' })
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' })
  git('remote', 'set-url', 'origin', remote)
  // The script as it is in this working tree, not only as committed.
  copyFileSync(join(ROOT, 'scripts', 'release.sh'), join(repo, 'scripts', 'release.sh'))
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  pkg.scripts.build = 'true'
  writeFileSync(join(repo, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
  return { repo, remote, run, git }
}

describe('the release steps of CONTRIBUTING.md', () => {
  it('work for the first release: npm version on 1.0.0, a dry run, then --push', () => {
    const { repo, remote, run, git } = inClone()
    // Step 1: the Unreleased notes become the release's entry.
    const changelog = join(repo, 'CHANGELOG.md')
    writeFileSync(
      changelog,
      readFileSync(changelog, 'utf8').replace('## [Unreleased]', '## [Unreleased]\n\n## [1.0.0] - 2026-12-01'),
    )
    // Step 2, as written.
    const version = run('npm', ['version', '1.0.0', '--no-git-tag-version', '--allow-same-version'])
    expect(version.status, version.stderr).toBe(0)
    // Step 3.
    git('commit', '-qam', 'Release 1.0.0')
    // Step 4: first without --push, then again with it.
    const dry = run('bash', ['scripts/release.sh', 'v1.0.0'])
    expect(dry.status, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('Nothing was pushed.')
    const pushed = run('bash', ['scripts/release.sh', 'v1.0.0', '--push'])
    expect(pushed.status, pushed.stderr).toBe(0)
    const head = git('rev-parse', 'HEAD').trim()
    const tags = execFileSync('git', ['ls-remote', '--tags', remote], { encoding: 'utf8' })
    expect(tags).toContain('refs/tags/v1.0.0')
    expect(tags).toContain('refs/tags/v1')
    expect(execFileSync('git', ['rev-parse', 'v1^{commit}'], { cwd: repo, encoding: 'utf8' }).trim()).toBe(head)
  })

  it('still refuses a tag of that version on another commit', () => {
    const { repo, run, git } = inClone()
    const changelog = join(repo, 'CHANGELOG.md')
    writeFileSync(
      changelog,
      readFileSync(changelog, 'utf8').replace('## [Unreleased]', '## [Unreleased]\n\n## [1.0.0] - 2026-12-01'),
    )
    git('commit', '-qam', 'Release 1.0.0')
    git('tag', '-a', 'v1.0.0', '-m', 'v1.0.0', 'HEAD~1')
    const refused = run('bash', ['scripts/release.sh', 'v1.0.0'])
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/tag v1\.0\.0 already exists on another commit/)
  })
})
