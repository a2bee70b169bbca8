// The state file on its own: read as outside data (anything else is absent, with a warning),
// written atomically, entries in a stable order.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { emptyState, readState, type StateEntry, writeState } from '../src/pipeline/state-file.ts'

const folder = () => mkdtempSync(join(tmpdir(), 'state-file-'))

const ENTRY: StateEntry = {
  'content-digest': 'a'.repeat(64),
  sha256: 'b'.repeat(64),
  'submission-count': 3,
  'task-count': 2,
  'file-count': 1,
  'instruction-count': null,
  'min-task-responses': 3,
  'max-task-responses': 3,
  window: { from: null, to: '2026-03-01T02:00:00.000Z' },
  'exported-at': '2026-03-01T02:00:00.000Z',
}

async function read(text: string | undefined) {
  const path = join(folder(), 'state.json')
  if (text !== undefined) writeFileSync(path, text)
  const warnings: string[] = []
  const state = await readState(path, (message) => warnings.push(message))
  return { state, warnings }
}

describe('readState', () => {
  it('no file: absent, without a word', async () => {
    expect(await read(undefined)).toEqual({ state: undefined, warnings: [] })
  })

  it('a state it wrote: read back as it was', async () => {
    const path = join(folder(), 'nested', 'state.json')
    const state = { ...emptyState(), batches: { b1: ENTRY } }
    await writeState(path, state)
    expect(await readState(path, () => undefined)).toEqual(state)
  })

  it.each([
    ['not JSON', '{"version": 1,', /\(it is not JSON\)/],
    [
      'another version',
      JSON.stringify({ version: 2, batches: {}, collections: {} }),
      /not this action's state at version/,
    ],
    [
      'a bad entry',
      JSON.stringify({ version: 1, batches: { b1: { ...ENTRY, sha256: 'x' } }, collections: {} }),
      /at batches\.b1\.sha256/,
    ],
    [
      'a window that is not a date-time',
      JSON.stringify({
        version: 1,
        batches: { b1: { ...ENTRY, window: { from: null, to: 'yesterday&x=1' } } },
        collections: {},
      }),
      /at batches\.b1\.window\.to/,
    ],
    [
      'an ID that could not be one',
      JSON.stringify({ version: 1, batches: { '../b': ENTRY }, collections: {} }),
      /at batches/,
    ],
    ['an array', '[]', /not this action's state/],
  ])('%s: absent, with a warning that says what happens next', async (_, text, why) => {
    const { state, warnings } = await read(text)
    expect(state).toBeUndefined()
    expect(warnings).toEqual([expect.stringMatching(why)])
    expect(warnings[0]).toMatch(/counts as absent, so every ID is exported as on a first run, and it is replaced/)
  })

  it('a folder where the file should be: absent, with a warning', async () => {
    const path = join(folder(), 'state.json')
    mkdirSync(path)
    const warnings: string[] = []
    expect(await readState(path, (message) => warnings.push(message))).toBeUndefined()
    expect(warnings).toEqual([expect.stringMatching(/^The state file .* cannot be used \(EISDIR/)])
  })
})

describe('writeState', () => {
  it('replaces the file whole, readable by its owner only, leaving no temporary file', async () => {
    const dir = folder()
    const path = join(dir, 'state.json')
    writeFileSync(path, 'old')
    await writeState(path, { ...emptyState(), batches: { zeta: ENTRY, alpha: ENTRY } })
    expect(readdirSync(dir)).toEqual(['state.json'])
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const written = JSON.parse(readFileSync(path, 'utf8')) as { batches: object }
    expect(Object.keys(written.batches)).toEqual(['alpha', 'zeta'])
  })

  it('a path it cannot write: an error that says the exports succeeded, and no temporary file', async () => {
    const dir = folder()
    const path = join(dir, 'taken')
    mkdirSync(path)
    await expect(writeState(path, emptyState())).rejects.toThrow(
      /^Could not write the state file .*taken: .*The exports succeeded and their outputs are set/,
    )
    expect(readdirSync(dir)).toEqual(['taken'])
  })
})
