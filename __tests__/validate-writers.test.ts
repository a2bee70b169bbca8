// The header cross-checks must not refuse real archives: exports written by common ZIP
// writers (Info-ZIP, Python's zipfile with and without ZIP64, a streaming writer that uses
// data descriptors) all pass. The check during the download vouches for the first three
// itself, with the same report, and leaves the data descriptors to the disk.
import { execFileSync } from 'node:child_process'
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { finished } from 'node:stream/promises'
import archiver from 'archiver'
import { afterAll, describe, expect, it } from 'vitest'
import { validateArchive } from '../src/archive/validate.ts'
import { Deadline } from '../src/core/deadline.ts'
import { fakeClock } from '../test-support/fake-clock.ts'
import { scanBytes } from '../test-support/scan-harness.ts'

const dir = mkdtempSync(join(tmpdir(), 'writers-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const tree = join(dir, 'tree')
const ids = ['5f0c2a9e1b3d4c6e7f8a9b0c', '6a1d3b0f2c4e5d7f8a9b0c1d']
mkdirSync(join(tree, 'files'), { recursive: true })
writeFileSync(join(tree, 'README.md'), '# Export\n')
writeFileSync(join(tree, 'responses-by-submission.jsonl'), ids.map((id) => `{"submission_id":"${id}"}`).join('\n'))
writeFileSync(join(tree, 'responses-by-task.jsonl'), '{"task_id":"t1","responses":[]}\n')
writeFileSync(join(tree, 'batch.json'), '{"instructions":[{"id":"i1"}]}')
for (const id of ids) writeFileSync(join(tree, 'files', `${id}_photo.txt`), 'x'.repeat(2000))
const ENTRIES = ['README.md', 'responses-by-submission.jsonl', 'responses-by-task.jsonl', 'batch.json']

const expected = { submissions: 2, tasks: 1, files: 2, instructions: 1, warnings: [] }

/** Valid from disk; and during the download, either the same report or deferred to the disk. */
async function validate(file: string, scan: 'same report' | 'deferred') {
  const report = await validateArchive(file, { strict: true, deadline: new Deadline(fakeClock(), 60_000) })
  expect(report).toMatchObject(expected)
  const scanned = await scanBytes(readFileSync(file), { strict: true, chunk: 100 })
  expect(scanned).toEqual(scan === 'same report' ? { report } : { deferred: expect.any(String) })
}

describe('archives from real ZIP writers pass', () => {
  it('Info-ZIP zip', async () => {
    const file = join(dir, 'infozip.zip')
    execFileSync('zip', ['-qr', file, ...ENTRIES, 'files'], { cwd: tree })
    await validate(file, 'same report')
  })

  it.each([false, true])("Python's zipfile (force ZIP64: %s)", async (zip64) => {
    const file = join(dir, `python-${zip64}.zip`)
    const script = [
      'import sys, zipfile, os',
      'out, tree, zip64 = sys.argv[1], sys.argv[2], sys.argv[3] == "true"',
      'with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:',
      '  for root, _, names in os.walk(tree):',
      '    for name in sorted(names):',
      '      path = os.path.join(root, name); arc = os.path.relpath(path, tree)',
      '      with open(path, "rb") as src, z.open(arc, "w", force_zip64=zip64) as dst: dst.write(src.read())',
    ].join('\n')
    execFileSync('python3', ['-c', script, file, tree, String(zip64)])
    await validate(file, 'same report')
  })

  it('a streaming writer with data descriptors (archiver)', async () => {
    const file = join(dir, 'archiver.zip')
    const zip = archiver('zip', { zlib: { level: 6 } })
    const out = createWriteStream(file)
    zip.pipe(out)
    zip.directory(tree, false)
    await zip.finalize()
    await finished(out)
    await validate(file, 'deferred')
  })
})
