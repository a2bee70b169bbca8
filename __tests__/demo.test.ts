// `npm start` shows what a person sees on the run's page, and says where its files went.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../test-support/run-action.ts'

describe('npm start', () => {
  it('prints the log and the summary as the run page shows them, and where the ZIP is', () => {
    const output = join(mkdtempSync(join(tmpdir(), 'demo-')), 'demo-output')
    const demo = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.ts')], {
      cwd: ROOT,
      env: { ...process.env, DEMO_OUTPUT_DIR: output },
      encoding: 'utf8',
    })
    expect(demo.status, demo.stderr).toBe(0)
    // No runner command and no HTML: a person sees neither.
    expect(demo.stdout).not.toMatch(/^\s*::[a-z-]+::/m)
    expect(demo.stdout).not.toMatch(/<\/?(table|tr|td|h2|h3|code)>/)
    expect(demo.stdout).toMatch(/^▼ Download$/m)
    expect(demo.stdout).toMatch(/^Submissions +3$/m)
    const zip = /^path +(\S+\.zip)$/m.exec(demo.stdout)?.[1] ?? ''
    expect(zip.startsWith(output)).toBe(true)
    expect(existsSync(zip)).toBe(true)
    expect(demo.stdout).toMatch(/The ZIP and its extracted folder are in .*demo-output\/ \(git-ignored\)/)
  })
})
